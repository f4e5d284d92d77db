package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zeebo/xxh3"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// A version's key digest file is a derived, non-authoritative cache of the
// sorted key digests of all its rows, so the next version's key check
// streams it instead of reading every earlier row's key into memory. It
// lives at keydigests/<manifest hash>.keys; a missing or damaged file is
// recomputed from the segments. Layout: the magic "GTKEYS01", the 64-bit
// hash seed and the digest count (little-endian), the digests in ascending
// order (8 bytes each, little-endian), then the XXH3-64 of everything
// before it.

// keysDir is the store-relative folder of the key digest files.
const keysDir = "keydigests"

const (
	keyFileMagic = "GTKEYS01"
	keyFileHead  = 24
	keyFileChunk = 8 << 10
)

// errKeyFile marks a key digest file that cannot be used (missing, short,
// out of order or failing its checksum); the writer recomputes the digests.
var errKeyFile = errors.New("key digest file unusable")

// keyFileRel is the store-relative path of version h's key digest file.
func keyFileRel(h datasets.Hash) string { return filepath.Join(keysDir, h.Hex()+".keys") }

// digestIter yields digests in ascending order; ok is false at the end.
type digestIter interface {
	next() (d uint64, ok bool, err error)
}

// keyFileWriter writes a key digest file to a temporary file.
type keyFileWriter struct {
	f          *os.File
	h          *xxh3.Hasher
	buf        []byte
	n, want    uint64
	prev       uint64
	root, name string
}

// createKeyFile starts a digest file of count digests hashed with seed.
func createKeyFile(root string, seed, count uint64) (*keyFileWriter, error) {
	f, err := datasets.CreateTemp(root, "keyfile-*.keys")
	if err != nil {
		return nil, fmt.Errorf("creating a key digest file: %w", err)
	}
	w := &keyFileWriter{f: f, h: xxh3.New(), buf: make([]byte, 0, keyFileChunk), want: count, root: root, name: f.Name()}
	w.buf = append(w.buf, keyFileMagic...)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, seed)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, count)
	return w, nil
}

// add appends the next digest (ascending).
func (w *keyFileWriter) add(d uint64) error {
	if w.n > 0 && d < w.prev {
		return fmt.Errorf("key digest file %s: digests out of order", w.name)
	}
	w.prev, w.n = d, w.n+1
	w.buf = binary.LittleEndian.AppendUint64(w.buf, d)
	if len(w.buf) == cap(w.buf) {
		return w.flush()
	}
	return nil
}

func (w *keyFileWriter) flush() error {
	w.h.Write(w.buf)
	if _, err := w.f.Write(w.buf); err != nil {
		return fmt.Errorf("writing %s: %w", w.name, err)
	}
	w.buf = w.buf[:0]
	return nil
}

// finish writes the checksum; the file is complete but still temporary.
func (w *keyFileWriter) finish() error {
	if w.n != w.want {
		return fmt.Errorf("key digest file: %d digests written, %d announced", w.n, w.want)
	}
	if err := w.flush(); err != nil {
		return err
	}
	w.buf = binary.LittleEndian.AppendUint64(w.buf, w.h.Sum64())
	if _, err := w.f.Write(w.buf); err != nil {
		return fmt.Errorf("writing %s: %w", w.name, err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", w.name, err)
	}
	return nil
}

// install fsyncs the file and renames it to keydigests/<h>.keys, replacing a
// file of that name.
func (w *keyFileWriter) install(h datasets.Hash) error {
	rel := keyFileRel(h)
	removeQuiet(filepath.Join(w.root, rel))
	err := datasets.CommitFile(w.f, w.root, rel)
	w.f = nil
	return err
}

// discard removes the temporary file.
func (w *keyFileWriter) discard() {
	if w != nil && w.f != nil {
		w.f.Close()
		removeQuiet(w.name)
		w.f = nil
	}
}

// keyFileReader streams a key digest file, checking its order, length and
// checksum; it holds one chunk of the file (heldBytes) whatever its size.
type keyFileReader struct {
	f           *os.File
	path        string
	h           *xxh3.Hasher
	seed, count uint64
	left        uint64
	buf         []byte
	pos         int
	prev        uint64
	done        bool
}

// openKeyFile opens version h's digest file and checks its header and
// length against rows; errors wrap errKeyFile (or fs.ErrNotExist).
func openKeyFile(root string, h datasets.Hash, rows uint64) (*keyFileReader, error) {
	path := filepath.Join(root, keyFileRel(h))
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := &keyFileReader{f: f, path: path, h: xxh3.New(), buf: make([]byte, 0, keyFileChunk)}
	if err := r.header(rows); err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func (r *keyFileReader) header(rows uint64) error {
	var head [keyFileHead]byte
	if _, err := io.ReadFull(r.f, head[:]); err != nil || string(head[:8]) != keyFileMagic {
		return fmt.Errorf("%w: %s has no key digest header", errKeyFile, r.path)
	}
	r.seed = binary.LittleEndian.Uint64(head[8:])
	r.count = binary.LittleEndian.Uint64(head[16:])
	fi, err := r.f.Stat()
	if err != nil {
		return err
	}
	if r.count != rows || uint64(fi.Size()) != keyFileHead+8*r.count+8 {
		return fmt.Errorf("%w: %s holds %d digests in %d bytes, want %d", errKeyFile, r.path, r.count, fi.Size(), rows)
	}
	return r.rewind()
}

// rewind restarts the digests from the first.
func (r *keyFileReader) rewind() error {
	if _, err := r.f.Seek(keyFileHead, io.SeekStart); err != nil {
		return err
	}
	r.h.Reset()
	var head [keyFileHead]byte
	copy(head[:], keyFileMagic)
	binary.LittleEndian.PutUint64(head[8:], r.seed)
	binary.LittleEndian.PutUint64(head[16:], r.count)
	r.h.Write(head[:])
	r.left, r.buf, r.pos, r.prev, r.done = r.count, r.buf[:0], 0, 0, false
	return nil
}

// heldBytes is the memory the reader holds for digests.
func (r *keyFileReader) heldBytes() int { return cap(r.buf) }

func (r *keyFileReader) next() (uint64, bool, error) {
	if r.pos == len(r.buf) {
		if r.left == 0 {
			if r.done {
				return 0, false, nil
			}
			r.done = true
			return 0, false, r.verify()
		}
		n := min(r.left, keyFileChunk/8)
		r.buf = r.buf[:8*n]
		if _, err := io.ReadFull(r.f, r.buf); err != nil {
			return 0, false, fmt.Errorf("%w: reading %s: %v", errKeyFile, r.path, err)
		}
		r.h.Write(r.buf)
		r.pos, r.left = 0, r.left-n
	}
	d := binary.LittleEndian.Uint64(r.buf[r.pos:])
	if d < r.prev {
		return 0, false, fmt.Errorf("%w: %s is not sorted", errKeyFile, r.path)
	}
	r.pos += 8
	r.prev = d
	return d, true, nil
}

// verify compares the checksum after the last digest.
func (r *keyFileReader) verify() error {
	var sum [8]byte
	if _, err := io.ReadFull(r.f, sum[:]); err != nil || binary.LittleEndian.Uint64(sum[:]) != r.h.Sum64() {
		return fmt.Errorf("%w: %s fails its checksum", errKeyFile, r.path)
	}
	return nil
}

func (r *keyFileReader) close() {
	if r != nil && r.f != nil {
		r.f.Close()
		r.f = nil
	}
}

// sliceIter yields a sorted slice.
type sliceIter struct{ s []uint64 }

func (it *sliceIter) next() (uint64, bool, error) {
	if len(it.s) == 0 {
		return 0, false, nil
	}
	d := it.s[0]
	it.s = it.s[1:]
	return d, true, nil
}
