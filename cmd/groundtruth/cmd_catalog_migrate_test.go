package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// duckdbFixture is the data directory written by the last release with a
// DuckDB catalog (kept by the store's tests).
const duckdbFixture = "../../datasets/store/testdata/duckdb-catalog"

// copyFixture copies duckdbFixture into a new folder, gunzipping *.gz.
func copyFixture(t *testing.T) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(duckdbFixture, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(duckdbFixture, p)
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(rel, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				return err
			}
			if body, err = io.ReadAll(zr); err != nil {
				return err
			}
			rel = strings.TrimSuffix(rel, ".gz")
		}
		if err := os.MkdirAll(filepath.Join(to, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), body, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// TestCatalogMigrate migrates the DuckDB-era fixture with `catalog
// migrate`: every version verifies, the old file is kept, and `datasets
// list --json` equals that of the same directory whose catalog was rebuilt
// from the files alone; a read-only command refuses the unmigrated
// directory with a hint, a second migrate finds nothing (exit 4), and a
// writing command migrates by itself.
func TestCatalogMigrate(t *testing.T) {
	migrated := copyFixture(t)
	out, errOut, code := runCLI(t, nil, "--data-dir", migrated, "datasets", "list", "--json")
	if code != exitCatalog || !strings.Contains(errOut, "catalog migrate") {
		t.Fatalf("datasets list before the migration: exit %d, %s%s", code, out, errOut)
	}
	out, errOut, code = runCLI(t, nil, "--data-dir", migrated, "catalog", "migrate", "--json")
	if code != 0 {
		t.Fatalf("catalog migrate: exit %d\n%s%s", code, out, errOut)
	}
	var rep struct {
		Migrate  store.MigrateReport `json:"migrate"`
		Verified rebuildVerification `json:"verified"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Verified.Versions != 3 || rep.Verified.Verified != 3 || rep.Migrate.Rows["versions"] != 3 {
		t.Fatalf("migrate report: %s", out)
	}
	if _, err := os.Stat(filepath.Join(migrated, rep.Migrate.Kept)); err != nil {
		t.Fatalf("old catalog not kept: %v", err)
	}
	if _, _, code := runCLI(t, nil, "--data-dir", migrated, "catalog", "migrate"); code != exitNotFound {
		t.Fatalf("second migrate: exit %d, want %d", code, exitNotFound)
	}
	list := mustRun(t, "--data-dir", migrated, "datasets", "list", "--json")

	rebuilt := copyFixture(t)
	os.Remove(filepath.Join(rebuilt, store.DuckDBCatalogFile))
	mustRun(t, "--data-dir", rebuilt, "catalog", "rebuild")
	if want := mustRun(t, "--data-dir", rebuilt, "datasets", "list", "--json"); list != want {
		t.Fatalf("datasets list after migrate:\n%s\nafter a rebuild from the files:\n%s", list, want)
	}

	byOpen := copyFixture(t)
	mustRun(t, "--data-dir", byOpen, "catalog", "check", "--prune")
	if got := mustRun(t, "--data-dir", byOpen, "datasets", "list", "--json"); got != list {
		t.Fatalf("datasets list after a writing open migrated:\n%s\nwant\n%s", got, list)
	}
}
