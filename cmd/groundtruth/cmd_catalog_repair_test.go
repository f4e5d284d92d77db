package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogCheckRepairsParquetCopies: a deleted Parquet copy (a crash
// between a segment and its copy) makes `catalog check` exit 12 naming it
// and `--repair`; `catalog check --repair` recreates it byte-identical and
// exits 0, and the version answers SQL again.
func TestCatalogCheckRepairsParquetCopies(t *testing.T) {
	dir, _ := lettersOnce(t, "")
	data := filepath.Join(dir, "data")
	copies, _ := filepath.Glob(filepath.Join(data, "sql", "*.parquet"))
	if len(copies) == 0 {
		t.Fatal("the seal wrote no Parquet copy")
	}
	want, _ := os.ReadFile(copies[0])
	os.Remove(copies[0])
	out, errOut, code := runCLI(t, nil, "--data-dir", data, "catalog", "check")
	rel := "sql/" + filepath.Base(copies[0])
	if code != exitCatalog || !strings.Contains(out, rel) || !strings.Contains(out, "--repair") {
		t.Fatalf("check with a copy missing: exit %d\n%s%s", code, out, errOut)
	}
	out = mustRun(t, "--data-dir", data, "catalog", "check", "--repair")
	if !strings.Contains(out, "Parquet copies recreated (1)") || !strings.Contains(out, rel) {
		t.Fatalf("check --repair:\n%s", out)
	}
	if got, _ := os.ReadFile(copies[0]); string(got) != string(want) {
		t.Errorf("the recreated copy (%d bytes) differs from the sealed one (%d bytes)", len(got), len(want))
	}
	mustRun(t, "--data-dir", data, "catalog", "check")
	if out := mustRun(t, "--data-dir", data, "query", "--format", "csv", `SELECT count(*) FROM "letters@1"`); !strings.Contains(out, "\n2\n") {
		t.Fatalf("query after the repair: %q", out)
	}
}
