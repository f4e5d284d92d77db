package serve

import (
	"fmt"
	"os"
	"syscall"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The stat cache of integrity says which file at a segment's path was
// hashed; it says nothing about the file a reader opens a moment later (a
// rename can swap the path in between). Every reader of segment bytes
// therefore compares the identity of its open descriptor (fstat: device,
// inode, size, modification and change time) with the identity that was
// hashed, when it opens the file and again when it has read what it needed
// of it: bytes are only served from the very file that was checked, and a
// file rewritten in place while it was read is noticed at the end of the
// segment (the response is then aborted, without trailers).

// idOf is the identity of a file from its FileInfo.
func idOf(fi os.FileInfo) fileID {
	id := fileID{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.ino, id.dev = uint64(st.Ino), uint64(st.Dev)
		id.ctime = ctimeOf(st)
	}
	return id
}

// checkOpen returns nil when the open file f is the one whose bytes hashed
// to seg's attested SHA-256. When it is not (the path was replaced, or the
// file changed), the path is checked again at once (a corrupt file marks
// the versions holding it), and f is refused unless it is the file now
// verified.
func (c *integrity) checkOpen(seg datasets.SegmentRef, f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: segment %s is %w", ErrCorrupt, seg.SHA256, errUnreadable)
	}
	id := idOf(fi)
	sc := c.entry(seg.SHA256)
	if sc.ok.Load() {
		sc.mu.Lock()
		same := sc.known && sc.id == id
		sc.mu.Unlock()
		if same {
			return nil
		}
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if err := c.recheck(seg, sc, c.now().UnixNano(), false); err != nil {
		return err
	}
	if sc.id != id {
		c.log.Error("a segment file was replaced between its check and its read: the bytes opened are refused",
			"segment", seg.SHA256.Hex())
		return fmt.Errorf("%w: segment %s was replaced while it was being read: the bytes opened are not the ones checked",
			ErrCorrupt, seg.SHA256)
	}
	return nil
}

// checkedSegment reads the record batches of one segment file from a
// descriptor whose identity was checked when it was opened (done checks it
// again).
type checkedSegment struct {
	f   *os.File
	r   *ipc.FileReader
	ref datasets.SegmentRef
	c   *integrity
}

// openChecked opens seg's file, checks that the descriptor is the verified
// file (checkOpen) and that its schema is sch.
func (c *integrity) openChecked(seg datasets.SegmentRef, sch *datasets.Schema) (*checkedSegment, error) {
	f, err := os.Open(c.path(seg))
	if err != nil {
		return nil, fmt.Errorf("%w: segment %s is missing or unreadable", ErrCorrupt, seg.SHA256)
	}
	if err := c.checkOpen(seg, f); err != nil {
		f.Close()
		return nil, err
	}
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: segment %s is not a readable Arrow IPC file: %v", datasets.ErrIntegrity, seg.Path, err)
	}
	if err := sch.CheckArrow(r.Schema()); err != nil {
		r.Close()
		f.Close()
		return nil, fmt.Errorf("%w: segment %s: %v", datasets.ErrIntegrity, seg.Path, err)
	}
	return &checkedSegment{f: f, r: r, ref: seg, c: c}, nil
}

// NumBatches returns the number of record batches in the segment.
func (cs *checkedSegment) NumBatches() int { return cs.r.NumRecords() }

// Batch returns record batch i; the caller releases it.
func (cs *checkedSegment) Batch(i int) (arrow.RecordBatch, error) {
	rec, err := cs.r.RecordBatchAt(i)
	if err != nil {
		return nil, fmt.Errorf("%w: reading batch %d: %v", datasets.ErrIntegrity, i, err)
	}
	return rec, nil
}

// done checks, once the batches needed were read, that the descriptor is
// still the verified file (nothing rewrote it in place meanwhile).
func (cs *checkedSegment) done() error { return cs.c.checkOpen(cs.ref, cs.f) }

// Close closes the file.
func (cs *checkedSegment) Close() error {
	cs.r.Close()
	return cs.f.Close()
}
