package pipeline

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// MaxInboxFileBytes is the largest file the attestation inbox reads: a
// signature file is under 4 KiB, so anything larger than 64 KiB is refused
// without being read.
const MaxInboxFileBytes = 64 << 10

// InboxRejected is the inbox folder refused files are moved to, so that
// they are reported once and not read again by every run.
const InboxRejected = "rejected"

// errInboxFile marks an inbox file that is refused (not a regular file,
// too large, not a signature file); it is moved to InboxRejected.
var errInboxFile = errors.New("refused inbox file")

// readInboxFile reads one inbox file without following a symlink and
// without reading more than MaxInboxFileBytes: the file is opened with
// O_NOFOLLOW (and O_NONBLOCK, so that a FIFO cannot stall the run) and the
// open descriptor must be a regular file no larger than the cap.
func readInboxFile(path string) (*attest.SignatureFile, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file (%s)", errInboxFile, fi.Mode().Type())
	}
	if fi.Size() > MaxInboxFileBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than the %d a signature file may have", errInboxFile, fi.Size(), MaxInboxFileBytes)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errInboxFile, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file once opened", errInboxFile)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxInboxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxInboxFileBytes {
		return nil, fmt.Errorf("%w: more than the %d bytes a signature file may have", errInboxFile, MaxInboxFileBytes)
	}
	sf, err := attest.ParseSignatureFile(b)
	if err != nil {
		return nil, fmt.Errorf("%w: not a signature file: %v", errInboxFile, err)
	}
	return sf, nil
}

// reject moves a refused inbox file to Inbox/rejected (logged once, with
// its name quoted: a name may hold control characters); when it cannot be
// moved, it is removed from the inbox's view only by the log line, and it
// is refused again next run.
func (p *AttestPolicy) reject(log *slog.Logger, name string, why error) {
	dir := filepath.Join(p.Inbox, InboxRejected)
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		err = os.Rename(filepath.Join(p.Inbox, name), filepath.Join(dir, name))
	}
	if err != nil {
		log.Error("signature inbox: a refused file could not be moved to "+InboxRejected+"/", "file", fmt.Sprintf("%q", name), "why", why.Error(), "err", err)
		return
	}
	log.Warn("signature inbox: file refused and moved to "+InboxRejected+"/", "file", fmt.Sprintf("%q", name), "why", why.Error())
}
