package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// checkStoreKill checks the data directory TestStoreKill left: keys,
// versions, quarantine, verify, catalog check and the children's logs.
func checkStoreKill(t *testing.T, data, catalog string, files map[string]*growingFile, outputs []string) {
	t.Helper()
	ctx := context.Background()
	began := time.Now()
	defer func() { t.Logf("checked in %v", time.Since(began).Round(time.Millisecond)) }()
	st, err := store.Open(ctx, data, store.Options{ReadOnly: true, Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	eng, err := st.SQLEngine(ctx, sqlview.Options{}) // one engine for every query ("D@N" names)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	es, err := st.QuarantineList(ctx, store.QuarantineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for ds, f := range files {
		source := map[string]bool{}
		for _, key := range f.keys {
			source[key] = true
		}
		latest := checkVersionKeys(t, st, eng, ds, source)
		t.Logf("%s keys checked after %v", ds, time.Since(began).Round(time.Millisecond))
		held, applied := 0, 0
		for _, e := range es {
			if e.Dataset != ds {
				continue
			}
			key := quarantineKey(t, e)
			switch {
			case e.AppliedVersion != nil && !latest[key]:
				t.Errorf("%s: approved quarantine entry %s (key %s) applied in version %d is not in the latest version", ds, e.ID, key, *e.AppliedVersion)
			case e.AppliedVersion != nil:
				applied++
			case latest[key]:
				t.Errorf("%s: key %s is both in the latest version and held in quarantine (entry %s, %s)", ds, key, e.ID, e.Status)
			case !source[key]:
				t.Errorf("%s: quarantine entry %s holds key %s, not in the source", ds, e.ID, key)
			default:
				held++
				latest[key] = true // counted once: a second entry of the key fails above
			}
		}
		if len(latest) != len(source) {
			var missing []string
			for _, key := range f.keys {
				if !latest[key] && len(missing) < 20 {
					missing = append(missing, key)
				}
			}
			t.Errorf("%s: the latest version and the quarantine hold %d of the %d source keys; missing: %v", ds, len(latest), len(source), missing)
			logValidationRuns(t, st, ds)
		}
		t.Logf("%s: %d source rows; %d held in quarantine, %d approved and applied", ds, len(source), held, applied)
	}
	decided := 0
	for _, e := range es {
		if e.Status == store.QuarantineApproved {
			decided++
		}
	}
	if decided == 0 {
		t.Error("no quarantine entry was approved")
	}
	checkStoreKillCLI(t, data, catalog, files)
	all := strings.Join(outputs, "\n")
	if t.Failed() {
		for _, line := range strings.Split(all, "\n") {
			if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") || strings.Contains(line, "run failed") {
				t.Log(line)
			}
		}
	}
	if strings.Contains(all, "is being written by") {
		t.Error("a writer was refused a lease (exit 5) during the kills")
	}
	t.Logf("%d approvals; leases of killed writers expired: %d, taken over after expiry: %d", decided,
		strings.Count(all, "expired the write lease of a process that no longer runs"), strings.Count(all, "took over an expired write lease"))
}

// checkVersionKeys checks every version of ds: it verifies, holds each key
// once, only keys of source, and every key of the version before it. It
// returns the latest version's keys.
func checkVersionKeys(t *testing.T, st *store.Store, eng *sqlview.Engine, ds string, source map[string]bool) map[string]bool {
	t.Helper()
	ctx := context.Background()
	vs, err := st.Versions(ctx, ds)
	if err != nil || len(vs) == 0 {
		t.Fatalf("%s: %d versions, %v", ds, len(vs), err)
	}
	prev := map[string]bool{}
	for _, v := range vs {
		if ver, err := st.Verify(ctx, ds, v.Version); err != nil || ver.Err() != nil {
			t.Fatalf("%s@%d does not verify: %v %v", ds, v.Version, err, ver.Err())
		}
		keys := map[string]bool{}
		q := fmt.Sprintf(`SELECT %s FROM "%s@%d"`, keySQL[ds], ds, v.Version)
		err := eng.Query(ctx, q, func(rows *sql.Rows) error {
			for rows.Next() {
				var key string
				if err := rows.Scan(&key); err != nil {
					return err
				}
				if keys[key] {
					return fmt.Errorf("%s@%d holds key %s twice", ds, v.Version, key)
				}
				if !source[key] {
					return fmt.Errorf("%s@%d holds key %s, not in the source", ds, v.Version, key)
				}
				keys[key] = true
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for key := range prev {
			if !keys[key] {
				t.Fatalf("%s@%d lost key %s of the version before it", ds, v.Version, key)
			}
		}
		if uint64(len(keys)) != v.Rows {
			t.Fatalf("%s@%d: %d keys in %d rows", ds, v.Version, len(keys), v.Rows)
		}
		prev = keys
	}
	t.Logf("%s: %d versions verify, %d rows in the latest", ds, len(vs), len(prev))
	return prev
}

// checkStoreKillCLI runs verify on each dataset's latest version and
// catalog check: it may list only files no version references (leftovers
// of killed writes), and exits 0 once --prune removed them.
func checkStoreKillCLI(t *testing.T, data, catalog string, files map[string]*growingFile) {
	t.Helper()
	env := map[string]string{"GROUNDTRUTH_CATALOG": catalog}
	for ds := range files {
		out, errOut, code := runCLI(t, env, "--data-dir", data, "verify", ds)
		if code != 0 {
			t.Errorf("verify %s: exit %d\n%s%s", ds, code, out, errOut)
		}
	}
	out, errOut, code := runCLI(t, env, "--data-dir", data, "catalog", "check")
	if code != 0 {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "  ") || line == "" || strings.HasPrefix(line, "unreferenced files") || strings.HasPrefix(line, "catalog check") {
				continue
			}
			t.Errorf("catalog check after the kills: %q\n%s%s", line, out, errOut)
		}
		t.Logf("catalog check after the kills (exit %d):\n%s", code, firstLines(out, 8))
		if out, errOut, code := runCLI(t, env, "--data-dir", data, "catalog", "check", "--prune"); code != 0 {
			t.Fatalf("catalog check --prune: exit %d\n%s%s", code, out, errOut)
		}
	}
	if out, errOut, code := runCLI(t, env, "--data-dir", data, "catalog", "check"); code != 0 {
		t.Errorf("catalog check after --prune: exit %d\n%s%s", code, out, errOut)
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// logValidationRuns logs a dataset's validation runs (on a failure).
func logValidationRuns(t *testing.T, st *store.Store, ds string) {
	t.Helper()
	queryStore(t, st, `SELECT v.run_id, v.outcome, coalesce(v.version, -1), coalesce(v.cursor, ''), (SELECT count(*) FROM gt.quarantine q WHERE q.run_id = v.run_id)
		FROM gt.validation_runs v WHERE v.dataset = '`+ds+`' ORDER BY v.created_at`, func(rows *sql.Rows) error {
		for rows.Next() {
			var id, outcome, cursor string
			var version, held int64
			if err := rows.Scan(&id, &outcome, &version, &cursor, &held); err != nil {
				return err
			}
			t.Logf("validation run %s: %s, version %d, %d quarantined, cursor %s", id, outcome, version, held, cursor)
		}
		return rows.Err()
	})
}
