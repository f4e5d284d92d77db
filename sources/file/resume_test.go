package file

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

func TestAppendResumesExactly(t *testing.T) {
	cfg := baseConfig(Column{Name: "n", Type: "uint64"}, Column{Name: "s", Type: "string", Nullable: true})
	cfg.BatchRows = 2
	first := "n,s\n1,a\n2,\"two\nlines\"\n3,c\n"
	s, path := testSource(t, "d.csv", first, cfg)
	rows1, res1 := mustCollect(t, s, nil)
	appendFile(t, path, "4,d\n5,\"e\ne\"\n")
	rows2, res2 := mustCollect(t, s, res1.Cursor)
	if len(rows1) != 3 || len(rows2) != 2 {
		t.Fatalf("got %d then %d rows, want 3 then 2", len(rows1), len(rows2))
	}
	full, resFull := mustCollect(t, s, nil)
	if string(resFull.Cursor) != string(res2.Cursor) {
		t.Errorf("cursor after resuming %s, after a full read %s", res2.Cursor, resFull.Cursor)
	}
	all := append(rows1, rows2...)
	for i := range full {
		// Compare values and _line; _file_sha256 differs for the first rows.
		a, b := all[i], full[i]
		if a[0] != b[0] || a[1] != b[1] || a[4] != b[4] {
			t.Errorf("row %d: incremental %v, full %v", i, a, b)
		}
	}
	if got := rows2[0][4].(uint64); got != 6 {
		t.Errorf("_line of the first appended row = %d, want 6", got)
	}
	c, _ := decodeCursor(res2.Cursor)
	if c.Records != 5 || c.Bytes != int64(len(first)+len("4,d\n5,\"e\ne\"\n")) {
		t.Errorf("cursor = %+v", c)
	}
}

func TestChanged(t *testing.T) {
	const content = "n\n1\n2\n3\n"
	tests := []struct {
		name   string
		change func(t *testing.T, path string)
		want   string
	}{
		{"edited", func(t *testing.T, path string) { write(t, path, "n\n1\n9\n3\n") }, "was edited: its first 8 bytes had SHA-256 "},
		{"truncated", func(t *testing.T, path string) { write(t, path, "n\n1\n") }, "was truncated: it has 4 bytes, 8 were read before"},
		{"replaced", func(t *testing.T, path string) { write(t, path, "n\n7\n8\n9\n10\n") }, "was edited"},
		{"emptied", func(t *testing.T, path string) { write(t, path, "") }, "was truncated"},
	}
	cfg := baseConfig(Column{Name: "n", Type: "uint64"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := testSource(t, "d.csv", content, cfg)
			_, res := mustCollect(t, s, nil)
			tt.change(t, path)
			rows, res2, err := collect(t, s, res.Cursor)
			if !errors.Is(err, sources.ErrChanged) {
				t.Fatalf("err = %v, want ErrChanged", err)
			}
			old := datasets.Hash(sha256Sum(content))
			now, _ := os.ReadFile(path)
			for _, part := range []string{tt.want, "d.csv", old.String(), datasets.Hash(sha256Sum(string(now))).String()} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("err = %v\nwant it to contain %s", err, part)
				}
			}
			if len(rows) != 0 || res2.Cursor != nil {
				t.Errorf("emitted %d rows and cursor %s on a changed file", len(rows), res2.Cursor)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUnterminatedRecordExtended(t *testing.T) {
	cfg := baseConfig(Column{Name: "n", Type: "uint64"})
	s, path := testSource(t, "d.csv", "n\n1\n2", cfg)
	rows, res := mustCollect(t, s, nil)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	appendFile(t, path, "3\n")
	_, _, err := collect(t, s, res.Cursor)
	if !errors.Is(err, sources.ErrChanged) || !strings.Contains(err.Error(), "continues it") {
		t.Errorf("err = %v, want ErrChanged about the last record", err)
	}
	write(t, path, "n\n1\n2\r\n4\n")
	rows, _ = mustCollect(t, s, res.Cursor)
	if len(rows) != 1 || rows[0][0] != uint64(4) || rows[0][3] != uint64(4) {
		t.Errorf("rows after a CRLF continuation = %v", rows)
	}
}

func TestUnchangedKeepsCursor(t *testing.T) {
	s, _ := testSource(t, "d.jsonl", `{"n": 1}`+"\n", baseConfig(Column{Name: "n", Type: "uint64"}))
	_, res := mustCollect(t, s, nil)
	rows, res2 := mustCollect(t, s, res.Cursor)
	if len(rows) != 0 || string(res2.Cursor) != string(res.Cursor) {
		t.Errorf("unchanged file: %d rows, cursor %s then %s", len(rows), res.Cursor, res2.Cursor)
	}
	if len(res2.Provenance.Inputs) != 1 {
		t.Errorf("provenance of an empty fetch = %+v", res2.Provenance)
	}
}

func TestBadCursor(t *testing.T) {
	s, _ := testSource(t, "d.csv", "n\n1\n", baseConfig(Column{Name: "n", Type: "uint64"}))
	for _, cur := range []string{"{", `{"bytes":-1}`, `{"bytes":1,"extra":true}`, `[]`} {
		if _, _, err := collect(t, s, sources.Cursor(cur)); !errors.Is(err, sources.ErrCursor) {
			t.Errorf("cursor %s: err = %v, want ErrCursor", cur, err)
		}
	}
}
