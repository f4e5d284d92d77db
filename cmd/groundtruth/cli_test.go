package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
)

// runCLI runs the command tree in-process and returns stdout, stderr and
// the exit code main would use.
func runCLI(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newRootCmd(&out, &errOut, func(k string) string { return env[k] })
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	printError(&errOut, err)
	return out.String(), errOut.String(), exitCode(err)
}

// bravoConfig writes a config that imports csvPath into dataset compound_bravo.
func bravoConfig(t *testing.T, dir, csvPath string) string {
	t.Helper()
	example, err := os.ReadFile(filepath.Join(shareddata.RepoRoot(t), "examples", "compound-bravo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(example), "../../shared/data/governance/compound_governor_bravo.csv", csvPath, 1)
	cfg = strings.Replace(cfg, "data_dir: ../groundtruth-data", "data_dir: "+filepath.Join(dir, "data"), 1)
	p := filepath.Join(dir, "groundtruth.yaml")
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, nil, args...)
	if code != 0 {
		t.Fatalf("groundtruth %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestImportRealBravoExport(t *testing.T) {
	src := shareddata.SharedData(t, "governance/compound_governor_bravo.csv")
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "bravo.csv")
	copyFile(t, src, csvPath)
	cfg := bravoConfig(t, dir, csvPath)
	data := filepath.Join(dir, "data")

	out := mustRun(t, "ingest", "--config", cfg, "--job", "compound-bravo")
	if !strings.HasPrefix(out, "compound_bravo@1 0x") {
		t.Fatalf("ingest printed %q", out)
	}
	out = mustRun(t, "--data-dir", data, "query", "--format", "csv", `SELECT count(*) FROM "compound_bravo@1" WHERE event_name = 'VoteCast'`)
	if !strings.Contains(out, "\n7733\n") {
		t.Fatalf("VoteCast rows: %q", out)
	}
	out = mustRun(t, "--data-dir", data, "query", "--format", "csv", `SELECT id FROM "compound_bravo@1" WHERE event_name = 'ProposalCreated' ORDER BY block_number LIMIT 1`)
	if !strings.Contains(out, "\n43\n") {
		t.Fatalf("first proposal id (43.0 in the file): %q", out)
	}
	out = mustRun(t, "--data-dir", data, "verify", "compound_bravo@1")
	if !strings.Contains(out, "compound_bravo@1 verified: 8002 rows") {
		t.Fatalf("verify: %q", out)
	}
	exportFormats(t, data)

	// Appending to the export makes version 2, consistent with version 1.
	f, _ := os.OpenFile(csvPath, os.O_APPEND|os.O_WRONLY, 0)
	fmt.Fprintln(f, "VoteCast,16300000,0x"+strings.Repeat("ab", 32)+",7,2022-12-31T00:00:00,,,,,,,,,,0x8169522c2C57883E8EF80C498aAB7820dA539806,140.0,1,1.5e+22,,,,,,,,,,,,,,,0xc0Da02939E1441F497fd74F78cE7Decb17B66529")
	f.Close()
	out = mustRun(t, "ingest", "--config", cfg, "--job", "compound-bravo")
	if !strings.HasPrefix(out, "compound_bravo@2 0x") || !strings.Contains(out, "(8003 rows, 1 new)") {
		t.Fatalf("second ingest: %q", out)
	}
	out = mustRun(t, "--data-dir", data, "query", "--format", "csv", `SELECT votes::VARCHAR FROM "compound_bravo@2" WHERE _row = 8002`)
	if !strings.Contains(out, "\n15000000000000000000000\n") {
		t.Fatalf("appended votes 1.5e+22: %q", out)
	}
	mustRun(t, "--data-dir", data, "verify", "compound_bravo@2")
}

func exportFormats(t *testing.T, data string) {
	t.Helper()
	for _, format := range []string{"parquet", "csv", "jsonl"} {
		p := filepath.Join(t.TempDir(), "out."+format)
		// The import is sealed, not attested: export says so.
		out := mustRun(t, "--data-dir", data, "datasets", "export", "compound_bravo@1", "--format", format, "-o", p, "--allow-unattested")
		if !strings.Contains(out, "8002 rows written") || !strings.Contains(out, "NOT ATTESTED") {
			t.Fatalf("export %s: %q", format, out)
		}
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Fatalf("export %s: %v", format, err)
		}
	}
}

// TestVerifyNamesTheCulprit damages an imported version in each way the
// issue names and checks verify fails with exit 3 naming what failed.
func TestVerifyNamesTheCulprit(t *testing.T) {
	src := shareddata.SharedData(t, "governance/compound_governor_bravo.csv")
	tests := []struct {
		name   string
		damage func(t *testing.T, data string)
		want   string
	}{
		{"flipped byte in a segment", func(t *testing.T, data string) {
			p := onlyFile(t, data, ".arrow")
			b, _ := os.ReadFile(p)
			b[len(b)/3] ^= 0x40
			os.WriteFile(p, b, 0o644)
		}, "segments[0].sha256"},
		{"deleted segment", func(t *testing.T, data string) {
			os.Remove(onlyFile(t, data, ".arrow"))
		}, "segments[0].file"},
		{"edited manifest", func(t *testing.T, data string) {
			p := onlyFile(t, filepath.Join(data, "manifests"), ".json")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(`"rowCount":8002`), []byte(`"rowCount":8001`), 1), 0o644)
		}, "manifest.rowCount"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := bravoConfig(t, dir, src)
			data := filepath.Join(dir, "data")
			mustRun(t, "ingest", "--config", cfg, "--job", "compound-bravo")
			tc.damage(t, data)
			out, errOut, code := runCLI(t, nil, "--data-dir", data, "verify", "compound_bravo@1")
			if code != exitIntegrity || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d, want %d naming %s:\n%s%s", code, exitIntegrity, tc.want, out, errOut)
			}
		})
	}
}

func onlyFile(t *testing.T, root, suffix string) string {
	t.Helper()
	var found []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, suffix) {
			found = append(found, p)
		}
		return nil
	})
	if len(found) != 1 {
		t.Fatalf("want one %s file under %s, found %v", suffix, root, found)
	}
	return found[0]
}
