package serve

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

// segmentBytes writes a small zstd-compressed Arrow IPC file like a segment.
func segmentBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	rec := datasetstest.VotesBatch(nil, 0, 100)
	defer rec.Release()
	w, err := ipc.NewFileWriter(&buf, ipc.WithSchema(rec.Schema()), ipc.WithZstd())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := w.Write(rec.NewSlice(int64(30*i), int64(30*i+30))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRecordBlocks(t *testing.T) {
	b := segmentBytes(t)
	blocks, err := recordBlocks(bytes.NewReader(b), int64(len(b)))
	if err != nil || len(blocks) != 3 {
		t.Fatalf("blocks %v %v", blocks, err)
	}
	// The blocks copied after a schema message make a stream the Arrow
	// reader reads back.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "seg"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, _ := ipc.NewFileReader(bytes.NewReader(b))
	var s bytes.Buffer
	w := ipc.NewWriter(&s, ipc.WithSchema(r.Schema()))
	w.Close()
	stream := s.Bytes()[:s.Len()-8]
	for _, bl := range blocks {
		stream = append(stream, b[bl[0]:bl[0]+bl[1]]...)
	}
	stream = append(stream, eos...)
	sr, err := ipc.NewReader(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Release()
	n := 0
	for sr.Next() {
		n += int(sr.RecordBatch().NumRows())
	}
	if sr.Err() != nil || n != 90 {
		t.Fatalf("%d rows: %v", n, sr.Err())
	}
}

// FuzzRecordBlocks damages a segment file: the footer parser never panics
// and only returns blocks inside the file.
func FuzzRecordBlocks(f *testing.F) {
	f.Add(segmentBytes(f), 0, byte(0))
	f.Fuzz(func(t *testing.T, b []byte, at int, x byte) {
		if len(b) > 0 {
			if at < 0 {
				at = -at
			}
			b = append([]byte(nil), b...)
			b[at%len(b)] ^= x
		}
		blocks, err := recordBlocks(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		for _, bl := range blocks {
			if bl[0] < 8 || bl[1] <= 0 || bl[0]+bl[1] > int64(len(b)) {
				t.Fatalf("block %v outside a file of %d bytes", bl, len(b))
			}
		}
	})
}
