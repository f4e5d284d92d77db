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
// query and export fail with exit 8 naming the copy, catalog check lists
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
	raw, err := os.ReadFile(v2)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(v1+".tmp", raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(v1+".tmp", v1); err != nil {
		t.Fatal(err)
	}
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
