package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestSealWritesParquetCopies: the seal writes each new segment's Parquet
// copy from its batches (no Materialize), and each is byte-identical to
// the copy sqlview.Rebuild makes from the segment file alone.
func TestSealWritesParquetCopies(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // after the store closes
	root := t.TempDir()
	s := openStore(t, root)
	m := seal(t, s, 0, 700, store.WriteOptions{}) // segments of 300, 300, 100 rows
	if len(m.Segments) != 3 {
		t.Fatalf("%d segments, want 3", len(m.Segments))
	}
	for _, seg := range m.Segments {
		path := filepath.Join(root, sqlview.ParquetPath(seg.SHA256))
		sealed, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("the seal wrote no copy of %s: %v", seg.Path, err)
		}
		if _, err := sqlview.Rebuild(context.Background(), root, seg.Path); err != nil {
			t.Fatal(err)
		}
		rebuilt, _ := os.ReadFile(path)
		if !bytes.Equal(sealed, rebuilt) {
			t.Errorf("%s: the copy written in the seal (%d bytes) differs from the one rebuilt from the segment (%d bytes)", seg.Path, len(sealed), len(rebuilt))
		}
	}
	if n := count(t, s, `SELECT count(*) FROM "votes@1"`); n != 700 {
		t.Errorf("count = %d", n)
	}
	if left, _ := filepath.Glob(filepath.Join(root, "tmp", "*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestCheckRepairsParquetCopies: a copy missing (a crash between the
// segment and its copy), truncated or zero-length is listed by Check, and
// RepairSQLCopies recreates it byte-identical; then Check is clean.
func TestCheckRepairsParquetCopies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(path string) error
	}{
		{"missing", os.Remove},
		{"truncated", func(p string) error { fi, _ := os.Stat(p); return os.Truncate(p, fi.Size()/2) }},
		{"empty", func(p string) error { return os.WriteFile(p, nil, 0o644) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			s := openStore(t, root)
			m := seal(t, s, 0, 400, store.WriteOptions{})
			path := filepath.Join(root, sqlview.ParquetPath(m.Segments[1].SHA256))
			want, _ := os.ReadFile(path)
			if err := tc.damage(path); err != nil {
				t.Fatal(err)
			}
			r, err := s.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if r.Clean() || len(r.SQLCopies) != 1 || r.SQLCopies[0].Path != sqlview.ParquetPath(m.Segments[1].SHA256) || r.SQLCopies[0].Version != "votes@1" {
				t.Fatalf("check: %+v", r.SQLCopies)
			}
			if err := s.RepairSQLCopies(ctx, r); err != nil {
				t.Fatal(err)
			}
			if len(r.SQLCopies) != 0 || len(r.RepairedCopies) != 1 {
				t.Fatalf("repair: left %+v, repaired %v", r.SQLCopies, r.RepairedCopies)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
				t.Errorf("the repaired copy (%d bytes) differs from the sealed one (%d bytes)", len(got), len(want))
			}
			if r, err := s.Check(ctx); err != nil || !r.Clean() {
				t.Errorf("check after repair: %+v, %v", r, err)
			}
			if n := count(t, s, `SELECT count(*) FROM "votes@1"`); n != 400 {
				t.Errorf("count = %d", n)
			}
		})
	}
}
