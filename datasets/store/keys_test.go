package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// writeRanges writes votes rows of each [from, to) range, in order, as one
// new version and commits it.
func writeRanges(t *testing.T, s *store.Store, opts store.WriteOptions, ranges ...[2]int) error {
	t.Helper()
	w, err := s.Begin(context.Background(), "votes", datasetstest.VotesSchema(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ranges {
		rec := datasetstest.VotesBatch(nil, r[0], r[1]-r[0])
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			w.Abort()
			return err
		}
	}
	_, err = w.Commit()
	return err
}

// TestDuplicateKeysRefused checks that a version never holds two rows with
// one declared key, within the new rows and against the rows it keeps
// (read from the files, or from the cached digests of the latest version),
// that the error names both rows, and that nothing is sealed.
func TestDuplicateKeysRefused(t *testing.T) {
	keep := func(n uint64) *uint64 { return &n }
	tests := []struct {
		name    string
		before  [][2]int           // versions sealed first, one range each
		reopen  bool               // reopen the store (no cached digests)
		opts    store.WriteOptions // of the tested version
		ranges  [][2]int
		wantErr string // "" when the version must seal
	}{
		{"unique", nil, false, store.WriteOptions{}, [][2]int{{0, 500}}, ""},
		{"within the run", nil, false, store.WriteOptions{}, [][2]int{{0, 100}, {50, 51}},
			"votes@1 would hold two rows with key (chain_id=1, tx_hash="},
		{"within the run, rows named", nil, false, store.WriteOptions{}, [][2]int{{0, 100}, {50, 51}},
			"row 50 (new) and row 100 (new)"},
		{"against the parent (cached)", [][2]int{{0, 100}}, false, store.WriteOptions{}, [][2]int{{100, 150}, {99, 100}},
			"row 99 (sealed in votes@1) and row 150 (new)"},
		{"against the parent (from files)", [][2]int{{0, 100}}, true, store.WriteOptions{}, [][2]int{{99, 120}},
			"row 99 (sealed in votes@1) and row 100 (new)"},
		{"against an older version", [][2]int{{0, 100}, {100, 200}}, false, store.WriteOptions{}, [][2]int{{7, 8}},
			"row 7 (sealed in votes@2) and row 200 (new)"},
		{"non-append keeps half, re-adds the rest", [][2]int{{0, 100}}, false, store.WriteOptions{KeepRows: keep(50), Note: "reorg"}, [][2]int{{50, 100}}, ""},
		{"non-append re-adds a kept row", [][2]int{{0, 100}}, true, store.WriteOptions{KeepRows: keep(50), Note: "reorg"}, [][2]int{{49, 60}},
			"row 49 (sealed in votes@1) and row 50 (new)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			s := openStore(t, root)
			for _, r := range tc.before {
				seal(t, s, r[0], r[1], store.WriteOptions{})
			}
			if tc.reopen {
				s.Close()
				s = openStore(t, root)
			}
			before := len(tc.before)
			err := writeRanges(t, s, tc.opts, tc.ranges...)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, store.ErrDuplicateKey) || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "nothing was sealed") {
				t.Fatalf("got %v, want %q", err, tc.wantErr)
			}
			vs, _ := s.Versions(ctx, "votes")
			if len(vs) != before {
				t.Fatalf("%d versions after a refused seal, want %d", len(vs), before)
			}
			// The store still writes after a refusal.
			if err := writeRanges(t, s, store.WriteOptions{}, [2]int{1000, 1010}); err != nil {
				t.Fatalf("after a refusal: %v", err)
			}
		})
	}
}
