package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
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
// of one small batch, read without copies. Every read of the mapping runs
// inside rowBlocks.read (F107): a file truncated by someone else after it
// was mapped faults the reading goroutine (SIGBUS), which the runtime then
// turns into a panic that read recovers as an ErrCorrupt error, and the
// caller drops and rebuilds the file, instead of killing the process.
//
// The blocks are built only from bytes whose SHA-256 was checked against the
// manifest in the same read (the segment is read into memory, hashed, then
// decoded), so a file damaged after its last check cannot leak into them.
// When a segment is found corrupt or restored, its entry is dropped and its
// row-block file deleted (drop): the next request builds it again.

// rowCache holds the row blocks of the segments that have been asked for.
type rowCache struct {
	dir   string
	files *files
	segs  sync.Map // datasets.Hash → *rowEntry; every row request looks here, so without a lock
}

type rowEntry struct {
	once  sync.Once
	rb    *rowBlocks
	err   error
	built atomic.Bool // once has run (rb and err are set)
}

// rowBlocks is one segment's memory-mapped row-block file.
type rowBlocks struct {
	data []byte
	r    *ipc.FileReader
	rows uint64
	// path and id are the file's path and its identity when it was
	// mapped; built says this process built it from the hash-checked
	// segment (a file found on disk was written by an earlier process and
	// may have been edited since; rows read from it one by one are checked
	// against their leaves, downloads do not read it).
	path  string
	id    fileID
	built bool
	// blocks keeps decoded blocks for the row endpoint (rowbatches.go).
	blocks *decoded
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
	return &rowCache{dir: dir, files: fs}, nil
}

// get returns the row blocks of a segment, building them on first use;
// concurrent callers wait for the one build.
func (c *rowCache) get(root string, ref datasets.SegmentRef, sch *datasets.Schema) (*rowBlocks, error) {
	e := c.entry(ref.SHA256)
	e.once.Do(func() {
		e.rb, e.err = c.load(root, ref, sch)
		e.built.Store(true)
	})
	if e.err != nil {
		c.segs.CompareAndDelete(ref.SHA256, e) // try again next time
	}
	return e.rb, e.err
}

// entry returns segment h's entry, adding an unbuilt one if there is none.
func (c *rowCache) entry(h datasets.Hash) *rowEntry { return loadOrAdd[rowEntry](&c.segs, h) }

// cached returns the row blocks of segment h when they are already built,
// else nil (it never builds them).
func (c *rowCache) cached(h datasets.Hash) *rowBlocks {
	v, _ := c.segs.Load(h)
	e, _ := v.(*rowEntry)
	if e == nil || !e.built.Load() || e.err != nil || !e.rb.built {
		return nil
	}
	return e.rb
}

// unchanged reports whether the mapped file still has the identity it had
// when this process built and mapped it: an edit in place changes its
// change time, which no user can set back.
func (rb *rowBlocks) unchanged() bool {
	fi, err := os.Stat(rb.path)
	return err == nil && idOf(fi) == rb.id
}

func (c *rowCache) path(h datasets.Hash) string {
	// ".v2": files of earlier releases were built without the hash check.
	return filepath.Join(c.dir, h.Hex()[:2], h.Hex()+".rows.v2.arrow")
}

func (c *rowCache) load(root string, ref datasets.SegmentRef, sch *datasets.Schema) (*rowBlocks, error) {
	p := c.path(ref.SHA256)
	if rb, err := openBlocks(p, ref.Rows, sch); err == nil {
		return rb, nil
	}
	if err := c.build(root, ref, sch, p); err != nil {
		return nil, fmt.Errorf("serve: row blocks of segment %s: %w", ref.SHA256, err)
	}
	rb, err := openBlocks(p, ref.Rows, sch)
	if err == nil {
		rb.built = true
	}
	return rb, err
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
	rb := &rowBlocks{data: data, rows: rows, path: path, id: idOf(st)}
	err = rb.read(func() (err error) {
		if rb.r, err = ipc.NewMappedFileReader(data); err != nil {
			return err
		}
		if err := sch.CheckArrow(rb.r.Schema()); err != nil {
			return err
		}
		if uint64(rb.r.NumRecords()) != (rows+blockRows-1)/blockRows {
			return fmt.Errorf("%d blocks for %d rows", rb.r.NumRecords(), rows)
		}
		return nil
	})
	if err != nil {
		rb.close()
		return nil, err
	}
	rb.blocks = newDecoded(rb.r.NumRecords())
	return rb, nil
}

// row returns the block holding row off of the segment and the row's
// position in it; the caller releases the block.
func (rb *rowBlocks) row(off uint64) (arrow.RecordBatch, int, error) {
	if off >= rb.rows {
		return nil, 0, fmt.Errorf("%w: row %d of a segment of %d rows", datasets.ErrProof, off, rb.rows)
	}
	rec, err := rb.blocks.block(int(off/blockRows), rb.r.RecordBatchAt)
	if err != nil {
		return nil, 0, err
	}
	return rec, int(off % blockRows), nil
}

// read runs fn, which reads the mapping, and turns a memory fault while it
// runs (the mapped file was truncated) into an ErrCorrupt error. Values fn
// keeps must not alias the mapping (api.Value copies them).
func (rb *rowBlocks) read(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(interface{ Addr() uintptr })
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("%w: row-block file %s faulted at address %#x (truncated since it was mapped?)", ErrCorrupt, rb.path, f.Addr())
		}
	}()
	return fn()
}

func (rb *rowBlocks) close() {
	if rb.blocks != nil {
		rb.blocks.forget()
	}
	if rb.r != nil {
		rb.r.Close()
	}
	if rb.data != nil {
		syscall.Munmap(rb.data)
		rb.data = nil
	}
}

// drop forgets the row blocks of segment h and deletes their file; a
// request still reading the old mapping keeps it (it is not unmapped).
func (c *rowCache) drop(h datasets.Hash) {
	if v, ok := c.segs.LoadAndDelete(h); ok {
		if e := v.(*rowEntry); e.built.Load() && e.rb != nil {
			e.rb.blocks.forget()
		}
	}
	os.Remove(c.path(h))
}

func (c *rowCache) close() {
	c.segs.Range(func(h, v any) bool {
		if _, ok := c.segs.LoadAndDelete(h); ok {
			if e := v.(*rowEntry); e.built.Load() && e.rb != nil {
				e.rb.close()
			}
		}
		return true
	})
}

// build rewrites a segment's rows as 256-row uncompressed batches.
func (c *rowCache) build(root string, ref datasets.SegmentRef, sch *datasets.Schema, dst string) error {
	sr, err := openVerified(root, ref, sch)
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
	for b := 0; b < sr.NumRecords(); b++ {
		rec, err := sr.RecordBatchAt(b)
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

// openVerified reads a segment into memory, checks its SHA-256 against the
// manifest's and returns a reader over those very bytes.
func openVerified(root string, ref datasets.SegmentRef, sch *datasets.Schema) (*ipc.FileReader, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(ref.Path)))
	if err != nil {
		return nil, fmt.Errorf("%w: segment %s is missing or unreadable", ErrCorrupt, ref.SHA256)
	}
	if got := datasets.Hash(sha256.Sum256(data)); got != ref.SHA256 {
		return nil, fmt.Errorf("%w: segment %s hashes to %s: its bytes are not the attested ones", ErrCorrupt, ref.SHA256, got)
	}
	r, err := ipc.NewFileReader(bytes.NewReader(data), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return nil, fmt.Errorf("%w: segment %s is not a readable Arrow IPC file: %v", datasets.ErrIntegrity, ref.Path, err)
	}
	if err := sch.CheckArrow(r.Schema()); err != nil {
		r.Close()
		return nil, fmt.Errorf("%w: segment %s: %v", datasets.ErrIntegrity, ref.Path, err)
	}
	return r, nil
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

// smallBatches is sliceBatches over a segment's row blocks: a download
// decodes nothing (the blocks are uncompressed and mapped) and renders 256
// rows at a time, so one whose client stops reading holds one block, not a
// decoded batch of about 65,536 rows, and costs no more CPU than the rows
// the socket took.
func (s *Server) smallBatches(ctx context.Context, v *versionState, rb *rowBlocks, pos, begin, end uint64, fn func(rec arrow.RecordBatch, first uint64) error) (n uint64, err error) {
	err = rb.read(func() error {
		skip := int((max(begin, pos) - pos) / blockRows) // blocks wholly before begin
		pos += uint64(skip) * blockRows
		nb := rb.r.NumRecords() - skip
		if !rb.unchanged() {
			return fmt.Errorf("%w: the row blocks of %s changed on disk since this server built them", ErrCorrupt, v.ref())
		}
		n, err = s.sliceBatches(ctx, v, nb, func(b int) (arrow.RecordBatch, error) { return rb.r.RecordBatchAt(skip + b) }, pos, begin, end, fn)
		if err == nil && !rb.unchanged() { // edited while it was read: abort, no trailers
			err = fmt.Errorf("%w: the row blocks of %s changed on disk while they were read", ErrCorrupt, v.ref())
		}
		return err
	})
	return n, err
}
