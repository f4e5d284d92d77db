package serve

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The full Arrow IPC stream of a version is deterministic: the schema
// message the Arrow writer produces for the manifest's schema, then every
// record-batch message of every segment file copied byte for byte (their
// zstd-compressed bodies included), then the end-of-stream marker. Nothing
// is decoded or re-encoded, so the stream costs what reading the segment
// files costs, its length is known from the segments' footers, and a byte
// range of it maps onto ranges of the segment files: Range requests need no
// cached copy.

// span is a part of the stream: bytes in memory, or a range of a file.
type span struct {
	mem  []byte
	path string
	seg  *datasets.SegmentRef // the segment the file is
	off  int64
	n    int64
}

// streamLayout is the list of spans of a version's stream.
type streamLayout struct {
	spans []span
	size  int64
}

var eos = []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}

// buildLayout reads the footers of the version's segments; check is called
// with each segment's open file before and after its footer is read.
func buildLayout(fs *files, m *datasets.Manifest, check func(datasets.SegmentRef, *os.File) error) (*streamLayout, error) {
	as, err := m.Schema.ArrowSchema()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(as))
	if err := w.Close(); err != nil {
		return nil, err
	}
	head := buf.Bytes()
	if !bytes.HasSuffix(head, eos) {
		return nil, fmt.Errorf("arrow stream writer did not end with the end-of-stream marker")
	}
	l := &streamLayout{}
	l.add(span{mem: head[:len(head)-len(eos)]})
	for i := range m.Segments {
		seg := &m.Segments[i]
		f, err := fs.get(seg.Path)
		if err != nil {
			return nil, err
		}
		if err := check(*seg, f); err != nil {
			return nil, err
		}
		blocks, err := recordBlocks(f, int64(seg.Bytes))
		if err == nil {
			err = check(*seg, f)
		} else if cerr := check(*seg, f); cerr != nil {
			return nil, cerr
		}
		if err != nil {
			return nil, fmt.Errorf("%w: segment %d (%s): %v", datasets.ErrIntegrity, i, seg.Path, err)
		}
		for _, b := range blocks {
			l.add(span{path: seg.Path, seg: seg, off: b[0], n: b[1]})
		}
	}
	l.add(span{mem: eos})
	return l, nil
}

func (l *streamLayout) add(s span) {
	if s.mem != nil {
		s.n = int64(len(s.mem))
	}
	if n := len(l.spans); n > 0 && s.mem == nil && l.spans[n-1].path == s.path && l.spans[n-1].off+l.spans[n-1].n == s.off {
		l.spans[n-1].n += s.n // adjacent messages of one file: one span
	} else {
		l.spans = append(l.spans, s)
	}
	l.size += s.n
}

// recordBlocks parses an Arrow IPC file's footer and returns the (offset,
// length) of each record-batch message, checked against the file.
func recordBlocks(f io.ReaderAt, size int64) ([][2]int64, error) {
	var tail [10]byte
	if size < 8+10 {
		return nil, fmt.Errorf("file of %d bytes is too short for an Arrow IPC file", size)
	}
	if _, err := f.ReadAt(tail[:], size-10); err != nil {
		return nil, err
	}
	if string(tail[4:]) != "ARROW1" {
		return nil, fmt.Errorf("no Arrow IPC file magic at the end")
	}
	flen := int64(int32(binary.LittleEndian.Uint32(tail[:4])))
	end := size - 10 - flen
	if flen <= 0 || end < 8 {
		return nil, fmt.Errorf("footer length %d is impossible in a file of %d bytes", flen, size)
	}
	footer := make([]byte, flen)
	if _, err := f.ReadAt(footer, end); err != nil {
		return nil, err
	}
	return footerBlocks(footer, f, end)
}

// footerBlocks reads the Footer table: no dictionaries, and the record
// batch blocks (struct Block {offset: long; metaDataLength: int; bodyLength:
// long}, 24 bytes), each within [8, end), 8-byte aligned, starting with the
// IPC continuation marker.
func footerBlocks(footer []byte, f io.ReaderAt, end int64) (out [][2]int64, err error) {
	defer func() {
		if r := recover(); r != nil { // flatbuffers panics on out-of-range offsets
			out, err = nil, fmt.Errorf("damaged footer: %v", r)
		}
	}()
	if len(footer) < 8 {
		return nil, fmt.Errorf("footer too short")
	}
	t := flatbuffers.Table{Bytes: footer, Pos: flatbuffers.GetUOffsetT(footer)}
	if o := flatbuffers.UOffsetT(t.Offset(8)); o != 0 && t.VectorLen(o) != 0 {
		return nil, fmt.Errorf("dictionary batches are not used by groundtruth segments")
	}
	o := flatbuffers.UOffsetT(t.Offset(10))
	if o == 0 {
		return nil, nil
	}
	vec, n := t.Vector(o), t.VectorLen(o)
	if int(vec)+24*n > len(footer) {
		return nil, fmt.Errorf("record batch list runs past the footer")
	}
	var marker [4]byte
	for j := 0; j < n; j++ {
		p := int(vec) + 24*j
		off := int64(binary.LittleEndian.Uint64(footer[p:]))
		meta := int64(int32(binary.LittleEndian.Uint32(footer[p+8:])))
		body := int64(binary.LittleEndian.Uint64(footer[p+16:]))
		if off < 8 || meta < 8 || body < 0 || off%8 != 0 || meta%8 != 0 || body%8 != 0 || off+meta+body > end || off+meta+body < off {
			return nil, fmt.Errorf("record batch %d: block (%d, %d, %d) is outside the file or misaligned", j, off, meta, body)
		}
		if _, err := f.ReadAt(marker[:], off); err != nil {
			return nil, err
		}
		if binary.LittleEndian.Uint32(marker[:]) != 0xffffffff {
			return nil, fmt.Errorf("record batch %d: no message at offset %d", j, off)
		}
		out = append(out, [2]int64{off, meta + body})
	}
	return out, nil
}

// copyRange writes bytes [start, end) of the stream to w; check is called
// with the segment and its open file before each chunk read from it and
// stops the copy when it returns an error (a revocation, a changed or
// replaced file).
func (l *streamLayout) copyRange(ctx context.Context, w io.Writer, fs *files, start, end int64, check func(*datasets.SegmentRef, *os.File) error) (int64, error) {
	var written, pos int64
	buf := make([]byte, 256<<10)
	for _, s := range l.spans {
		a, b := max(start, pos), min(end, pos+s.n)
		pos += s.n
		if a >= b {
			continue
		}
		lo := a - (pos - s.n)
		if s.mem != nil {
			n, err := w.Write(s.mem[lo : lo+b-a])
			written += int64(n)
			if err != nil {
				return written, err
			}
			continue
		}
		for off, rest := s.off+lo, b-a; rest > 0; {
			if err := ctx.Err(); err != nil {
				return written, err
			}
			f, err := fs.get(s.path)
			if err != nil {
				return written, err
			}
			if err := check(s.seg, f); err != nil { // the descriptor read, not the path
				return written, err
			}
			chunk := buf[:min(int64(len(buf)), rest)]
			if _, err := f.ReadAt(chunk, off); err != nil {
				return written, fmt.Errorf("%w: %s: %v", datasets.ErrIntegrity, s.path, err)
			}
			n, err := w.Write(chunk)
			written += int64(n)
			if err != nil {
				return written, err
			}
			off, rest = off+int64(len(chunk)), rest-int64(len(chunk))
		}
	}
	return written, nil
}
