package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// blockRows is the number of rows of a row block.
const blockRows = 256

// The row endpoint must answer in well under a millisecond, but a segment
// stores its rows in zstd-compressed batches of about 65,536 rows. So the
// first request for a row of a segment writes the segment's rows once more
// into the cache folder as an uncompressed Arrow IPC file of 256-row
// batches, named after the segment's hash (derived data: safe to delete when
// the server is stopped). The file is memory-mapped; a row is then a slice
// of one small batch, read without copies.

// rowCache holds the row blocks of the segments that have been asked for.
type rowCache struct {
	dir   string
	files *files
	mu    sync.Mutex
	segs  map[datasets.Hash]*rowEntry
}

type rowEntry struct {
	once sync.Once
	rb   *rowBlocks
	err  error
}

// rowBlocks is one segment's memory-mapped row-block file.
type rowBlocks struct {
	data []byte
	r    *ipc.FileReader
	rows uint64
}

func newRowCache(dir string, fs *files) (*rowCache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("serve: cache folder: %w", err)
	}
	if old, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(old) > 0 {
		for _, f := range old {
			os.Remove(f)
		}
	}
	return &rowCache{dir: dir, files: fs, segs: map[datasets.Hash]*rowEntry{}}, nil
}

// get returns the row blocks of a segment, building them on first use;
// concurrent callers wait for the one build.
func (c *rowCache) get(root string, ref datasets.SegmentRef, sch *datasets.Schema) (*rowBlocks, error) {
	c.mu.Lock()
	e := c.segs[ref.SHA256]
	if e == nil {
		e = &rowEntry{}
		c.segs[ref.SHA256] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.rb, e.err = c.load(root, ref, sch) })
	if e.err != nil {
		c.mu.Lock()
		delete(c.segs, ref.SHA256) // try again next time
		c.mu.Unlock()
	}
	return e.rb, e.err
}

func (c *rowCache) path(h datasets.Hash) string {
	return filepath.Join(c.dir, h.Hex()[:2], h.Hex()+".rows.arrow")
}

func (c *rowCache) load(root string, ref datasets.SegmentRef, sch *datasets.Schema) (*rowBlocks, error) {
	p := c.path(ref.SHA256)
	if rb, err := openBlocks(p, ref.Rows, sch); err == nil {
		return rb, nil
	}
	if err := c.build(root, ref, sch, p); err != nil {
		return nil, fmt.Errorf("serve: row blocks of segment %s: %w", ref.SHA256, err)
	}
	return openBlocks(p, ref.Rows, sch)
}

// openBlocks maps a row-block file and checks it holds rows rows of sch.
func openBlocks(path string, rows uint64, sch *datasets.Schema) (*rowBlocks, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return nil, fmt.Errorf("empty row-block file")
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	rb := &rowBlocks{data: data, rows: rows}
	rb.r, err = ipc.NewMappedFileReader(data)
	if err == nil {
		err = sch.CheckArrow(rb.r.Schema())
	}
	if err == nil && uint64(rb.r.NumRecords()) != (rows+blockRows-1)/blockRows {
		err = fmt.Errorf("%d blocks for %d rows", rb.r.NumRecords(), rows)
	}
	if err != nil {
		rb.close()
		return nil, err
	}
	return rb, nil
}

// row returns the block holding row off of the segment and the row's
// position in it; the caller releases the block.
func (rb *rowBlocks) row(off uint64) (arrow.RecordBatch, int, error) {
	if off >= rb.rows {
		return nil, 0, fmt.Errorf("%w: row %d of a segment of %d rows", datasets.ErrProof, off, rb.rows)
	}
	rec, err := rb.r.RecordBatchAt(int(off / blockRows))
	if err != nil {
		return nil, 0, err
	}
	return rec, int(off % blockRows), nil
}

func (rb *rowBlocks) close() {
	if rb.r != nil {
		rb.r.Close()
	}
	if rb.data != nil {
		syscall.Munmap(rb.data)
		rb.data = nil
	}
}

func (c *rowCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.segs {
		if e.rb != nil {
			e.rb.close()
		}
		delete(c.segs, h)
	}
}

// build rewrites a segment's rows as 256-row uncompressed batches.
func (c *rowCache) build(root string, ref datasets.SegmentRef, sch *datasets.Schema, dst string) error {
	sr, err := datasets.OpenSegment(root, ref, sch)
	if err != nil {
		return err
	}
	defer sr.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	w, err := ipc.NewFileWriter(tmp, ipc.WithSchema(sr.Schema()))
	if err != nil {
		return err
	}
	ch := &chunker{w: w, schema: sr.Schema()}
	for b := 0; b < sr.NumBatches(); b++ {
		rec, err := sr.Batch(b)
		if err != nil {
			return err
		}
		err = ch.add(rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	if err := ch.flush(); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if ch.rows != ref.Rows {
		return fmt.Errorf("%w: segment %s holds %d rows, the manifest says %d", datasets.ErrIntegrity, ref.Path, ch.rows, ref.Rows)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// chunker cuts records into blockRows-row batches.
type chunker struct {
	w       *ipc.FileWriter
	schema  *arrow.Schema
	pending []arrow.RecordBatch
	n       int64
	rows    uint64
}

func (ch *chunker) add(rec arrow.RecordBatch) error {
	for off := int64(0); off < rec.NumRows(); {
		take := min(blockRows-ch.n, rec.NumRows()-off)
		ch.pending = append(ch.pending, rec.NewSlice(off, off+take))
		ch.n += take
		off += take
		if ch.n == blockRows {
			if err := ch.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ch *chunker) flush() error {
	if len(ch.pending) == 0 {
		return nil
	}
	defer func() {
		for _, r := range ch.pending {
			r.Release()
		}
		ch.pending, ch.n = ch.pending[:0], 0
	}()
	cols := make([]arrow.Array, ch.schema.NumFields())
	for c := range cols {
		parts := make([]arrow.Array, len(ch.pending))
		for i, r := range ch.pending {
			parts[i] = r.Column(c)
		}
		a, err := array.Concatenate(parts, memory.DefaultAllocator)
		if err != nil {
			return err
		}
		defer a.Release()
		cols[c] = a
	}
	rec := array.NewRecordBatch(ch.schema, cols, ch.n)
	defer rec.Release()
	ch.rows += uint64(ch.n)
	return ch.w.Write(rec)
}
