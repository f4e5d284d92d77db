package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// runRows is how many key digests a run holds in memory (8 MiB) before it
// is sorted and written to a temporary file, so a large version's key check
// needs bounded memory.
var runRows = 1 << 20

// cacheRows bounds the versions whose sorted digests stay cached in memory
// for the next version's check; a larger version's digests are written to
// its key digest file (keyfile.go) and streamed from there. A variable so
// tests can lower it.
var cacheRows = 2 << 20

// keyRuns collects the key digests of a version's new rows as sorted runs:
// the current run in memory, earlier ones in a temporary file under tmp/
// that this writer removes.
type keyRuns struct {
	root  string
	buf   []uint64
	tmp   []uint64 // sortDigests' second buffer, reused by every run
	file  *os.File
	w     *bufio.Writer
	runs  []int64 // lengths of the runs in the file, in order
	total int
}

func newKeyRuns(root string) *keyRuns { return &keyRuns{root: root} }

// add appends digests, spilling full runs.
func (r *keyRuns) add(ds []uint64) error {
	for len(ds) > 0 {
		n := min(len(ds), runRows-len(r.buf))
		r.buf = append(r.buf, ds[:n]...)
		ds = ds[n:]
		r.total += n
		if len(r.buf) == runRows {
			if err := r.spill(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *keyRuns) spill() error {
	if r.file == nil {
		f, err := datasets.CreateTemp(r.root, "keys-*.bin")
		if err != nil {
			return err
		}
		r.file, r.w = f, bufio.NewWriterSize(f, 1<<16)
	}
	r.tmp = sortDigests(r.buf, r.tmp)
	if err := writeDigests(r.w, r.buf); err != nil {
		return err
	}
	r.runs = append(r.runs, int64(len(r.buf)))
	r.buf = r.buf[:0]
	return nil
}

// writeDigests writes ds little-endian, 8 KiB at a time.
func writeDigests(w io.Writer, ds []uint64) error {
	var b [8 << 10]byte
	for len(ds) > 0 {
		n := min(len(ds), len(b)/8)
		for i, d := range ds[:n] {
			binary.LittleEndian.PutUint64(b[8*i:], d)
		}
		if _, err := w.Write(b[:8*n]); err != nil {
			return fmt.Errorf("writing key digests: %w", err)
		}
		ds = ds[n:]
	}
	return nil
}

// inMemory reports whether every digest is in the sorted buffer (after
// finish), so it can be cached.
func (r *keyRuns) inMemory() bool { return r.file == nil }

// finish sorts the last run and flushes the file.
func (r *keyRuns) finish() error {
	r.tmp = sortDigests(r.buf, r.tmp)
	r.tmp = nil
	if r.w != nil {
		return r.w.Flush()
	}
	return nil
}

// close removes the temporary file.
func (r *keyRuns) close() {
	if r.file != nil {
		r.file.Close()
		removeQuiet(r.file.Name())
		r.file = nil
	}
}

// runReader yields one sorted run in order: from memory, or from its part
// of the runs' file, decoded a block at a time.
type runReader struct {
	r     io.Reader
	left  int64    // digests of the file's run not yet read into block
	mem   []uint64 // digests not yet yielded (the in-memory run, or the block)
	raw   []byte   // the block's bytes, reused
	block []uint64 // the decoded block, reused
	head  uint64
	ok    bool
}

// runBlock is how many digests a runReader reads from its file at once.
const runBlock = 8 << 10

func (rr *runReader) next() error {
	if len(rr.mem) == 0 && rr.r != nil && rr.left > 0 {
		if err := rr.fill(); err != nil {
			return err
		}
	}
	if len(rr.mem) == 0 {
		rr.ok = false
		return nil
	}
	rr.head, rr.mem, rr.ok = rr.mem[0], rr.mem[1:], true
	return nil
}

// fill reads the next block of the run from its file.
func (rr *runReader) fill() error {
	n := int(min(rr.left, runBlock))
	if rr.raw == nil {
		rr.raw, rr.block = make([]byte, 8*runBlock), make([]uint64, runBlock)
	}
	if _, err := io.ReadFull(rr.r, rr.raw[:8*n]); err != nil {
		return fmt.Errorf("reading key digests: %w", err)
	}
	for i := range n {
		rr.block[i] = binary.LittleEndian.Uint64(rr.raw[8*i:])
	}
	rr.mem, rr.left = rr.block[:n], rr.left-int64(n)
	return nil
}

// iter returns the digests in sorted order (a k-way merge of the runs);
// call finish first.
func (r *keyRuns) iter() (*mergeIter, error) {
	m := &mergeIter{}
	var off int64
	for _, n := range r.runs {
		sec := io.NewSectionReader(r.file, off*8, n*8)
		m.readers = append(m.readers, &runReader{r: sec, left: n})
		off += n
	}
	m.readers = append(m.readers, &runReader{mem: r.buf})
	for _, rr := range m.readers {
		if err := rr.next(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// mergeIter merges sorted runs.
type mergeIter struct{ readers []*runReader }

func (m *mergeIter) next() (uint64, bool, error) {
	var best *runReader
	for _, rr := range m.readers {
		if rr.ok && (best == nil || rr.head < best.head) {
			best = rr
		}
	}
	if best == nil {
		return 0, false, nil
	}
	d := best.head
	return d, true, best.next()
}
