package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

// TestKeyRunsSpill checks key enforcement when the digests spill to sorted
// runs on disk (runs of 64 rows here): a repeat across runs is found and
// named, a unique version seals (its merged digests cached), and the runs'
// temporary file is removed.
func TestKeyRunsSpill(t *testing.T) {
	old := runRows
	runRows = 64
	defer func() { runRows = old }()
	tests := []struct {
		name    string
		ranges  [][2]int
		wantErr string
	}{
		{"unique across runs", [][2]int{{0, 1000}}, ""},
		{"repeat across runs", [][2]int{{0, 1000}, {3, 4}}, "row 3 (new) and row 1000 (new)"},
		{"repeat in the last run", [][2]int{{0, 1000}, {999, 1000}}, "row 999 (new) and row 1000 (new)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			s, err := Open(ctx, root, Options{Builder: datasets.BuilderOptions{SegmentRows: 300, BatchRows: 64}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			w, err := s.Begin(ctx, "votes", datasetstest.VotesSchema(), WriteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tc.ranges {
				for off := r[0]; off < r[1]; off += 100 {
					rec := datasetstest.VotesBatch(nil, off, min(100, r[1]-off))
					if err := w.Write(rec); err != nil {
						t.Fatal(err)
					}
					rec.Release()
				}
			}
			if w.keyRuns.inMemory() {
				t.Fatal("the digests did not spill")
			}
			_, err = w.Commit()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.wantErr != "" && (!errors.Is(err, ErrDuplicateKey) || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("got %v, want %q", err, tc.wantErr)
			}
			left, _ := filepath.Glob(filepath.Join(root, datasets.TmpDir, "keys-*"))
			if len(left) != 0 {
				t.Fatalf("runs left behind: %v", left)
			}
			// A version within cacheRows is cached whole, its spilled
			// runs merged.
			if ks, ok := s.keys["votes"]; tc.wantErr == "" && (!ok || len(ks.sorted) != 1000 || !slices.IsSorted(ks.sorted)) {
				t.Fatalf("the merged digests were not cached: %v", ok)
			}
		})
	}
}
