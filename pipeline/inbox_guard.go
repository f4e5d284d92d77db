package pipeline

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/groundtruth-dao/groundtruth/internal/redact"
)

// MaxInboxFileBytes bounds a file the signature inbox reads: a signature
// file is well under 4 KiB. The inbox is a drop folder others write to;
// a larger file, a symbolic link, a device or a FIFO is never read (a 3 GB
// file cost its size in memory on every run), but moved to Inbox/rejected
// and logged once.
const MaxInboxFileBytes = 64 << 10

// admitInbox reports whether the inbox entry e may be read as a signature
// file. A refused one is moved to Inbox/rejected; the returned text says
// which and why ("" when e is simply not a candidate, such as a folder).
func (p *AttestPolicy) admitInbox(e fs.DirEntry) (bool, string) {
	if e.IsDir() {
		return false, ""
	}
	why := ""
	if !e.Type().IsRegular() {
		why = fmt.Sprintf("not a regular file (%s)", e.Type())
	} else if info, err := e.Info(); err != nil {
		return false, "" // gone meanwhile
	} else if info.Size() > MaxInboxFileBytes {
		why = fmt.Sprintf("%d bytes, more than %d", info.Size(), MaxInboxFileBytes)
	}
	if why == "" {
		return true, ""
	}
	rejected := filepath.Join(p.Inbox, "rejected")
	if err := os.MkdirAll(rejected, 0o755); err == nil {
		_ = os.Rename(filepath.Join(p.Inbox, e.Name()), filepath.Join(rejected, e.Name()))
	}
	return false, fmt.Sprintf("%s: %s; moved to %s", redact.Escape(e.Name()), why, rejected)
}
