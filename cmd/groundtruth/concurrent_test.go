package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
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
// PostgreSQL none may exit 5 or fail. (The commands run in this test
// process, each opening its own store, as a second process would.)
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
			d := startDaemonCLI(t, e.env, "run", "-c", cfg, "--log-format", "json")
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
				expect(0, "query", "--format", "csv", `SELECT count(*) FROM letters`)
				expect(0, "quarantine", "list")
				expect(0, append([]string{"verify", "votes@1"}, reg...)...)
				expect(0, "runs", "--job", "letters")
			}
			waitFor(t, 20*time.Second, "letters@2 sealed by the daemon", func() bool {
				out, _, _ := e.run(t, "runs", "--job", "letters")
				return strings.Contains(out, "letters@2")
			})
			if code := d.stop(t); code != 0 {
				t.Fatalf("the daemon exited with %d:\n%s", code, d.errOut)
			}
			if strings.Contains(d.errOut.String(), "locked") {
				t.Fatalf("the daemon met a lock:\n%s", d.errOut)
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
