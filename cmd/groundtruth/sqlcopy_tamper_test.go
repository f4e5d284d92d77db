package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTamperedSQLCopyIsRefused replays the black-box attack F2: the Parquet
// copy of letters@1 replaced by letters@2's (same schema, a valid copy of
// another segment with as many rows, so that its footer is in order).
// Before the fix `query` and `datasets export` answered
// with letters@2's rows under letters@1's name and `catalog check` was
// clean. Now the copy is proven against its segment before it is read:
// query and export fail with exit 3 naming the copy, catalog check lists
// it, --repair recreates it, and the rows are letters@1's again.
func TestTamperedSQLCopyIsRefused(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the copies' proofs
	dir, cfg := lettersOnce(t, "")
	appendFile(t, filepath.Join(dir, "letters.csv"), "3,c\n4,d\n")
	mustRun(t, "run", "--once", "-c", cfg)
	data := filepath.Join(dir, "data")
	count := `SELECT count(*) FROM "letters@1"`
	if out := mustRun(t, "--data-dir", data, "query", "--format", "csv", count); !strings.Contains(out, "\n2\n") {
		t.Fatalf("letters@1 before: %q", out)
	}
	v1 := copyOf(t, data, "letters@1")
	v2 := copyOf(t, data, "letters@2")
	swapFile(t, v2, v1)
	for _, args := range [][]string{
		{"query", "--format", "csv", count},
		{"query", "--format", "csv", `WITH x AS (SELECT * FROM "LETTERS@1") SELECT count(*) FROM x`},
		{"datasets", "export", "letters@1", "--allow-unattested", "--format", "csv", "-o", filepath.Join(dir, "out.csv")},
	} {
		out, errOut, code := runCLI(t, nil, append([]string{"--data-dir", data}, args...)...)
		if code != exitIntegrity || !strings.Contains(errOut, "does not match its segment") || !strings.Contains(errOut, filepath.Base(v1)) {
			t.Errorf("%v over a tampered copy: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("export wrote a file from the tampered copy")
	}
	out, errOut, code := runCLI(t, nil, "--data-dir", data, "catalog", "check")
	if code == 0 || !strings.Contains(out+errOut, "does not match its segment") {
		t.Fatalf("catalog check over a tampered copy: exit %d\n%s%s", code, out, errOut)
	}
	mustRun(t, "--data-dir", data, "catalog", "check", "--repair")
	mustRun(t, "--data-dir", data, "catalog", "check")
	if out := mustRun(t, "--data-dir", data, "query", "--format", "csv", count); !strings.Contains(out, "\n2\n") {
		t.Fatalf("letters@1 after the repair: %q", out)
	}
	// A copy of a segment with another number of rows (round 2: exit 1
	// instead of the integrity code).
	appendFile(t, filepath.Join(dir, "letters.csv"), "5,e\n6,f\n7,g\n")
	mustRun(t, "run", "--once", "-c", cfg)
	swapFile(t, copyOf(t, data, "letters@3"), v1)
	out, errOut, code = runCLI(t, nil, "--data-dir", data, "query", "--format", "csv", count)
	if code != exitIntegrity || !strings.Contains(errOut, filepath.Base(v1)) {
		t.Errorf("query over a copy with other rows: exit %d\n%s%s", code, out, errOut)
	}
}

// swapFile replaces dst by a copy of src (a rename, as an attacker would).
func swapFile(t *testing.T, src, dst string) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst+".tmp", raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dst+".tmp", dst); err != nil {
		t.Fatal(err)
	}
}

// copyOf is the path of the Parquet copy of version ref's last segment
// (letters@2 holds letters@1's segment and one of its own).
func copyOf(t *testing.T, data, ref string) string {
	t.Helper()
	out := mustRun(t, "--data-dir", data, "datasets", "show", ref, "--json")
	i := strings.LastIndex(out, `"sha256":"0x`)
	if i < 0 {
		t.Fatalf("no segment hash in %s", out)
	}
	sha := out[i+len(`"sha256":"0x`) : i+len(`"sha256":"0x`)+64]
	return filepath.Join(data, "sql", sha+".parquet")
}
