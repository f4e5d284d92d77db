package sqlview_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

func TestRebuild(t *testing.T) {
	root := t.TempDir()
	segs := buildSegments(t, root, 0, 500, 500)
	ref := segs[0]
	copyPath := filepath.Join(root, sqlview.ParquetPath(ref.SHA256))
	orig, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(copyPath)
	rel, err := sqlview.Rebuild(context.Background(), root, ref.Path)
	if err != nil {
		t.Fatal(err)
	}
	if rel != sqlview.ParquetPath(ref.SHA256) {
		t.Errorf("Rebuild wrote %s, want %s", rel, sqlview.ParquetPath(ref.SHA256))
	}
	got, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, orig) {
		t.Errorf("the rebuilt copy (%d bytes) differs from the one written at seal (%d bytes)", len(got), len(orig))
	}
	e := open(t, root, version(root, "votes", 1, sqlview.StatusAttested, segs))
	if got := one(t, e, `SELECT sum(weight)::VARCHAR FROM votes`); got != weightSum(500) {
		t.Errorf("sum(weight) after rebuild = %s", got)
	}
	if left, _ := filepath.Glob(filepath.Join(root, datasets.TmpDir, "*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestRebuildRefuses(t *testing.T) {
	root := t.TempDir()
	segs := buildSegments(t, root, 0, 50, 50)
	seg := filepath.Join(root, segs[0].Path)
	tampered := filepath.Join(root, "segments", strings.Repeat("ab", 32)+".arrow")
	raw, _ := os.ReadFile(seg)
	os.WriteFile(tampered, raw, 0o644)
	for _, tc := range []struct {
		name, path string
		want       error
		msg        string
	}{
		{"not a segment name", filepath.Join(root, "segments", "x.arrow"), sqlview.ErrInput, "not a segment file"},
		{"not .arrow", strings.TrimSuffix(seg, ".arrow") + ".leaves", sqlview.ErrInput, "not a segment file"},
		{"missing", filepath.Join(root, "segments", strings.Repeat("cd", 32)+".arrow"), sqlview.ErrParquet, "no such file"},
		{"hash mismatch", tampered, sqlview.ErrParquet, "not the SHA-256 its name carries"},
	} {
		_, err := sqlview.Rebuild(context.Background(), root, tc.path)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %v with %q", tc.name, err, tc.want, tc.msg)
		}
	}
}

// TestWriterFromBatches writes a copy from in-memory batches, as the seal
// produces them, and checks it equals the copy made from the segment file.
func TestWriterFromBatches(t *testing.T) {
	root := t.TempDir()
	segs := buildSegments(t, root, 0, 300, 300)
	want, _ := os.ReadFile(filepath.Join(root, sqlview.ParquetPath(segs[0].SHA256)))
	other := t.TempDir()
	w, err := sqlview.NewWriter(other, datasetstest.VotesSchema())
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < 300; off += 100 {
		rec := datasetstest.VotesBatch(nil, off, 100)
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if w.Rows() != 300 {
		t.Errorf("Rows() = %d", w.Rows())
	}
	rel, err := w.Commit(segs[0].SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(other, rel))
	if !bytes.Equal(got, want) {
		t.Errorf("copy from batches (%d bytes) differs from the copy of the segment file (%d bytes)", len(got), len(want))
	}
	if _, err := w.Commit(segs[0].SHA256); !errors.Is(err, sqlview.ErrInput) {
		t.Errorf("second Commit: %v, want ErrInput", err)
	}
	w2, _ := sqlview.NewWriter(other, datasetstest.VotesSchema())
	bad := datasetstest.VotesBatch(nil, 0, 1).NewSlice(0, 1)
	defer bad.Release()
	w2.Abort()
	if left, _ := filepath.Glob(filepath.Join(other, datasets.TmpDir, "*")); len(left) != 0 {
		t.Errorf("Abort left %v", left)
	}
}

// TestScript runs Script's SQL in a plain DuckDB (as the duckdb CLI would)
// and gets the engine's answers.
func TestScript(t *testing.T) {
	root := t.TempDir()
	a := buildSegments(t, root, 0, 200, 64)
	b := append(append(a[:0:0], a...), buildSegments(t, root, 200, 10, 64)...)
	vs := []sqlview.Version{version(root, "votes", 2, sqlview.StatusPending, b), version(root, "votes", 1, sqlview.StatusAttested, a)}
	script, err := sqlview.Script(vs)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, st := range strings.Split(script, ";\n") {
		if strings.TrimSpace(st) == "" || strings.HasPrefix(strings.TrimSpace(st), "--") && !strings.Contains(st, "CREATE") {
			continue
		}
		if _, err := db.Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	for q, want := range map[string]string{
		`SELECT count(*) FROM votes`:                                    "200",
		`SELECT max(_row) FROM "votes@2"`:                               "209",
		`SELECT sum(weight)::VARCHAR FROM "votes@1"`:                    weightSum(200),
		`SELECT string_agg(status, ',' ORDER BY version) FROM versions`: "attested,pending",
	} {
		var got string
		if err := db.QueryRow(q).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", q, got, err, want)
		}
	}
}
