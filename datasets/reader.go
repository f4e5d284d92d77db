package datasets

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// SegmentReader reads the record batches of one segment file.
type SegmentReader struct {
	f *os.File
	r *ipc.FileReader
}

// OpenSegment opens a segment file under root and checks that its schema is s.
func OpenSegment(root string, ref SegmentRef, s *Schema) (*SegmentReader, error) {
	f, err := os.Open(filepath.Join(root, ref.Path))
	if err != nil {
		return nil, fmt.Errorf("%w: segment %s: %v", ErrIntegrity, ref.Path, err)
	}
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: segment %s is not a readable Arrow IPC file: %v", ErrIntegrity, ref.Path, err)
	}
	if err := s.CheckArrow(r.Schema()); err != nil {
		r.Close()
		f.Close()
		return nil, fmt.Errorf("%w: segment %s: %v", ErrIntegrity, ref.Path, err)
	}
	return &SegmentReader{f: f, r: r}, nil
}

// NumBatches returns the number of record batches in the segment.
func (sr *SegmentReader) NumBatches() int { return sr.r.NumRecords() }

// Batch returns record batch i; the caller releases it.
func (sr *SegmentReader) Batch(i int) (arrow.RecordBatch, error) {
	rec, err := sr.r.RecordBatchAt(i)
	if err != nil {
		return nil, fmt.Errorf("%w: reading batch %d: %v", ErrIntegrity, i, err)
	}
	return rec, nil
}

// Schema returns the Arrow schema of the segment.
func (sr *SegmentReader) Schema() *arrow.Schema { return sr.r.Schema() }

// Close closes the file.
func (sr *SegmentReader) Close() error {
	sr.r.Close()
	return sr.f.Close()
}

// VersionReader streams the rows of a version in order as an
// array.RecordReader over its segments.
type VersionReader struct {
	root   string
	m      *Manifest
	schema *arrow.Schema
	seg    int
	batch  int
	cur    *SegmentReader
	rec    arrow.RecordBatch
	err    error
	refs   int64
}

// NewVersionReader returns a reader over the rows of m, whose segments live
// under root.
func NewVersionReader(root string, m *Manifest) (*VersionReader, error) {
	as, err := m.Schema.ArrowSchema()
	if err != nil {
		return nil, err
	}
	return &VersionReader{root: root, m: m, schema: as, refs: 1}, nil
}

// Schema implements array.RecordReader.
func (vr *VersionReader) Schema() *arrow.Schema { return vr.schema }

// Next implements array.RecordReader.
func (vr *VersionReader) Next() bool {
	if vr.rec != nil {
		vr.rec.Release()
		vr.rec = nil
	}
	for vr.err == nil {
		if vr.cur == nil {
			if vr.seg >= len(vr.m.Segments) {
				return false
			}
			vr.cur, vr.err = OpenSegment(vr.root, vr.m.Segments[vr.seg], &vr.m.Schema)
			vr.batch = 0
			continue
		}
		if vr.batch < vr.cur.NumBatches() {
			vr.rec, vr.err = vr.cur.Batch(vr.batch)
			vr.batch++
			return vr.err == nil
		}
		vr.cur.Close()
		vr.cur = nil
		vr.seg++
	}
	return false
}

// RecordBatch implements array.RecordReader.
func (vr *VersionReader) RecordBatch() arrow.RecordBatch { return vr.rec }

// Record implements array.RecordReader.
func (vr *VersionReader) Record() arrow.RecordBatch { return vr.rec }

// Err implements array.RecordReader.
func (vr *VersionReader) Err() error { return vr.err }

// Retain implements array.RecordReader.
func (vr *VersionReader) Retain() { vr.refs++ }

// Release implements array.RecordReader.
func (vr *VersionReader) Release() {
	vr.refs--
	if vr.refs > 0 {
		return
	}
	if vr.rec != nil {
		vr.rec.Release()
		vr.rec = nil
	}
	if vr.cur != nil {
		vr.cur.Close()
		vr.cur = nil
	}
}

var _ array.RecordReader = (*VersionReader)(nil)

// VersionLeaves is a LeafSource over the leaf-index files of a version's
// segments.
type VersionLeaves struct {
	root   string
	segs   []SegmentRef
	starts []uint64
}

// NewVersionLeaves returns the leaf source of m's segments under root.
func NewVersionLeaves(root string, m *Manifest) *VersionLeaves {
	vl := &VersionLeaves{root: root, segs: m.Segments, starts: make([]uint64, len(m.Segments)+1)}
	for i, s := range m.Segments {
		vl.starts[i+1] = vl.starts[i] + s.Rows
	}
	return vl
}

// Leaves implements LeafSource.
func (vl *VersionLeaves) Leaves(begin, end uint64) ([]Hash, error) {
	total := vl.starts[len(vl.segs)]
	if begin > end || end > total {
		return nil, fmt.Errorf("%w: leaves [%d, %d) of %d", ErrProof, begin, end, total)
	}
	out := make([]Hash, 0, end-begin)
	for pos := begin; pos < end; {
		i := sort.Search(len(vl.segs), func(i int) bool { return vl.starts[i+1] > pos })
		n := min(end, vl.starts[i+1]) - pos
		hs, err := readLeaves(filepath.Join(vl.root, LeavesPath(vl.segs[i].SHA256)), pos-vl.starts[i], n)
		if err != nil {
			return nil, err
		}
		out = append(out, hs...)
		pos += n
	}
	return out, nil
}

func readLeaves(path string, first, n uint64) ([]Hash, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: leaf index: %v", ErrIntegrity, err)
	}
	defer f.Close()
	buf := make([]byte, n*32)
	if _, err := f.ReadAt(buf, int64(first*32)); err != nil && !(err == io.EOF && uint64(len(buf)) == 0) {
		return nil, fmt.Errorf("%w: leaf index %s: reading leaves %d..%d: %v", ErrIntegrity, path, first, first+n, err)
	}
	out := make([]Hash, n)
	for i := range out {
		copy(out[i][:], buf[i*32:])
	}
	return out, nil
}
