package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// TestWriteLeases opens one data directory twice for writing (as two
// processes would) on SQLite and on PostgreSQL: both opens succeed, a
// second writer of one dataset fails with ErrLocked naming the holder, a
// writer of another dataset and every read proceed, and once the first
// writer commits the dataset can be written again.
func TestWriteLeases(t *testing.T) {
	pg := testpg.Start(t)
	tests := []struct {
		name    string
		catalog func(t *testing.T) string
	}{
		{"sqlite", func(*testing.T) string { return "" }},
		{"postgres", func(t *testing.T) string { return pg.NewDatabase(t) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			cat := tc.catalog(t)
			open := func() *store.Store {
				s, err := store.Open(ctx, root, store.Options{Catalog: cat})
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			a, b := open(), open()
			w, err := a.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{})
			must(t, err)
			_, err = b.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{})
			if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
				t.Fatalf("second writer of votes: %v, want ErrLocked naming pid %d", err, os.Getpid())
			}
			seal2 := func(s *store.Store, dataset string, from, rows int) {
				w2, err := s.Begin(ctx, dataset, datasetstest.VotesSchema(), store.WriteOptions{})
				must(t, err)
				rec := datasetstest.VotesBatch(nil, from, rows)
				must(t, w2.Write(rec))
				rec.Release()
				_, err = w2.Commit()
				must(t, err)
			}
			seal2(b, "other", 0, 10) // another dataset is not blocked
			if _, err := b.Datasets(ctx); err != nil {
				t.Fatalf("read while a write is open: %v", err)
			}
			rec := datasetstest.VotesBatch(nil, 0, 50)
			must(t, w.Write(rec))
			rec.Release()
			_, err = w.Commit()
			must(t, err)
			seal2(b, "votes", 50, 10) // free again after the commit
			vs, err := a.Versions(ctx, "votes")
			if err != nil || len(vs) != 2 || vs[1].Rows != 60 {
				t.Fatalf("versions of votes: %+v %v", vs, err)
			}
			if _, err := os.Stat(filepath.Join(root, "LOCK")); err == nil {
				t.Errorf("a LOCK file was made")
			}
		})
	}
}
