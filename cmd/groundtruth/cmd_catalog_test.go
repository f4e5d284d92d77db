package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
)

// runCLITimeout is runCLI with a deadline, for commands that would run
// until cancelled if they did not refuse (serve).
func runCLITimeout(t *testing.T, d time.Duration, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := newRootCmd(&out, &errOut, func(string) string { return "" })
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(&errOut, "groundtruth:", err)
	}
	return out.String(), errOut.String(), exitCode(err)
}

// dataFiles counts the files of a data directory other than the catalog.
func dataFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), store.CatalogFile) && d.Name() != "LOCK" {
			n++
		}
		return nil
	})
	return n
}

// bravoTwoVersions imports the real Compound Bravo export as
// compound_bravo@1, keeps a copy of the catalog, then appends a row as @2.
func bravoTwoVersions(t *testing.T) (cfg, data, backup string) {
	t.Helper()
	src := shareddata.SharedData(t, "governance/compound_governor_bravo.csv")
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "bravo.csv")
	copyFile(t, src, csvPath)
	cfg = bravoConfig(t, dir, csvPath)
	data = filepath.Join(dir, "data")
	mustRun(t, "ingest", "--config", cfg, "--job", "compound-bravo")
	backup = filepath.Join(dir, "catalog-v1.duckdb")
	copyFile(t, filepath.Join(data, store.CatalogFile), backup)
	f, _ := os.OpenFile(csvPath, os.O_APPEND|os.O_WRONLY, 0)
	fmt.Fprintln(f, "VoteCast,16300000,0x"+strings.Repeat("ab", 32)+",7,2022-12-31T00:00:00,,,,,,,,,,0x8169522c2C57883E8EF80C498aAB7820dA539806,140.0,1,1.5e+22,,,,,,,,,,,,,,,0xc0Da02939E1441F497fd74F78cE7Decb17B66529")
	f.Close()
	mustRun(t, "ingest", "--config", cfg, "--job", "compound-bravo")
	return cfg, data, backup
}

// TestCatalogLossRefusesWriters is the data-loss scenario on the
// real Compound Bravo import: the catalog is moved away, truncated or
// replaced by an older backup; serve, ingest and the other writing commands
// exit 12 naming `catalog rebuild`, reading commands say so, catalog check
// lists the unrecorded manifests, and not one file is deleted.
func TestCatalogLossRefusesWriters(t *testing.T) {
	cfg, data, backup := bravoTwoVersions(t)
	out := mustRun(t, "--data-dir", data, "catalog", "check")
	if !strings.Contains(out, "clean") {
		t.Fatalf("check of a clean directory: %q", out)
	}
	var rep store.CheckReport
	if err := json.Unmarshal([]byte(mustRun(t, "--data-dir", data, "catalog", "check", "--json")), &rep); err != nil || !rep.Clean() {
		t.Fatalf("check --json: %+v %v", rep, err)
	}
	list := mustRun(t, "--data-dir", data, "datasets", "list", "--json")
	catalog := filepath.Join(data, store.CatalogFile)
	good, _ := os.ReadFile(catalog)
	cases := []struct {
		name     string
		damage   func()
		readable bool // reading commands still work (with a warning)
	}{
		{"moved away", func() { os.Rename(catalog, catalog+".elsewhere") }, false},
		{"truncated", func() { os.Truncate(catalog, 4096) }, false},
		{"older backup", func() { copyFile(t, backup, catalog) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(catalog, good, 0o644)
			os.Remove(catalog + ".wal")
			old, _ := filepath.Glob(catalog + ".replaced-*")
			for _, f := range old {
				os.Remove(f) // the previous subtest's kept catalog, not data
			}
			tc.damage()
			before := dataFiles(t, data)
			_, errOut, code := runCLITimeout(t, time.Minute, "ingest", "--config", cfg, "--job", "compound-bravo")
			if code != exitCatalog || !strings.Contains(errOut, "groundtruth catalog rebuild") {
				t.Fatalf("ingest: exit %d: %s", code, errOut)
			}
			// serve stays up and says what to do (503) until stopped, then
			// exits with the catalog's status.
			srv := startServe(t, "--data-dir", data, "serve", "--anonymous")
			if code, body := srv.get(t, "GET", "/readyz"); code != 503 || !strings.Contains(body, "groundtruth catalog rebuild") {
				t.Fatalf("serve: readyz %d %s", code, body)
			}
			if code := srv.stop(t); code != exitCatalog || !strings.Contains(srv.stderr.String(), "groundtruth catalog rebuild") {
				t.Fatalf("serve: exit %d: %s", code, srv.stderr)
			}
			_, errOut, code = runCLI(t, nil, "--data-dir", data, "datasets", "list")
			if (tc.readable && code != 0) || (!tc.readable && code != exitCatalog) || !strings.Contains(errOut, "catalog rebuild") {
				t.Fatalf("datasets list: exit %d: %s", code, errOut)
			}
			out, errOut, code := runCLI(t, nil, "--data-dir", data, "catalog", "check")
			if code != exitCatalog || !strings.Contains(out, "manifests the catalog does not record") {
				t.Fatalf("catalog check: exit %d: %s%s", code, out, errOut)
			}
			if after := dataFiles(t, data); after != before || before < 6 {
				t.Fatalf("%d files before, %d after", before, after)
			}
			// catalog rebuild restores the list exactly; every version verifies.
			out = mustRun(t, "--data-dir", data, "catalog", "rebuild")
			if !strings.Contains(out, "2 of 2 versions verify") {
				t.Fatalf("rebuild: %s", out)
			}
			if got := mustRun(t, "--data-dir", data, "datasets", "list", "--json"); got != list {
				t.Fatalf("datasets list after the rebuild:\n%s\nwant\n%s", got, list)
			}
			mustRun(t, "--data-dir", data, "verify", "compound_bravo@2")
			mustRun(t, "--data-dir", data, "catalog", "check")
			if out := mustRun(t, "ingest", "--config", cfg, "--job", "compound-bravo"); !strings.Contains(out, "no new rows") {
				t.Fatalf("ingest after the rebuild (the checkpoint must be restored): %q", out)
			}
		})
	}
}

// TestRebuiltCatalogServes loses the catalog of an attested version,
// rebuilds it and serves the version: the attestation status and evidence
// come back from the journal, so the data API hands out its rows.
func TestRebuiltCatalogServes(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	m := sealAttested(t, data, 300)
	os.Remove(filepath.Join(data, store.CatalogFile))
	os.Remove(filepath.Join(data, store.CatalogFile+"-wal"))
	os.Remove(filepath.Join(data, store.CatalogFile+"-shm"))
	if _, errOut, code := runCLI(t, nil, "--data-dir", data, "verify", "votes@1"); code != exitCatalog {
		t.Fatalf("verify without a catalog: exit %d %s", code, errOut)
	}
	mustRun(t, "--data-dir", data, "catalog", "rebuild")
	// The files verify and the attestation evidence is back (the fixture's
	// evidence names no steward set, so the attestation check itself is 8).
	if out, errOut, code := runCLI(t, nil, "--data-dir", data, "verify", "votes@1"); !strings.Contains(out, "votes@1 verified: 300 rows") ||
		!strings.Contains(out, "ok   statement") || code != exitAttest {
		t.Fatalf("verify after the rebuild: exit %d\n%s%s", code, out, errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		cmd := newRootCmd(&stdout, &stderr, func(string) string { return "" })
		cmd.SetArgs([]string{"--data-dir", data, "serve", "--anonymous", "--listen", "127.0.0.1:0", "--log-level", "error"})
		done <- exitCode(cmd.ExecuteContext(ctx))
	}()
	addr := boundAddr(t, &stderr, endedOf(done))
	var body string
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + addr + "/v1/datasets/votes/versions/latest/rows/7")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			if resp.StatusCode != 200 {
				t.Fatalf("row 7: %d %s", resp.StatusCode, body)
			}
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		case <-time.After(25 * time.Millisecond):
		}
		if i > 400 {
			t.Fatalf("serve did not start: %v", err)
		}
	}
	if !strings.Contains(body, m.MerkleRoot.String()) {
		t.Fatalf("row 7 does not carry the root %s: %s", m.MerkleRoot, body)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}
