package sqlview_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// FuzzQuery feeds arbitrary text to Engine.Query: it must answer or refuse
// with ErrQuery/ErrNotQueryable, never panic, and never create a file.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		`SELECT count(*) FROM votes`, `SELECT * FROM "votes@1" LIMIT 1`, `COPY votes TO 'x.csv'`,
		`SELECT * FROM read_parquet('*.parquet')`, `FROM glob('*')`, `SELECT 1; DROP VIEW votes`,
		`WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x`, `PRAGMA version`,
		`SELECT * FROM (FROM read_text('/etc/hostname'))`, `EXPORT DATABASE 'd'`, `SELECT * FROM nope`,
	} {
		f.Add(s)
	}
	root := f.TempDir()
	segs := buildSegments(f, root, 0, 20, 20)
	e := open(f, root, version(root, "votes", 1, sqlview.StatusAttested, segs), version(root, "other", 1, sqlview.StatusPending, segs))
	before := listFiles(f, root)
	f.Fuzz(func(t *testing.T, text string) {
		err := e.Query(context.Background(), text, func(rows *sql.Rows) error {
			for n := 0; n < 100 && rows.Next(); n++ {
			}
			return nil
		})
		if err != nil && !errors.Is(err, sqlview.ErrQuery) && !errors.Is(err, sqlview.ErrNotQueryable) {
			t.Fatalf("%q: unclassified error %v", text, err)
		}
		if after := listFiles(t, root); after != before {
			t.Fatalf("%q changed the files:\n%s\nwant\n%s", text, after, before)
		}
	})
}

func listFiles(t testing.TB, root string) string {
	var out string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		out += p + "\n"
		return nil
	})
	return out
}
