package datasets

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// hashingWriter counts and hashes the bytes written through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n uint64
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += uint64(n)
	return n, err
}

// SegmentWriter writes one segment: an Arrow IPC file (zstd-compressed
// buffers) and its leaf-hash index, while accumulating the segment's part of
// the Merkle tree. Records are re-batched to about batchRows rows.
type SegmentWriter struct {
	root      string
	schema    *Schema
	batchRows int
	mem       memory.Allocator

	file    *os.File
	bufw    *bufio.Writer
	hw      *hashingWriter
	ipcw    *ipc.FileWriter
	leavesF *os.File
	leavesW *bufio.Writer

	enc     *RowEncoder
	row     []byte
	acc     *Accumulator
	pending []arrow.RecordBatch
	pendRow int
	rows    uint64
}

// NewSegmentWriter starts a segment whose first row is leaf number firstLeaf
// of the version's tree.
func NewSegmentWriter(root string, s *Schema, firstLeaf uint64, batchRows int) (*SegmentWriter, error) {
	as, err := s.ArrowSchema()
	if err != nil {
		return nil, err
	}
	enc, err := NewRowEncoder(s)
	if err != nil {
		return nil, err
	}
	sw := &SegmentWriter{root: root, schema: s, batchRows: batchRows, mem: memory.DefaultAllocator, enc: enc, acc: NewAccumulator(firstLeaf), row: make([]byte, 1, 4096)}
	if sw.file, err = CreateTemp(root, "segment-*.arrow"); err != nil {
		return nil, err
	}
	if sw.leavesF, err = CreateTemp(root, "segment-*.leaves"); err != nil {
		sw.Abort()
		return nil, err
	}
	sw.bufw = bufio.NewWriterSize(sw.file, 1<<20)
	sw.leavesW = bufio.NewWriterSize(sw.leavesF, 1<<16)
	sw.hw = &hashingWriter{w: sw.bufw, h: sha256.New()}
	sw.ipcw, err = ipc.NewFileWriter(sw.hw, ipc.WithSchema(as), ipc.WithZstd(), ipc.WithAllocator(sw.mem))
	if err != nil {
		sw.Abort()
		return nil, fmt.Errorf("segment writer: %w", err)
	}
	return sw, nil
}

// Rows returns the number of rows written so far.
func (sw *SegmentWriter) Rows() uint64 { return sw.rows }

// Write hashes the rows of rec and queues them for the segment file.
func (sw *SegmentWriter) Write(rec arrow.RecordBatch) error {
	if err := sw.enc.Bind(rec); err != nil {
		return err
	}
	n := int(rec.NumRows())
	for i := 0; i < n; i++ {
		sw.row = sw.enc.AppendRow(sw.row[:1], i)
		leaf := LeafHash(sw.row)
		sw.acc.Add(leaf)
		if _, err := sw.leavesW.Write(leaf[:]); err != nil {
			return err
		}
	}
	sw.rows += uint64(n)
	rec.Retain()
	sw.pending = append(sw.pending, rec)
	sw.pendRow += n
	if sw.pendRow >= sw.batchRows {
		return sw.flush()
	}
	return nil
}

// flush writes the pending records as one IPC record batch.
func (sw *SegmentWriter) flush() error {
	if len(sw.pending) == 0 {
		return nil
	}
	defer func() {
		for _, r := range sw.pending {
			r.Release()
		}
		sw.pending, sw.pendRow = sw.pending[:0], 0
	}()
	if len(sw.pending) == 1 {
		return sw.ipcw.Write(sw.pending[0])
	}
	rec, err := concatRecords(sw.mem, sw.pending)
	if err != nil {
		return err
	}
	defer rec.Release()
	return sw.ipcw.Write(rec)
}

func concatRecords(mem memory.Allocator, recs []arrow.RecordBatch) (arrow.RecordBatch, error) {
	ncols := int(recs[0].NumCols())
	cols := make([]arrow.Array, ncols)
	var rows int64
	for _, r := range recs {
		rows += r.NumRows()
	}
	parts := make([]arrow.Array, len(recs))
	for c := 0; c < ncols; c++ {
		for i, r := range recs {
			parts[i] = r.Column(c)
		}
		arr, err := array.Concatenate(parts, mem)
		if err != nil {
			for _, a := range cols[:c] {
				a.Release()
			}
			return nil, fmt.Errorf("re-batching segment: %w", err)
		}
		cols[c] = arr
	}
	rec := array.NewRecordBatch(recs[0].Schema(), cols, rows)
	for _, a := range cols {
		a.Release()
	}
	return rec, nil
}

// Finish completes the segment: the file and its leaf index are made durable
// under their content address. It returns the segment's reference and the
// accumulator over its leaves.
func (sw *SegmentWriter) Finish() (SegmentRef, *Accumulator, error) {
	if err := sw.finish(); err != nil {
		sw.Abort()
		return SegmentRef{}, nil, err
	}
	var sum Hash
	sw.hw.h.Sum(sum[:0])
	ref := SegmentRef{Path: SegmentPath(sum), SHA256: sum, Rows: sw.rows, Bytes: sw.hw.n}
	if err := CommitFile(sw.leavesF, sw.root, LeavesPath(sum)); err != nil {
		os.Remove(sw.file.Name())
		return SegmentRef{}, nil, err
	}
	if err := CommitFile(sw.file, sw.root, ref.Path); err != nil {
		return SegmentRef{}, nil, err
	}
	return ref, sw.acc, nil
}

func (sw *SegmentWriter) finish() error {
	if err := sw.flush(); err != nil {
		return err
	}
	if err := sw.ipcw.Close(); err != nil {
		return fmt.Errorf("closing segment: %w", err)
	}
	if err := sw.bufw.Flush(); err != nil {
		return err
	}
	return sw.leavesW.Flush()
}

// Abort discards the segment's temporary files.
func (sw *SegmentWriter) Abort() {
	for _, r := range sw.pending {
		r.Release()
	}
	sw.pending = nil
	for _, f := range []*os.File{sw.file, sw.leavesF} {
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}
}
