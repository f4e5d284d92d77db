package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// storeKillConfig is the daemon's configuration in TestStoreKill: two
// validated file jobs over the real price series (a CSV and a JSONL copy),
// whose spikes are quarantined.
const storeKillConfig = `version: 1
data_dir: {{.Data}}
daemon: {shutdown_grace: 2s, max_concurrent_runs: 2}
jobs:
  - name: comp
    dataset: comp_usd
    schedule: "@every 50ms"
    source:
      kind: file
      path: {{.Comp}}
      header: false
      key: [ts]
      columns:
        - {name: ts, from: "1", type: timestamp, format: unix_ms}
        - {name: price, from: "2", type: float64}
    validation:
      checks:
        - {kind: poisoning.series, value: price, time: ts}
      policy: {"*": keep, "poisoning.*": quarantine}
  - name: aave
    dataset: aave_usd
    schedule: "@every 50ms"
    source:
      kind: file
      path: {{.Aave}}
      format: jsonl
      key: [ts]
      columns:
        - {name: ts, type: timestamp, format: unix_ms}
        - {name: price, type: float64}
    validation:
      checks:
        - {kind: poisoning.series, value: price, time: ts}
      policy: {"*": keep, "poisoning.*": quarantine}
`

// killLane is one of the three processes of TestStoreKill: it is
// restarted after each kill and, for the one-shot commands, after each
// exit.
type killLane struct {
	name   string
	p      *childtest.Process
	kills  int
	starts int
}

// TestStoreKill is the kill test of the shared store (issue #12): three
// processes share one data directory on the SQLite catalog (the daemon
// running two validated file jobs over the real price series, a
// concurrent `ingest` of the real GovernorBravo export, and `quarantine
// approve` of the rows the daemon holds, signed with a test keystore),
// each a child process running the CLI as main does. The sources grow a
// chunk at a time while the test SIGKILLs one of the three at a random
// moment, at least 30 times (10 with -short), restarting what it killed.
// Afterwards: every version of every dataset holds each key once, keeps
// every key of the version before it and only keys of the source; the
// latest version plus the quarantine held back hold every source row
// exactly once; every version verifies; `catalog check` lists nothing but
// the leftovers of killed writes, exits 0 once they are pruned; and no
// lease of a killed writer ever blocked a new one.
func TestStoreKill(t *testing.T) {
	pg := testpg.Start(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			catalog := ""
			if backend == "postgres" {
				catalog = pg.NewDatabase(t)
			}
			storeKill3(t, catalog)
		})
	}
}

// storeKill3 is TestStoreKill on one catalog ("" for SQLite).
func storeKill3(t *testing.T, catalog string) {
	comp := shareddata.SharedData(t, "prices/comp_usd.csv")
	aave := shareddata.SharedData(t, "prices/aave_usd.csv")
	bravo := shareddata.SharedData(t, "governance/compound_governor_bravo.csv")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	files := map[string]*growingFile{
		"comp_usd":       priceFile(t, comp, filepath.Join(dir, "comp.csv"), false),
		"aave_usd":       priceFile(t, aave, filepath.Join(dir, "aave.jsonl"), true),
		"compound_bravo": bravoFile(t, bravo, filepath.Join(dir, "bravo.csv")),
	}
	chunk := map[string]int{"comp_usd": 500, "aave_usd": 500, "compound_bravo": 220}
	for ds, f := range files {
		f.grow(t, chunk[ds])
	}
	ingestCfg := bravoConfig(t, dir, files["compound_bravo"].path) // groundtruth.yaml, data_dir: dir/data
	if err := os.Mkdir(filepath.Join(dir, "daemon"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, filepath.Join(dir, "daemon"), storeKillConfig, map[string]any{"Data": data, "Comp": files["comp_usd"].path, "Aave": files["aave_usd"].path})
	alice, _, attCfg := decisionKeys(t, dir)
	var cat []string // the catalog flag of every command
	if catalog != "" {
		cat = []string{"--catalog", catalog}
	}
	// The catalog exists before the lanes start (a reader's open of a new,
	// empty PostgreSQL database fails rather than finding no catalog).
	st, err := store.Open(context.Background(), data, store.Options{Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	want := 30
	if testing.Short() {
		want = 10
	}
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 12))
	k := &storeKill{t: t, data: data, catalog: catalog, rnd: rnd,
		daemonArgs: append(cat, "run", "-c", cfg, "--listen", "", "--log-level", "info"),
		ingestArgs: append(cat, "ingest", "--config", ingestCfg, "--job", "compound-bravo"),
		approveArgs: func(id string) []string {
			return append(cat, "--data-dir", data, "quarantine", "approve", id, "--key", alice, "-c", attCfg, "--password-file", filepath.Join(dir, "pw"))
		}}
	lanes := []*killLane{{name: "daemon"}, {name: "ingest"}, {name: "approve"}}
	began := time.Now()
	kills := 0
	for i := 0; kills < want || minKills(lanes) < want/6; i++ {
		if time.Since(began) > 150*time.Second {
			t.Fatalf("only %d kills (%s) within %v", kills, killCounts(lanes), time.Since(began).Round(time.Second))
		}
		for ds, f := range files {
			f.grow(t, chunk[ds])
		}
		for _, l := range lanes {
			k.keepRunning(l)
		}
		time.Sleep(time.Duration(rnd.IntN(700)) * time.Millisecond)
		if l := k.victim(lanes); l != nil && k.kill(l) {
			l.kills++
			kills++
		}
	}
	t.Logf("%d SIGKILLs in %v (%s)", kills, time.Since(began).Round(time.Millisecond), killCounts(lanes))
	k.finish(lanes)
	for _, f := range files {
		f.grow(t, len(f.lines))
	}
	began = time.Now()
	drainWith(t, cfg, catalog)
	for {
		if out := mustRun(t, append(cat, "ingest", "--config", ingestCfg, "--job", "compound-bravo")...); strings.Contains(out, "no new rows") {
			break
		}
	}
	t.Logf("drained in %v", time.Since(began).Round(time.Millisecond))
	checkStoreKill(t, data, catalog, files, k.output)
}

// storeKill runs the lanes of TestStoreKill.
type storeKill struct {
	t           *testing.T
	data        string
	catalog     string // "" for SQLite
	rnd         *rand.Rand
	daemonArgs  []string
	ingestArgs  []string
	approveArgs func(id string) []string
	approving   string   // the quarantine entry the approve lane decides
	output      []string // the output of every child, for the log checks
}

// keepRunning starts l's process when it is not running; a one-shot
// command that ended on its own must have succeeded.
func (k *storeKill) keepRunning(l *killLane) {
	t := k.t
	if l.p != nil && !l.p.Exited() {
		return
	}
	if l.p != nil {
		code := l.p.Wait(t, time.Second)
		k.output = append(k.output, l.p.Output())
		if code != 0 && !(l.name == "approve" && k.decided(k.approving)) {
			t.Fatalf("%s exited with %d:\n%s", l.name, code, l.p.Output())
		}
		if l.name == "daemon" {
			t.Fatalf("the daemon ended on its own with %d:\n%s", code, l.p.Output())
		}
		l.p = nil
	}
	var args []string
	switch l.name {
	case "daemon":
		args = k.daemonArgs
	case "ingest":
		args = k.ingestArgs
	case "approve":
		if k.approving == "" || k.decided(k.approving) {
			k.approving = k.pending()
		}
		if k.approving == "" {
			return // nothing held yet
		}
		args = k.approveArgs(k.approving)
	}
	l.p = daemonChild(args).Start(t)
	l.starts++
}

// victim picks a running lane at random; a daemon only once it finished
// a run since it started (so that, however loaded the machine, each start
// makes progress and the kills land in later runs).
func (k *storeKill) victim(lanes []*killLane) *killLane {
	var running []*killLane
	for _, l := range lanes {
		if l.p == nil || l.p.Exited() {
			continue
		}
		if l.name == "daemon" && !strings.Contains(l.p.Output(), "msg=run ") {
			continue
		}
		running = append(running, l)
	}
	if len(running) == 0 {
		return nil
	}
	return running[k.rnd.IntN(len(running))]
}

// kill SIGKILLs l's process and reports whether the kill ended it (rather
// than the process ending first); the next keepRunning restarts it.
func (k *storeKill) kill(l *killLane) bool {
	_ = l.p.Signal(syscall.SIGKILL)
	code := l.p.Wait(k.t, 30*time.Second)
	k.output = append(k.output, l.p.Output())
	if code != -1 { // ended on its own just before the kill
		if code != 0 && !(l.name == "approve" && k.decided(k.approving)) {
			k.t.Fatalf("%s exited with %d:\n%s", l.name, code, l.p.Output())
		}
		l.p = nil
		return false
	}
	l.p = nil
	return true
}

// finish stops the daemon with SIGTERM and lets the one-shot commands end.
func (k *storeKill) finish(lanes []*killLane) {
	t := k.t
	for _, l := range lanes {
		if l.p == nil {
			continue
		}
		if l.name == "daemon" { // a SIGTERM before the daemon handles signals would kill it
			l.p.WaitOutput(t, 60*time.Second, "start", func(out string) bool { return strings.Contains(out, `msg="daemon started"`) })
			_ = l.p.Signal(syscall.SIGTERM)
		}
		code := l.p.Wait(t, 60*time.Second)
		k.output = append(k.output, l.p.Output())
		if code != 0 && !(l.name == "approve" && k.decided(k.approving)) {
			t.Fatalf("%s exited with %d at the end:\n%s", l.name, code, l.p.Output())
		}
	}
}

// quarantine returns the data directory's quarantine entries.
func (k *storeKill) quarantine() []store.QuarantineEntry {
	st, err := store.Open(context.Background(), k.data, store.Options{ReadOnly: true, Catalog: k.catalog})
	if errors.Is(err, store.ErrNotFound) {
		return nil // no writer has created the catalog yet
	}
	if err != nil {
		k.t.Fatalf("a reader cannot open the store: %v", err)
	}
	defer st.Close()
	es, err := st.QuarantineList(context.Background(), store.QuarantineFilter{})
	if err != nil {
		k.t.Fatal(err)
	}
	return es
}

// pending returns a pending quarantine entry of a sealed run (an entry of
// a run still pending cannot be decided: store.ErrRunPending), or "".
func (k *storeKill) pending() string {
	st, err := store.Open(context.Background(), k.data, store.Options{ReadOnly: true, Catalog: k.catalog})
	if errors.Is(err, store.ErrNotFound) {
		return "" // no writer has created the catalog yet
	}
	if err != nil {
		k.t.Fatalf("a reader cannot open the store: %v", err)
	}
	defer st.Close()
	var ids []string
	queryStore(k.t, st, `SELECT q.id FROM gt.quarantine q JOIN gt.validation_runs v ON v.run_id = q.run_id
		WHERE q.status = 'pending' AND v.outcome = 'sealed'`, func(rows *sql.Rows) error {
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if len(ids) == 0 {
		return ""
	}
	return ids[k.rnd.IntN(len(ids))]
}

// decided reports whether entry id carries a decision.
func (k *storeKill) decided(id string) bool {
	for _, e := range k.quarantine() {
		if e.ID == id {
			return e.Status != store.QuarantinePending
		}
	}
	return false
}

func minKills(lanes []*killLane) int {
	m := lanes[0].kills
	for _, l := range lanes {
		m = min(m, l.kills)
	}
	return m
}

func killCounts(lanes []*killLane) string {
	var parts []string
	for _, l := range lanes {
		parts = append(parts, fmt.Sprintf("%s: %d kills of %d starts", l.name, l.kills, l.starts))
	}
	return strings.Join(parts, ", ")
}

// keySQL renders a dataset's key as growingFile.keys does.
var keySQL = map[string]string{
	"comp_usd":       "CAST(epoch_ms(ts) AS VARCHAR)",
	"aave_usd":       "CAST(epoch_ms(ts) AS VARCHAR)",
	"compound_bravo": "lower(CAST(txhash AS VARCHAR)) || '|' || CAST(log_index AS VARCHAR)",
}

// quarantineKey renders a quarantined price row's key (its ts value).
func quarantineKey(t *testing.T, e store.QuarantineEntry) string {
	t.Helper()
	var row map[string]any
	if err := json.Unmarshal(e.RowJSON, &row); err != nil {
		t.Fatalf("quarantine entry %s: %v", e.ID, err)
	}
	switch ts := row["ts"].(type) {
	case float64:
		return strconv.FormatInt(int64(ts), 10)
	case string:
		if _, err := strconv.ParseInt(ts, 10, 64); err == nil {
			return ts
		}
		tm, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			tm, err = time.Parse("2006-01-02 15:04:05.999999999", ts)
		}
		if err != nil {
			t.Fatalf("quarantine entry %s: ts %q", e.ID, ts)
		}
		return strconv.FormatInt(tm.UnixMilli(), 10)
	}
	t.Fatalf("quarantine entry %s: ts %v", e.ID, row["ts"])
	return ""
}
