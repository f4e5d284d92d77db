package file

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/json"
	"fmt"
	"hash"
	"io"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// cursor is the position of a file source: the bytes consumed, the SHA-256
// of that prefix and the records read from it.
type cursor struct {
	Bytes   int64         `json:"bytes"`
	SHA256  datasets.Hash `json:"sha256"`
	Records uint64        `json:"records"`
	// Unterminated is set when the last record read had no line break
	// after it: more data must then start with one.
	Unterminated bool `json:"unterminated,omitempty"`
	// Partial is set when a parquet read stopped after Records rows
	// because its Emit had enough (sources.ErrEnough); the next fetch
	// reads the rows after them from the same, unchanged file.
	Partial bool `json:"partial,omitempty"`
	// File is set by a fetch that stopped before the end of the file: the
	// next fetch resumes from it without hashing the whole file again
	// when the file's stamp is unchanged.
	File *partResume `json:"file,omitempty"`
}

var emptySHA256 = datasets.Hash(sha256.Sum256(nil))

func decodeCursor(b sources.Cursor) (cursor, error) {
	if len(b) == 0 {
		return cursor{SHA256: emptySHA256}, nil
	}
	var c cursor
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%w: file cursor %q: %v", sources.ErrCursor, b, err)
	}
	if c.Bytes < 0 {
		return c, fmt.Errorf("%w: file cursor %q: negative byte count", sources.ErrCursor, b)
	}
	if c.File != nil && c.File.Size < c.Bytes {
		return c, fmt.Errorf("%w: file cursor %q: the file's recorded size is below the byte count", sources.ErrCursor, b)
	}
	return c, nil
}

func (c cursor) encode() sources.Cursor {
	b, _ := json.Marshal(c)
	return b
}

// chunkSize is the read size of the hashing pass.
const chunkSize = 1 << 20

// scan is what one pass over a whole file learns.
type scan struct {
	size   int64
	digest datasets.Hash // SHA-256 of the whole file
	prefix datasets.Hash // SHA-256 of the first `at` bytes
	state  []byte        // SHA-256 state after the first `at` bytes
	lines  uint64        // line breaks in the first `at` bytes
	last   byte          // the file's last byte (0 when empty)
	next   []byte        // up to two bytes from `at`
}

// scanFile hashes f (of length size) in one pass and records the state at
// byte at (at ≤ size).
func scanFile(ctx context.Context, f io.ReaderAt, size, at int64) (*scan, error) {
	sc := &scan{size: size}
	h := sha256.New()
	buf := make([]byte, chunkSize)
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := f.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if n == 0 && err != nil {
			return nil, fmt.Errorf("%w: reading: %w", sources.ErrTransient, err)
		}
		chunk := buf[:n]
		if off <= at && at < off+int64(n) {
			k := at - off
			sc.lines += uint64(bytes.Count(chunk[:k], []byte{'\n'}))
			h.Write(chunk[:k])
			sc.mark(h)
			sc.next = append(sc.next, chunk[k:min(int64(n), k+2)]...)
			h.Write(chunk[k:])
		} else {
			if off+int64(n) <= at {
				sc.lines += uint64(bytes.Count(chunk, []byte{'\n'}))
			}
			h.Write(chunk)
		}
		sc.last = chunk[n-1]
		off += int64(n)
	}
	if at == size {
		sc.mark(h)
	}
	copy(sc.digest[:], h.Sum(nil))
	return sc, nil
}

// mark records the hash state at the cursor position.
func (sc *scan) mark(h hash.Hash) {
	sc.state, _ = h.(encoding.BinaryMarshaler).MarshalBinary()
	copy(sc.prefix[:], h.Sum(nil))
}

// resumeHash returns a SHA-256 hash in the state recorded by mark.
func (sc *scan) resumeHash() hash.Hash {
	h := sha256.New()
	_ = h.(encoding.BinaryUnmarshaler).UnmarshalBinary(sc.state)
	return h
}
