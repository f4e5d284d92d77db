package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// TestRebuildPostgres fills a PostgreSQL catalog with every kind of fact,
// loses it (its schema moved away, as a new or emptied database; or rows
// deleted, as an older backup), rebuilds it in place from the files alone
// and expects every table, the dataset list and every version to be as
// before, the replaced schema kept, and a second rebuild to work too.
func TestRebuildPostgres(t *testing.T) {
	pg := testpg.Start(t)
	for _, loss := range []string{"schema lost", "older backup"} {
		t.Run(loss, func(t *testing.T) {
			ctx := context.Background()
			root, cat := t.TempDir(), pg.NewDatabase(t)
			s, err := store.Open(ctx, root, store.Options{Catalog: cat})
			must(t, err)
			fillCatalog(t, s, func() {})
			before := dumpCatalog(t, s.DB())
			list, _ := s.Datasets(ctx)
			switch loss {
			case "schema lost":
				_, err = s.DB().ExecContext(ctx, `ALTER SCHEMA gt RENAME TO gt_lost`)
			default:
				_, err = s.DB().ExecContext(ctx, `DELETE FROM gt.versions WHERE version = 3`)
			}
			must(t, err)
			s.Close()
			if _, err := store.Open(ctx, root, store.Options{Catalog: cat}); !errors.Is(err, store.ErrCatalogStale) {
				t.Fatalf("open before the rebuild: %v", err)
			}
			s, err = store.Open(ctx, root, store.Options{Catalog: cat, AllowStale: true})
			must(t, err)
			defer s.Close()
			for round := 1; round <= 2; round++ { // a rebuilt catalog can be rebuilt again
				rep, err := s.Rebuild(ctx)
				must(t, err)
				if rep.Versions != 3 || rep.Datasets != 1 || len(rep.Skipped) != 0 || !strings.HasPrefix(rep.Replaced, "schema gt_replaced_") || rep.JournalEntries == 0 {
					t.Fatalf("rebuild %d report: %+v", round, rep)
				}
				after := dumpCatalog(t, s.DB())
				for table := range before {
					if before[table] != after[table] {
						t.Errorf("rebuild %d: %s differs:\n%.600s\nwant\n%.600s", round, table, after[table], before[table])
					}
				}
			}
			list2, _ := s.Datasets(ctx)
			a, _ := json.Marshal(list)
			b, _ := json.Marshal(list2)
			if string(a) != string(b) {
				t.Errorf("datasets list: %s, want %s", b, a)
			}
			for v := uint64(1); v <= 3; v++ {
				if ver, err := s.Verify(ctx, "votes", v); err != nil || ver.Err() != nil {
					t.Fatalf("votes@%d: %v %v", v, err, ver.Err())
				}
			}
			var kept int
			must(t, s.DB().QueryRowContext(ctx, `SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'gt_replaced_%'`).Scan(&kept))
			if kept == 0 {
				t.Fatal("the replaced schema was not kept")
			}
			if rep, err := s.Check(ctx); err != nil || !rep.Clean() {
				t.Fatalf("check after the rebuild: %+v %v", rep, err)
			}
			s.Close()
			if s2, err := store.Open(ctx, root, store.Options{Catalog: cat}); err != nil {
				t.Fatalf("a writing open after the rebuild: %v", err)
			} else {
				s2.Close()
			}
		})
	}
}
