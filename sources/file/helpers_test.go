package file

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// testSource writes content to a file named name in a fresh folder and
// returns a source reading it with cfg (Path is set to name). Its
// allocator checks that every Arrow buffer is released.
func testSource(t testing.TB, name, content string, cfg Config) (*Source, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Path = name
	s, err := New("test-src", cfg, sources.Deps{BaseDir: dir})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	s.mem = mem
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return s, path
}

// baseConfig returns a configuration with the defaults and columns.
func baseConfig(cols ...Column) Config {
	c := DefaultConfig()
	c.Columns = cols
	return c
}

// collect fetches from cur and returns the emitted records' rows as
// values (see rowValues), the result and the error.
func collect(t testing.TB, s *Source, cur sources.Cursor) ([][]any, sources.Result, error) {
	t.Helper()
	var rows [][]any
	res, err := s.Fetch(context.Background(), cur, func(rec arrow.RecordBatch) error {
		if rec.NumRows() > int64(s.cfg.BatchRows) {
			t.Errorf("record of %d rows, batch_rows is %d", rec.NumRows(), s.cfg.BatchRows)
		}
		rows = append(rows, rowValues(rec)...)
		return nil
	})
	return rows, res, err
}

// mustCollect is collect that fails the test on error.
func mustCollect(t testing.TB, s *Source, cur sources.Cursor) ([][]any, sources.Result) {
	t.Helper()
	rows, res, err := collect(t, s, cur)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return rows, res
}

// rowValues converts every row of rec to Go values: nil for null, else
// the array's GetOneForMarshal value.
func rowValues(rec arrow.RecordBatch) [][]any {
	out := make([][]any, rec.NumRows())
	for r := range out {
		row := make([]any, rec.NumCols())
		for c := range row {
			col := rec.Column(c)
			if !col.IsNull(r) {
				row[c] = col.GetOneForMarshal(r)
			}
		}
		out[r] = row
	}
	return out
}

func appendFile(t testing.TB, path, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }
