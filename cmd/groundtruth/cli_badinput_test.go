package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallConfig = `version: 1
data_dir: data
jobs:
  - name: votes
    dataset: votes
    source:
      kind: file
      path: votes.csv
      key: [tx, idx]
      columns:
        - {name: tx, type: bytes32}
        - {name: idx, type: uint32}
        - {name: voter, type: address}
        - {name: votes, type: uint256}
`

const smallCSV = "tx,idx,voter,votes\n" +
	"0x1111111111111111111111111111111111111111111111111111111111111111,1,0x8169522c2C57883E8EF80C498aAB7820dA539806,43.0\n" +
	"0x2222222222222222222222222222222222222222222222222222222222222222,2,0x8169522c2C57883E8EF80C498aAB7820dA539806,1.5e+22\n"

// setupSmall writes the small config and CSV and ingests them once.
func setupSmall(t *testing.T) (dir, cfg string) {
	t.Helper()
	dir = t.TempDir()
	cfg = filepath.Join(dir, "groundtruth.yaml")
	os.WriteFile(cfg, []byte(smallConfig), 0o644)
	os.WriteFile(filepath.Join(dir, "votes.csv"), []byte(smallCSV), 0o644)
	mustRun(t, "ingest", "--config", cfg, "--job", "votes")
	return dir, cfg
}

// TestBadInputLeavesStoreAsItWas feeds each kind of bad input after a good
// version and checks the exit code, the message and that the store still
// holds exactly version 1, which verifies.
func TestBadInputLeavesStoreAsItWas(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(t *testing.T, dir, cfg string)
		wantCode int
		want     []string
	}{
		{"unknown config field", func(t *testing.T, dir, cfg string) {
			os.WriteFile(cfg, []byte(strings.Replace(smallConfig, "    dataset: votes\n", "    dataset: votes\n    sechedule: daily\n", 1)), 0o644)
		}, exitUsage, []string{"groundtruth.yaml:6:5", `unknown field "sechedule"`}},
		{"wrong type in a CSV cell", func(t *testing.T, dir, cfg string) {
			appendLine(t, filepath.Join(dir, "votes.csv"), "0x3333333333333333333333333333333333333333333333333333333333333333,three,0x8169522c2C57883E8EF80C498aAB7820dA539806,1")
		}, exitSource, []string{"votes.csv:4", `column "idx"`}},
		{"fractional integer", func(t *testing.T, dir, cfg string) {
			appendLine(t, filepath.Join(dir, "votes.csv"), "0x3333333333333333333333333333333333333333333333333333333333333333,3,0x8169522c2C57883E8EF80C498aAB7820dA539806,43.5")
		}, exitSource, []string{"votes.csv:4", `"43.5" is not an integer`}},
		{"file changed between runs", func(t *testing.T, dir, cfg string) {
			os.WriteFile(filepath.Join(dir, "votes.csv"), []byte(strings.Replace(smallCSV, ",1.5e+22", ",2.5e+22", 1)), 0o644)
		}, exitSource, []string{"votes.csv", "changed"}},
		{"empty file", func(t *testing.T, dir, cfg string) {
			os.WriteFile(filepath.Join(dir, "votes.csv"), nil, 0o644)
		}, exitSource, []string{"votes.csv"}},
		{"schema change", func(t *testing.T, dir, cfg string) {
			os.WriteFile(cfg, []byte(strings.Replace(smallConfig, "{name: idx, type: uint32}", "{name: idx, type: uint64}", 1)), 0o644)
		}, exitSource, []string{`column "idx" changed from uint32 to uint64`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, cfg := setupSmall(t)
			tc.mutate(t, dir, cfg)
			out, errOut, code := runCLI(t, nil, "ingest", "--config", cfg, "--job", "votes")
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.wantCode, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("message does not name %q:\n%s", w, errOut)
				}
			}
			data := filepath.Join(dir, "data")
			list := mustRun(t, "--data-dir", data, "--json", "datasets", "list")
			if !strings.Contains(list, `"latestVersion": 1`) {
				t.Errorf("store changed:\n%s", list)
			}
			mustRun(t, "--data-dir", data, "verify", "votes@1")
		})
	}
}

func appendLine(t *testing.T, path, line string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString(line + "\n")
}
