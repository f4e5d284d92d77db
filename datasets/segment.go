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

// segmentFile writes the Arrow IPC file of one segment (zstd-compressed
// buffers) into a temporary file, hashing its bytes. Records are re-batched
// to about batchRows rows.
type segmentFile struct {
	mem       memory.Allocator
	batchRows int
	file      *os.File
	bufw      *bufio.Writer
	hw        *hashingWriter
	ipcw      *ipc.FileWriter
	pending   []arrow.RecordBatch
	pendRows  int
	rows      uint64
}

func newSegmentFile(root string, as *arrow.Schema, batchRows int) (*segmentFile, error) {
	f, err := CreateTemp(root, "segment-*.arrow")
	if err != nil {
		return nil, err
	}
	sf := &segmentFile{mem: memory.DefaultAllocator, batchRows: batchRows, file: f, bufw: bufio.NewWriterSize(f, 1<<20)}
	sf.hw = &hashingWriter{w: sf.bufw, h: sha256.New()}
	sf.ipcw, err = ipc.NewFileWriter(sf.hw, ipc.WithSchema(as), ipc.WithZstdLevel(1), ipc.WithAllocator(sf.mem))
	if err != nil {
		sf.abort()
		return nil, fmt.Errorf("segment writer: %w", err)
	}
	return sf, nil
}

// write queues rec (retaining it) and writes a batch once enough rows wait.
func (sf *segmentFile) write(rec arrow.RecordBatch) error {
	rec.Retain()
	sf.pending = append(sf.pending, rec)
	sf.pendRows += int(rec.NumRows())
	sf.rows += uint64(rec.NumRows())
	if sf.pendRows >= sf.batchRows {
		return sf.flush()
	}
	return nil
}

// flush writes the pending records as one IPC record batch.
func (sf *segmentFile) flush() error {
	if len(sf.pending) == 0 {
		return nil
	}
	defer sf.release()
	if len(sf.pending) == 1 {
		return sf.ipcw.Write(sf.pending[0])
	}
	rec, err := concatRecords(sf.mem, sf.pending)
	if err != nil {
		return err
	}
	defer rec.Release()
	return sf.ipcw.Write(rec)
}

func (sf *segmentFile) release() {
	for _, r := range sf.pending {
		r.Release()
	}
	sf.pending, sf.pendRows = sf.pending[:0], 0
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

// close writes what is pending and the IPC footer; the file stays open for
// commit. The IPC writer (a zstd encoder per column, with its history
// buffers) and the write buffer are dropped: a builder keeps every closed
// segment until Finish, and holding them made a run's memory grow with
// its segments (about 10 MiB each).
func (sf *segmentFile) close() error {
	if err := sf.flush(); err != nil {
		return err
	}
	if err := sf.ipcw.Close(); err != nil {
		return fmt.Errorf("closing segment: %w", err)
	}
	err := sf.bufw.Flush()
	sf.ipcw, sf.bufw, sf.hw.w, sf.pending = nil, nil, nil, nil
	return err
}

func (sf *segmentFile) sum() Hash {
	var h Hash
	sf.hw.h.Sum(h[:0])
	return h
}

func (sf *segmentFile) abort() {
	sf.release()
	sf.file.Close()
	os.Remove(sf.file.Name())
}

// leafFile accumulates a segment's part of the Merkle tree and writes its
// leaf index into a temporary file.
type leafFile struct {
	file *os.File
	bufw *bufio.Writer
	acc  *Accumulator
}

func newLeafFile(root string, firstLeaf uint64) (*leafFile, error) {
	f, err := CreateTemp(root, "segment-*.leaves")
	if err != nil {
		return nil, err
	}
	return &leafFile{file: f, bufw: bufio.NewWriterSize(f, 1<<16), acc: NewAccumulator(firstLeaf)}, nil
}

func (lf *leafFile) add(leaves []Hash) error {
	for i := range leaves {
		lf.acc.Add(leaves[i])
		if _, err := lf.bufw.Write(leaves[i][:]); err != nil {
			return err
		}
	}
	return nil
}

func (lf *leafFile) close() error { return lf.bufw.Flush() }

func (lf *leafFile) abort() {
	lf.file.Close()
	os.Remove(lf.file.Name())
}

// hashRows returns the leaf hashes of every row of rec, in leaves (reused
// when its capacity suffices).
func hashRows(enc *RowEncoder, buf []byte, leaves []Hash, rec arrow.RecordBatch) ([]Hash, []byte, error) {
	if err := enc.Bind(rec); err != nil {
		return nil, buf, err
	}
	n := int(rec.NumRows())
	if cap(leaves) < n {
		leaves = make([]Hash, n)
	}
	leaves = leaves[:n]
	for i := 0; i < n; i++ {
		buf = enc.AppendRow(buf[:1], i)
		leaves[i] = LeafHash(buf)
	}
	return leaves, buf, nil
}
