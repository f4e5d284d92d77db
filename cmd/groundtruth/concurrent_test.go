package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// TestCommandsWhileDaemonRuns runs the daemon on a file job that seals a
// version every few hundred milliseconds while commands run against the
// same data directory in a loop: datasets list|show|export, query,
// quarantine list, sign, attest, verify and runs. On SQLite and on
// PostgreSQL none may exit 5 or fail, and the daemon (a child process)
// logs no error.
func TestCommandsWhileDaemonRuns(t *testing.T) {
	pg := testpg.Start(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			e := newAttestEnv(t)
			if backend == "postgres" {
				e.env["GROUNDTRUTH_CATALOG"] = pg.NewDatabase(t)
			}
			sealWith(t, e.data, e.env["GROUNDTRUTH_CATALOG"], "votes", 0, 300)
			cfg := filepath.Join(e.dir, "groundtruth.yaml")
			writeFile(t, cfg, strings.Replace(lettersConfig, "data_dir: data", "data_dir: "+e.data, 1)+adminServe())
			csv := filepath.Join(e.dir, "letters.csv")
			appendFile(t, csv, "id,name\n1,a\n")
			args := []string{"run", "-c", cfg}
			if cat := e.env["GROUNDTRUTH_CATALOG"]; cat != "" {
				args = append([]string{"--catalog", cat}, args...)
			}
			d := startChild(t, args...) // the daemon in a process of its own
			reg := e.registryFlags()
			expect := func(want int, args ...string) string {
				t.Helper()
				out, errOut, code := e.run(t, args...)
				if code != want {
					t.Fatalf("groundtruth %s while the daemon runs: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
				}
				return out
			}
			for i := range 3 {
				appendFile(t, csv, fmt.Sprintf("%d,x\n", i+2))
				expect(0, "datasets", "list")
				s0 := e.signFile(t, "votes@1", 0, reg...)
				s1 := e.signFile(t, "votes@1", 1, reg...)
				expect(0, append([]string{"attest", "votes@1", "--signatures", s0 + "," + s1, "--from", e.gas}, reg...)...)
				expect(0, "datasets", "show", "votes@1")
				expect(0, "datasets", "export", "votes@1", "--format", "csv", "-o", filepath.Join(e.dir, fmt.Sprintf("votes-%d.csv", i)))
				if out := expect(0, "query", "--format", "csv", `SELECT count(*) FROM "votes@1"`); !strings.Contains(out, "\n300\n") {
					t.Fatalf("query printed %q", out)
				}
				expect(0, "query", "--format", "csv", `SELECT count(*) FROM "letters@1"`)
				expect(0, "quarantine", "list")
				expect(0, append([]string{"verify", "votes@1"}, reg...)...)
				expect(0, "runs", "--job", "letters")
			}
			waitFor(t, 20*time.Second, "letters@2 sealed by the daemon", func() bool {
				out, _, _ := e.run(t, "runs", "--job", "letters")
				return strings.Contains(out, "letters@2")
			})
			_ = d.Signal(syscall.SIGTERM)
			if code := d.Wait(t, 20*time.Second); code != 0 {
				t.Fatalf("the daemon exited with %d:\n%s", code, d.Output())
			}
			if strings.Contains(d.Output(), "locked") || strings.Contains(d.Output(), "level=ERROR") {
				t.Fatalf("the daemon met a lock or an error:\n%s", d.Output())
			}
		})
	}
}

// sealWith seals rows [from, from+rows) of the votes test schema as a new
// version of dataset in the data directory with the given catalog.
func sealWith(t *testing.T, data, catalog, dataset string, from, rows int) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, data, store.Options{Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.Begin(ctx, dataset, datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := datasetstest.VotesBatch(nil, from, rows)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestQuarantineWhileDaemonRuns runs the daemon on a validated price job
// that quarantines a spike, then reviews the quarantine from the command
// line while the daemon keeps polling: quarantine list, show, approve (a
// steward's signed decision), a refused second decision, show; a later
// version the daemon seals carries the approved row. On SQLite and on
// PostgreSQL nothing exits 5.
func TestQuarantineWhileDaemonRuns(t *testing.T) {
	pg := testpg.Start(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{}
			if backend == "postgres" {
				env["GROUNDTRUTH_CATALOG"] = pg.NewDatabase(t)
			}
			csvPath := filepath.Join(dir, "comp.csv")
			var b strings.Builder
			start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
			for i := range 120 {
				v := 400 + 3*float64(i%5)
				if i == 70 {
					v *= 1.6
				}
				fmt.Fprintf(&b, "%d,%g\n", start.Add(time.Duration(i)*time.Hour).UnixMilli(), v)
			}
			writeFile(t, csvPath, b.String())
			data := filepath.Join(dir, "data")
			cfgText := fmt.Sprintf(pricesConfig, data, csvPath)
			cfgText = strings.Replace(cfgText, "jobs:\n", "daemon:\n  listen: 127.0.0.1:0\n  shutdown_grace: 5s\njobs:\n", 1)
			cfgText = strings.Replace(cfgText, "    dataset: comp_usd\n", "    dataset: comp_usd\n    schedule: \"@every 100ms\"\n", 1)
			cfg := filepath.Join(dir, "groundtruth.yaml")
			writeFile(t, cfg, cfgText+adminServe())
			alice, _, attCfg := decisionKeys(t, dir)
			pw := []string{"--password-file", filepath.Join(dir, "pw")}
			d := startDaemonCLI(t, env, "run", "-c", cfg, "--log-format", "json")
			run := func(args ...string) (string, int) {
				t.Helper()
				out, errOut, code := runCLI(t, env, append([]string{"--data-dir", data}, args...)...)
				if code == exitLocked {
					t.Fatalf("groundtruth %s while the daemon runs: exit 5\n%s%s", strings.Join(args, " "), out, errOut)
				}
				return out + errOut, code
			}
			var id string
			waitFor(t, 20*time.Second, "a quarantined row", func() bool {
				out, code := run("quarantine", "list")
				lines := strings.Split(out, "\n")
				if code != 0 || len(lines) < 2 {
					return false
				}
				if f := strings.Fields(lines[1]); len(f) >= 4 && f[2] == "pending" {
					id = f[0]
				}
				return id != ""
			})
			if out, code := run("quarantine", "show", id); code != 0 || !strings.Contains(out, "reason:") {
				t.Fatalf("quarantine show: exit %d\n%s", code, out)
			}
			if out, code := run(append([]string{"quarantine", "approve", id, "--key", alice, "-c", attCfg}, pw...)...); code != 0 || !strings.Contains(out, "approved") {
				t.Fatalf("quarantine approve: exit %d\n%s", code, out)
			}
			if out, code := run(append([]string{"quarantine", "reject", id, "--key", alice, "-c", attCfg}, pw...)...); code == 0 {
				t.Fatalf("a second decision was accepted:\n%s", out)
			}
			if out, code := run("quarantine", "show", id); code != 0 || !strings.Contains(out, "signed:   valid") {
				t.Fatalf("quarantine show after the approval: exit %d\n%s", code, out)
			}
			appendFile(t, csvPath, fmt.Sprintf("%d,401\n", start.Add(120*time.Hour).UnixMilli()))
			waitFor(t, 20*time.Second, "a version with the approved row", func() bool {
				ref := latestVersion(t, env, data, "comp_usd")
				out, code := run("query", "--format", "csv", `SELECT count(*) FILTER (WHERE price > 600), count(*) FROM "`+ref+`"`)
				return code == 0 && (strings.Contains(out, "\n1,120\n") || strings.Contains(out, "\n1,121\n"))
			})
			if code := d.stop(t); code != 0 {
				t.Fatalf("the daemon exited with %d:\n%s", code, d.errOut)
			}
		})
	}
}

// TestSecondWriterOfADatasetExits5 holds the write lease of a dataset in
// one store (as another process writing it would) and runs an ingest of
// that dataset: it exits 5 and names the holder; once the first writer
// aborts, the same ingest succeeds.
func TestSecondWriterOfADatasetExits5(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, lettersConfig)
	appendFile(t, filepath.Join(dir, "letters.csv"), "id,name\n1,a\n")
	st, err := store.Open(ctx, filepath.Join(dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.Begin(ctx, "letters", datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, nil, "ingest", "--config", cfg, "--job", "letters")
	if code != exitLocked || !strings.Contains(errOut, "letters is being written by") || !strings.Contains(errOut, fmt.Sprintf("(pid %d on ", os.Getpid())) {
		t.Fatalf("ingest while letters is being written: exit %d, want 5 naming the holder\n%s", code, errOut)
	}
	w.Abort()
	if out := mustRun(t, "ingest", "--config", cfg, "--job", "letters"); !strings.Contains(out, "letters@1") {
		t.Fatalf("ingest after the abort printed:\n%s", out)
	}
}
