package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// priceConfig writes a configuration of one file job, prices, keyed by id,
// reading file; validation is appended to the job when not empty.
func priceConfig(t *testing.T, dir, file, validation string) string {
	t.Helper()
	cfg := fmt.Sprintf(`version: 1
data_dir: %s
jobs:
  - name: prices
    dataset: prices
    source:
      kind: file
      path: %s
      key: [id]
      columns:
        - {name: id, type: uint64}
        - {name: price, type: float64}
%s`, filepath.Join(dir, "data"), file, validation)
	p := filepath.Join(dir, "groundtruth.yaml")
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDuplicateKeysCLI checks the declared key through ingest, for CSV and
// JSONL drops: a repeated key within a run, and a key already sealed in an
// earlier version, fail the run with exit 6 naming both rows, and nothing
// is sealed; with the poisoning.duplicates check configured the later row
// is quarantined as poisoning.conflicting_duplicate instead.
func TestDuplicateKeysCLI(t *testing.T) {
	dupPolicy := "    validation:\n      checks:\n        - kind: poisoning.duplicates\n"
	tests := []struct {
		name       string
		ext        string
		first      string // the file's rows at the first ingest
		appended   string // rows appended before a second ingest ("" for none)
		validation string
		wantCode   int    // of the last ingest
		wantErr    string // in stderr of the last ingest
		wantRows   string // rows of the latest version, "" for no version
		wantCode2  string // the quarantine code with a policy
	}{
		{"csv within the run", "csv", "id,price\n1,40.03\n2,41\n1,77.7\n", "", "", exitSource,
			"prices@1 would hold two rows with key (id=1): row 0 (new) and row 2 (new)", "", ""},
		{"jsonl within the run", "jsonl", `{"id":1,"price":40.03}` + "\n" + `{"id":1,"price":77.7}` + "\n", "", "", exitSource,
			"prices@1 would hold two rows with key (id=1): row 0 (new) and row 1 (new)", "", ""},
		{"csv against an earlier version", "csv", "id,price\n1,40.03\n2,41\n", "2,99.5\n", "", exitSource,
			"prices@2 would hold two rows with key (id=2): row 1 (sealed in prices@1) and row 2 (new)", "2", ""},
		{"jsonl against an earlier version", "jsonl", `{"id":1,"price":40.03}` + "\n", `{"id":1,"price":77.7}` + "\n", "", exitSource,
			"prices@2 would hold two rows with key (id=1): row 0 (sealed in prices@1) and row 1 (new)", "1", ""},
		{"csv quarantined by policy", "csv", "id,price\n1,40.03\n2,41\n1,77.7\n", "", dupPolicy, 0, "", "2", "poisoning.conflicting_duplicate"},
		{"jsonl quarantined by policy", "jsonl", `{"id":1,"price":40.03}` + "\n" + `{"id":1,"price":77.7}` + "\n", "", dupPolicy, 0, "", "1", "poisoning.conflicting_duplicate"},
		{"csv against an earlier version, quarantined by policy", "csv", "id,price\n1,40.03\n2,41\n", "2,99.5\n", dupPolicy, 0, "", "2", "poisoning.refetch_mismatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "prices."+tc.ext)
			os.WriteFile(file, []byte(tc.first), 0o644)
			cfg := priceConfig(t, dir, file, tc.validation)
			data := filepath.Join(dir, "data")
			if tc.appended != "" {
				mustRun(t, "ingest", "--config", cfg, "--job", "prices")
				f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
				f.WriteString(tc.appended)
				f.Close()
			}
			_, errOut, code := runCLI(t, nil, "ingest", "--config", cfg, "--job", "prices")
			if code != tc.wantCode || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("ingest: exit %d, want %d: %s", code, tc.wantCode, errOut)
			}
			var out string
			if ref := latestVersion(t, nil, data, "prices"); ref != "" {
				out, _, _ = runCLI(t, nil, "--data-dir", data, "query", "--format", "csv", `SELECT count(*) FROM "`+ref+`"`)
			}
			if tc.wantRows == "" {
				if strings.Contains(out, "\n") && !strings.Contains(out, "\n0\n") {
					t.Fatalf("rows sealed after a refusal: %q", out)
				}
			} else if !strings.Contains(out, "\n"+tc.wantRows+"\n") {
				t.Fatalf("rows: %q, want %s", out, tc.wantRows)
			}
			if tc.validation != "" {
				q := mustRun(t, "--data-dir", data, "quarantine", "list")
				if !strings.Contains(q, tc.wantCode2) {
					t.Fatalf("quarantine list: %s", q)
				}
			}
			// A refused seal leaves its segment files unreferenced, and
			// nothing else; --prune deletes them.
			rep, _, code := runCLI(t, nil, "--data-dir", data, "catalog", "check")
			if tc.wantCode == 0 && code != 0 || code != 0 && strings.Count(rep, ":\n") != 1 || code != 0 && !strings.Contains(rep, "unreferenced files") {
				t.Fatalf("catalog check: exit %d: %s", code, rep)
			}
			mustRun(t, "--data-dir", data, "catalog", "check", "--prune")
			mustRun(t, "--data-dir", data, "catalog", "check")
		})
	}
}
