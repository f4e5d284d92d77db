package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// checkStoreKill checks the data directory TestStoreKill left: keys,
// versions, quarantine, verify, catalog check and the children's logs.
func checkStoreKill(t *testing.T, data string, files map[string]*growingFile, outputs []string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	es, err := st.QuarantineList(ctx, store.QuarantineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for ds, f := range files {
		source := map[string]bool{}
		for _, key := range f.keys {
			source[key] = true
		}
		latest := checkVersionKeys(t, st, ds, source)
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
			t.Errorf("%s: the latest version and the quarantine hold %d of the %d source keys", ds, len(latest), len(source))
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
	checkStoreKillCLI(t, data, files)
	all := strings.Join(outputs, "\n")
	if strings.Contains(all, "is being written by") {
		t.Error("a writer was refused a lease (exit 5) during the kills")
	}
	t.Logf("%d approvals; leases of killed writers expired: %d, taken over after expiry: %d", decided,
		strings.Count(all, "expired the write lease of a process that no longer runs"), strings.Count(all, "took over an expired write lease"))
}

// checkVersionKeys checks every version of ds: it verifies, holds each key
// once, only keys of source, and every key of the version before it. It
// returns the latest version's keys.
func checkVersionKeys(t *testing.T, st *store.Store, ds string, source map[string]bool) map[string]bool {
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
		queryStore(t, st, fmt.Sprintf(`SELECT %s FROM "%s@%d"`, keySQL[ds], ds, v.Version), func(rows *sql.Rows) error {
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
func checkStoreKillCLI(t *testing.T, data string, files map[string]*growingFile) {
	t.Helper()
	for ds := range files {
		out, errOut, code := runCLI(t, nil, "--data-dir", data, "verify", ds)
		if code != 0 {
			t.Errorf("verify %s: exit %d\n%s%s", ds, code, out, errOut)
		}
	}
	out, errOut, code := runCLI(t, nil, "--data-dir", data, "catalog", "check")
	if code != 0 {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "  ") || line == "" || strings.HasPrefix(line, "unreferenced files") || strings.HasPrefix(line, "catalog check") {
				continue
			}
			t.Errorf("catalog check after the kills: %q\n%s%s", line, out, errOut)
		}
		t.Logf("catalog check after the kills (exit %d):\n%s", code, firstLines(out, 8))
		mustRun(t, "--data-dir", data, "catalog", "check", "--prune")
	}
	if out, errOut, code := runCLI(t, nil, "--data-dir", data, "catalog", "check"); code != 0 {
		t.Errorf("catalog check after --prune: exit %d\n%s%s", code, out, errOut)
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
