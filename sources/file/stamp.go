package file

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"hash"
	"io"
	"io/fs"
	"os"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// readFile is what a fetch needs of an open file; os.Open's *os.File is
// one, and tests wrap it to count the bytes read.
type readFile interface {
	io.ReaderAt
	io.Closer
	Stat() (fs.FileInfo, error)
}

func openFile(path string) (readFile, error) { return os.Open(path) }

// stamp identifies one state of a file without reading it: any write
// changes its ctime (which no user can set back), a replacement its
// inode or device.
type stamp struct {
	Size  int64  `json:"size"`
	Mtime int64  `json:"mtime_ns"`
	Ctime int64  `json:"ctime_ns"`
	Inode uint64 `json:"inode"`
	Dev   uint64 `json:"dev"`
}

// partResume is what the cursor of a fetch that stopped before the end of
// the file (sources.ErrEnough) records so that the next part need not
// hash the whole file again: the file's stamp and whole-file SHA-256 when
// the part was read, the SHA-256 state after the bytes consumed and the
// line breaks in them. The next fetch uses it only when the file's stamp
// is the same; otherwise it hashes the whole file as any fetch does.
type partResume struct {
	stamp
	SHA256 datasets.Hash `json:"file_sha256"`
	State  []byte        `json:"sha256_state,omitempty"`
	Lines  uint64        `json:"lines,omitempty"`
}

// fileStamp returns f's stamp; ok is false where the platform gives none.
func fileStamp(f readFile) (stamp, bool) {
	st, err := f.Stat()
	if err != nil {
		return stamp{}, false
	}
	return stampOf(st)
}

// resumeScan returns the scan of a file that the cursor's part record
// describes, reading only the bytes at its edges, or nil when the record
// does not apply (no record, another stamp, an inconsistent state).
func resumeScan(f readFile, st stamp, ok bool, c cursor) *scan {
	r := c.File
	if r == nil || !ok || r.stamp != st || c.Bytes > st.Size || r.State == nil {
		return nil
	}
	h := sha256.New()
	if h.(encoding.BinaryUnmarshaler).UnmarshalBinary(r.State) != nil {
		return nil
	}
	sc := &scan{size: st.Size, digest: r.SHA256, state: r.State, lines: r.Lines}
	if copy(sc.prefix[:], h.Sum(nil)); sc.prefix != c.SHA256 {
		return nil
	}
	if st.Size > 0 {
		var last [1]byte
		if _, err := f.ReadAt(last[:], st.Size-1); err != nil {
			return nil
		}
		sc.last = last[0]
	}
	next := make([]byte, min(2, st.Size-c.Bytes))
	if _, err := f.ReadAt(next, c.Bytes); err != nil {
		return nil
	}
	sc.next = next
	return sc
}

// teeHash hashes what is read from r, counts its line breaks, and keeps
// the hash state at a few recent offsets (marks) so that the state at an
// offset just read can be had without reading from the start again.
type teeHash struct {
	r     io.Reader
	h     hash.Hash
	pos   int64  // file offset of the next byte
	lines uint64 // line breaks before pos
	marks [4]mark
	next  int // ring index of the next mark
}

// mark is the hash state at a file offset.
type mark struct {
	pos   int64
	lines uint64
	state []byte
}

// markEvery is the least distance between two marks.
const markEvery = 64 << 10

func newTeeHash(r io.Reader, h hash.Hash, pos int64, lines uint64) *teeHash {
	t := &teeHash{r: r, h: h, pos: pos, lines: lines}
	t.mark()
	return t
}

func (t *teeHash) mark() {
	state, _ := t.h.(encoding.BinaryMarshaler).MarshalBinary()
	t.marks[t.next%len(t.marks)] = mark{pos: t.pos, lines: t.lines, state: state}
	t.next++
}

func (t *teeHash) Read(p []byte) (int, error) {
	if last := t.marks[(t.next-1)%len(t.marks)]; t.pos-last.pos >= markEvery {
		t.mark()
	}
	n, err := t.r.Read(p)
	t.h.Write(p[:n])
	t.lines += uint64(bytes.Count(p[:n], []byte{'\n'}))
	t.pos += int64(n)
	return n, err
}

// stateAt returns the hash and line count at offset at, which must not be
// past t.pos: it continues the latest mark at or before at over the bytes
// of f up to at, or base (the state at offset from, with lines) when no
// mark is left there.
func (t *teeHash) stateAt(ctx context.Context, f readFile, at int64, base mark) (hash.Hash, uint64, error) {
	m := base
	for _, k := range t.marks {
		if k.state != nil && k.pos <= at && k.pos > m.pos {
			m = k
		}
	}
	h := sha256.New()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(m.state); err != nil {
		return nil, 0, err
	}
	lines := m.lines
	buf := make([]byte, min(chunkSize, at-m.pos))
	for off := m.pos; off < at; {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		n, err := f.ReadAt(buf[:min(int64(len(buf)), at-off)], off)
		if n == 0 && err != nil {
			return nil, 0, err
		}
		h.Write(buf[:n])
		lines += uint64(bytes.Count(buf[:n], []byte{'\n'}))
		off += int64(n)
	}
	return h, lines, nil
}
