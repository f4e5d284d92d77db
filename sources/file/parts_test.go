package file

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// countingFile counts the bytes read from a file.
type countingFile struct {
	readFile
	n *atomic.Int64
}

func (c countingFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.readFile.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// countReads makes s count the bytes it reads from its file into the
// returned counter.
func countReads(s *Source) *atomic.Int64 {
	n := new(atomic.Int64)
	s.open = func(path string) (readFile, error) {
		f, err := openFile(path)
		if err != nil {
			return nil, err
		}
		return countingFile{readFile: f, n: n}, nil
	}
	return n
}

// fetchPart fetches from cur, telling the source enough after `after`
// records (0: never), and returns the rows and the result.
func fetchPart(t testing.TB, s *Source, cur sources.Cursor, after int) ([][]any, sources.Result, error) {
	t.Helper()
	var rows [][]any
	records := 0
	res, err := s.Fetch(context.Background(), cur, func(rec arrow.RecordBatch) error {
		rows = append(rows, rowValues(rec)...)
		if records++; after > 0 && records >= after {
			return sources.ErrEnough
		}
		return nil
	})
	return rows, res, err
}

// readInParts fetches until a fetch yields nothing, each told enough
// after `after` records, and returns the rows and the fetches with rows.
func readInParts(t testing.TB, s *Source, after int) ([][]any, int) {
	t.Helper()
	var all [][]any
	var cur sources.Cursor
	for parts := 0; ; parts++ {
		rows, res, err := fetchPart(t, s, cur, after)
		if err != nil {
			t.Fatalf("part %d: %v", parts+1, err)
		}
		if len(rows) == 0 {
			return all, parts
		}
		all, cur = append(all, rows...), res.Cursor
	}
}

func csvLines(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "%d,\"row %d, with a line\nbreak inside\"\n", i, i)
	}
	return b.String()
}

func jsonLines(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "{\"n\":%d,\"s\":\"row %d, padded to be a longer line\"}\n", i, i)
	}
	return b.String()
}

// TestPartsReadFileOnce reads a file in many parts and checks that the
// rows are those of one fetch and that the bytes read from the file are
// O(1) times its size, not O(parts): the first part hashes the whole
// file, each later part reads its own bytes (plus a bounded margin at
// its edges), and the fetch after the last hashes the file again.
func TestPartsReadFileOnce(t *testing.T) {
	const rows = 40000
	pq := pqRows(1, rows/8)
	tests := []struct {
		name, file, content string
		groups              [][]pqRow
		after               int
		minParts            int
	}{
		{"csv", "d.csv", "n,s\n" + csvLines(1, rows), nil, 10, 8},
		{"jsonl", "d.jsonl", jsonLines(1, rows), nil, 10, 8},
		{"parquet", "d.parquet", "", [][]pqRow{pq[:1000], pq[1000:2000], pq[2000:3000], pq[3000:4000], pq[4000:]}, 300, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig(Column{Name: "n", Type: "uint64"}, Column{Name: "s", Type: "string"})
			cfg.BatchRows = 500
			if tt.groups != nil {
				cfg = pqConfig()
				cfg.BatchRows = 1
			}
			s, path := testSource(t, tt.file, tt.content, cfg)
			if tt.groups != nil {
				writeParquet(t, path, tt.groups...)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := readInParts(t, s, 0)
			n := countReads(s)
			got, parts := readInParts(t, s, tt.after)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d rows in %d parts differ from the %d rows of one fetch", len(got), parts, len(want))
			}
			if parts < tt.minParts {
				t.Fatalf("%d parts, want at least %d", parts, tt.minParts)
			}
			size, read := st.Size(), n.Load()
			// Two whole passes, one more for parquet (which rehashes at
			// the end), and per part at most 256 KiB at its edges.
			limit := 3*size + int64(parts+1)*256<<10
			t.Logf("%d parts of a %d-byte file read %d bytes (%.2f× the file)", parts, size, read, float64(read)/float64(size))
			if read > limit {
				t.Errorf("%d parts read %d bytes of a %d-byte file (%.1f× its size), want at most %d", parts, read, size, float64(read)/float64(size), limit)
			}
		})
	}
}

// TestPartsFileChanged changes the file between two parts: a change to
// the bytes already read fails the next part with ErrChanged naming the
// file; an append or a change after them is read as any later fetch
// reads it (the rows carry the new file's SHA-256); a change that the
// file's stamp would not show is found by the part that reaches the end,
// whose bytes no longer hash to the SHA-256 the first part recorded.
func TestPartsFileChanged(t *testing.T) {
	const content = "n\n1\n2\n3\n4\n5\n6\n"
	tests := []struct {
		name   string
		change func(t *testing.T, path string, cur sources.Cursor) sources.Cursor
		want   string // error text; "" for none
		rows   []uint64
	}{
		{"edited before the cursor", func(t *testing.T, path string, cur sources.Cursor) sources.Cursor {
			write(t, path, "n\n9\n2\n3\n4\n5\n6\n")
			return cur
		}, `d.csv was edited: its first 6 bytes had SHA-256`, nil},
		{"truncated", func(t *testing.T, path string, cur sources.Cursor) sources.Cursor {
			write(t, path, "n\n1")
			return cur
		}, `d.csv was truncated`, nil},
		{"appended", func(t *testing.T, path string, cur sources.Cursor) sources.Cursor {
			appendFile(t, path, "7\n")
			return cur
		}, "", []uint64{3, 4, 5, 6, 7}},
		{"edited after the cursor", func(t *testing.T, path string, cur sources.Cursor) sources.Cursor {
			write(t, path, "n\n1\n2\n8\n4\n5\n6\n")
			return cur
		}, "", []uint64{8, 4, 5, 6}},
		{"changed unseen by the stamp", func(t *testing.T, path string, cur sources.Cursor) sources.Cursor {
			c, err := decodeCursor(cur)
			if err != nil || c.File == nil {
				t.Fatalf("cursor %s: no part record (%v)", cur, err)
			}
			c.File.SHA256 = sha256Sum("another file")
			return c.encode()
		}, "changed while being read in parts", nil},
	}
	cfg := baseConfig(Column{Name: "n", Type: "uint64"})
	cfg.BatchRows = 1
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := testSource(t, "d.csv", content, cfg)
			_, res, err := fetchPart(t, s, nil, 2)
			if err != nil {
				t.Fatal(err)
			}
			cur := tt.change(t, path, res.Cursor)
			rows, _, err := fetchPart(t, s, cur, 0)
			if tt.want != "" {
				if !errors.Is(err, sources.ErrChanged) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "d.csv") {
					t.Fatalf("err = %v, want ErrChanged naming d.csv with %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			digest := sha256.Sum256(data)
			var got []uint64
			for _, r := range rows {
				got = append(got, r[0].(uint64))
				if d := r[2].([]byte); string(d) != string(digest[:]) {
					t.Errorf("row %v: _file_sha256 %x, want the file's %x", r[0], d, digest)
				}
			}
			if !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows %v, want %v", got, tt.rows)
			}
		})
	}
}
