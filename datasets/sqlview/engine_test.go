package sqlview_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestEngineViews(t *testing.T) {
	root := t.TempDir()
	segs := buildSegments(t, root, 0, 1000, 300)
	v1 := version(root, "votes", 1, sqlview.StatusAttested, segs)
	e := open(t, root, v1)
	for _, tc := range []struct{ name, sql, want string }{
		{"count", `SELECT count(*) FROM votes`, "1000"},
		{"count by version", `SELECT count(*) FROM "votes@1"`, "1000"},
		{"rows are 0..n-1", `SELECT count(DISTINCT _row) || ',' || min(_row) || ',' || max(_row) FROM votes`, "1000,0,999"},
		{"row order across segments", `SELECT log_index FROM votes WHERE _row = 301`, "1"},
		{"weight is exact", `SELECT sum(weight)::VARCHAR FROM votes`, weightSum(1000)},
		{"weight of one row", `SELECT weight::VARCHAR FROM votes WHERE _row = 7`, weightOf(7)},
		{"address as 0x hex", `SELECT bool_and(voter SIMILAR TO '0x[0-9a-f]{40}') FROM votes`, "true"},
		{"hash as 0x hex", `SELECT bool_and(length(tx_hash) = 66 AND tx_hash = lower(tx_hash)) FROM votes`, "true"},
		{"time zone", `SELECT typeof(block_time) FROM votes LIMIT 1`, "TIMESTAMP WITH TIME ZONE"},
		{"wide int type", `SELECT typeof(weight) FROM votes LIMIT 1`, "DECIMAL(38,0)"},
		{"unsigned", `SELECT typeof(support) FROM votes LIMIT 1`, "UTINYINT"},
		{"nulls kept", `SELECT count(*) > 0 FROM votes WHERE reason IS NULL`, "true"},
		{"versions view", `SELECT dataset || '@' || version || ' ' || status || ' ' || "rows" FROM versions`, "votes@1 attested 1000"},
		{"group by", `SELECT count(*) FROM (SELECT support, count(*), sum(weight) FROM votes GROUP BY support)`, "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := one(t, e, tc.sql); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.sql, got, tc.want)
			}
		})
	}
}

func TestLatestAttested(t *testing.T) {
	root := t.TempDir()
	a := buildSegments(t, root, 0, 100, 60)
	b := append(append(a[:0:0], a...), buildSegments(t, root, 100, 50, 60)...)
	for _, tc := range []struct {
		name     string
		statuses []sqlview.Status // of versions 1 (100 rows) and 2 (150 rows)
		rows     string           // count(*) of "votes", or "" when it has no view
		why      string           // in the error when there is no view
	}{
		{"newest attested", []sqlview.Status{sqlview.StatusAttested, sqlview.StatusAttested}, "150", ""},
		{"pending newer is not D", []sqlview.Status{sqlview.StatusAttested, sqlview.StatusPending}, "100", ""},
		{"revoked newest falls back", []sqlview.Status{sqlview.StatusAttested, sqlview.StatusRevoked}, "100", ""},
		{"pending only", []sqlview.Status{sqlview.StatusSealed, sqlview.StatusPending}, "", "not attested yet: votes@1 (sealed), votes@2 (pending)"},
		{"revoked only", []sqlview.Status{sqlview.StatusRevoked, sqlview.StatusRevoked}, "", "revoked: votes@1, votes@2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := open(t, root, version(root, "votes", 1, tc.statuses[0], a), version(root, "votes", 2, tc.statuses[1], b))
			if got := one(t, e, `SELECT count(*) FROM "votes@2"`); got != "150" {
				t.Errorf("votes@2 has %s rows, want 150", got)
			}
			_, err := queryRows(t, e, `SELECT count(*) FROM votes`)
			if tc.rows != "" {
				if got := one(t, e, `SELECT count(*) FROM votes`); got != tc.rows {
					t.Errorf("votes has %s rows, want %s", got, tc.rows)
				}
				return
			}
			if !errors.Is(err, sqlview.ErrNotQueryable) || !strings.Contains(err.Error(), tc.why) {
				t.Fatalf("query of votes: %v, want ErrNotQueryable naming %q", err, tc.why)
			}
		})
	}
}

func TestRefresh(t *testing.T) {
	root := t.TempDir()
	a := buildSegments(t, root, 0, 100, 100)
	b := append(append(a[:0:0], a...), buildSegments(t, root, 100, 20, 100)...)
	e := open(t, root, version(root, "votes", 1, sqlview.StatusAttested, a))
	steps := []struct {
		name     string
		versions []sqlview.Version
		rows     string
		views    string
	}{
		{"new version attested", []sqlview.Version{version(root, "votes", 1, sqlview.StatusAttested, a), version(root, "votes", 2, sqlview.StatusAttested, b)}, "120", "votes,votes@1,votes@2"},
		{"newest revoked", []sqlview.Version{version(root, "votes", 1, sqlview.StatusAttested, a), version(root, "votes", 2, sqlview.StatusRevoked, b)}, "100", "votes,votes@1,votes@2"},
		{"version dropped from the list", []sqlview.Version{version(root, "votes", 2, sqlview.StatusRevoked, b)}, "", "votes@2"},
	}
	for _, st := range steps {
		if err := e.Refresh(context.Background(), st.versions); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got := one(t, e, `SELECT string_agg(view_name, ',' ORDER BY view_name) FROM duckdb_views() WHERE NOT internal AND view_name <> 'versions'`)
		if got != st.views {
			t.Errorf("%s: views %s, want %s", st.name, got, st.views)
		}
		if st.rows == "" {
			if _, err := queryRows(t, e, `SELECT * FROM votes`); !errors.Is(err, sqlview.ErrNotQueryable) {
				t.Errorf("%s: %v, want ErrNotQueryable", st.name, err)
			}
			continue
		}
		if got := one(t, e, `SELECT count(*) FROM votes`); got != st.rows {
			t.Errorf("%s: votes has %s rows, want %s", st.name, got, st.rows)
		}
	}
}

func TestReadOnly(t *testing.T) {
	root := t.TempDir()
	segs := buildSegments(t, root, 0, 50, 50)
	e := open(t, root, version(root, "votes", 1, sqlview.StatusAttested, segs))
	out := filepath.Join(root, sqlview.Dir, "out.csv")
	for _, q := range []string{
		`COPY (SELECT * FROM votes) TO '` + out + `'`,
		`COPY votes TO '` + out + `'`,
		`CREATE TABLE t AS SELECT * FROM votes`,
		`INSERT INTO versions VALUES ('x', 1, 'attested', 1, '', '')`,
		`DROP VIEW votes`,
		`ATTACH '` + filepath.Join(root, "x.db") + `'`,
		`INSTALL httpfs`,
		`SET enable_external_access = true`,
		`SELECT 1; SELECT 2`,
		`SELECT * FROM read_csv('/etc/passwd')`,
		`SELECT * FROM read_parquet('` + filepath.Join(root, sqlview.Dir, "*.parquet") + `')`,
		`SELECT * FROM read_text('/etc/hostname')`,
		`SELECT * FROM glob('/*')`,
		`FROM 'x.parquet'`,
		`SELEC 1`,
	} {
		if _, err := queryRows(t, e, q); !errors.Is(err, sqlview.ErrQuery) {
			t.Errorf("%s: %v, want ErrQuery", q, err)
		}
	}
	for _, p := range []string{out, filepath.Join(root, "x.db")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
	if got := one(t, e, `SELECT count(*) FROM range(3)`); got != "3" {
		t.Errorf("range(3): %s rows", got)
	}
}

func TestOpenRefusesBadInput(t *testing.T) {
	root := t.TempDir()
	segs := buildSegments(t, root, 0, 10, 10)
	good := version(root, "votes", 1, sqlview.StatusAttested, segs)
	outside := good
	outside.Segments = append([]sqlview.Segment(nil), good.Segments...)
	outside.Segments[0].Parquet = "/etc/passwd"
	badStatus := good
	badStatus.Status = "approved"
	badRows := good
	badRows.Rows = 11
	badName := good
	badName.Dataset = `x"; DROP`
	for _, tc := range []struct {
		name string
		vs   []sqlview.Version
		want string
	}{
		{"path outside the folder", []sqlview.Version{outside}, "outside"},
		{"unknown status", []sqlview.Version{badStatus}, `status "approved"`},
		{"row count", []sqlview.Version{badRows}, "segments hold 10 rows"},
		{"dataset name", []sqlview.Version{badName}, "dataset name"},
		{"listed twice", []sqlview.Version{good, good}, "listed twice"},
	} {
		_, err := sqlview.Open(context.Background(), tc.vs, sqlview.Options{Dir: filepath.Join(root, sqlview.Dir)})
		if !errors.Is(err, sqlview.ErrInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrInput with %q", tc.name, err, tc.want)
		}
	}
	if _, err := sqlview.Open(context.Background(), nil, sqlview.Options{Dir: "sql"}); !errors.Is(err, sqlview.ErrInput) {
		t.Errorf("relative Dir: %v, want ErrInput", err)
	}
}
