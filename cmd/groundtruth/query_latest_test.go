package main

import (
	"strings"
	"testing"
)

// latestVersion returns "D@N" for dataset's latest version of any status
// (the versions view through `query`), or "" when it has none: "D" itself
// is the latest attested version only.
func latestVersion(t *testing.T, env map[string]string, data, dataset string) string {
	t.Helper()
	out, errOut, code := runCLI(t, env, "--data-dir", data, "query", "--format", "csv",
		"SELECT max(version) FROM versions WHERE dataset = '"+dataset+"'")
	if code != 0 {
		t.Fatalf("the latest version of %s: exit %d\n%s%s", dataset, code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || lines[1] == "" || lines[1] == "NULL" {
		return ""
	}
	return dataset + "@" + lines[1]
}

// TestQueryDIsAttestedOnly: `query` answers "D" with the latest attested
// version only; over a sealed version it refuses (usage) naming "D@N",
// which answers.
func TestQueryDIsAttestedOnly(t *testing.T) {
	dir, _ := lettersOnce(t, "")
	data := dir + "/data"
	out, errOut, code := runCLI(t, nil, "--data-dir", data, "query", "--format", "csv", "SELECT count(*) FROM letters")
	if code != exitUsage || !strings.Contains(errOut, "no attested, non-revoked version") || !strings.Contains(errOut, `"letters@1"`) {
		t.Fatalf("D over a sealed version: exit %d\n%s%s", code, out, errOut)
	}
	if out := mustRun(t, "--data-dir", data, "query", "--format", "csv", `SELECT count(*) FROM "letters@1"`); !strings.Contains(out, "\n2\n") {
		t.Fatalf("D@N: %q", out)
	}
	if out := mustRun(t, "--data-dir", data, "query", "--format", "csv", "SELECT status FROM versions WHERE dataset = 'letters'"); !strings.Contains(out, "\nsealed\n") {
		t.Fatalf("versions: %q", out)
	}
}
