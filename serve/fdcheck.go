package serve

import (
	"fmt"
	"os"
	"syscall"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// A segment's check (integrity.go) hashes the file a *path* names and then
// trusts that path for statEvery; a file swapped in by rename during that
// second would be opened and served unverified (black-box attack F16:
// another version's segment streamed as JSONL with the attested headers).
// So every reader compares the identity of the file it actually opened
// (fstat of the open descriptor: device, inode, size, modification and
// change time) with the identity that hashed to the attested SHA-256, and
// refuses with ErrCorrupt when they differ; the segment is then checked
// again.

// setVerified records id as the identity of the attested bytes (ok) or
// forgets it; sc.mu is held.
func (sc *segCheck) setVerified(id fileID, ok bool) {
	if ok {
		sc.verified.Store(&id)
	} else {
		sc.verified.Store(nil)
	}
}

// fstatID is statID of an open file.
func fstatID(f *os.File) (fileID, error) {
	fi, err := f.Stat()
	if err != nil {
		return fileID{}, err
	}
	id := fileID{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.ino, id.dev = uint64(st.Ino), uint64(st.Dev)
		id.ctime = ctimeOf(st)
	}
	return id, nil
}

// openedVerified returns nil when f, opened to read segment seg of v, is
// the file whose bytes hashed to seg's attested SHA-256; otherwise it
// forgets the segment's verdict (the next check stats and hashes the path
// again) and returns ErrCorrupt.
func (s *Server) openedVerified(v *versionState, seg datasets.SegmentRef, f *os.File) error {
	sc := s.integ.entry(seg.SHA256)
	want := sc.verified.Load()
	got, err := fstatID(f)
	if err == nil && want != nil && got == *want {
		return nil
	}
	s.integ.expire(seg.SHA256)
	s.files.forget(seg.Path)
	s.log.Error("a segment file was replaced between its check and its read: not serving it", "version", v.ref(), "segment", seg.SHA256.Hex())
	return fmt.Errorf("%w: segment %s of %s: the file opened is not the one whose SHA-256 was checked (it was replaced while being served)", ErrCorrupt, seg.SHA256, v.ref())
}
