package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated tables of docs/validators.md")

// TestValidatorDocs checks that docs/validators.md lists every validator
// kind and every code with its defaults (-update-docs regenerates the
// tables between the markers).
func TestValidatorDocs(t *testing.T) {
	reg, err := validatorRegistry()
	if err != nil {
		t.Fatal(err)
	}
	var kinds, codes strings.Builder
	kinds.WriteString("| kind | checks |\n|---|---|\n")
	for _, k := range reg.Kinds() {
		f, _ := reg.Lookup(k)
		fmt.Fprintf(&kinds, "| `%s` | %s |\n", k, f.Summary)
	}
	codes.WriteString("| code | severity | default action | meaning |\n|---|---|---|---|\n")
	for _, c := range reg.Codes() {
		fmt.Fprintf(&codes, "| `%s` | %s | %s | %s |\n", c.Code, c.Severity, c.Action, c.Summary)
	}
	path := filepath.Join(shareddata.RepoRoot(t), "docs", "validators.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(doc)
	for _, s := range []struct{ name, body string }{{"kinds", kinds.String()}, {"codes", codes.String()}} {
		begin, end := "<!-- "+s.name+":begin -->\n", "<!-- "+s.name+":end -->"
		i, j := strings.Index(got, begin), strings.Index(got, end)
		if i < 0 || j < i {
			t.Fatalf("docs/validators.md lacks the %s markers", s.name)
		}
		got = got[:i+len(begin)] + s.body + got[j:]
	}
	if *updateDocs {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != string(doc) {
		t.Fatal("docs/validators.md is out of date with the registry: go test ./cmd/groundtruth -run TestValidatorDocs -args -update-docs")
	}
}

const pricesConfig = `version: 1
data_dir: %s
jobs:
  - name: comp
    dataset: comp_usd
    source:
      kind: file
      path: %s
      header: false
      key: [ts]
      columns:
        - {name: ts, from: "1", type: timestamp, format: unix_ms}
        - {name: price, from: "2", type: float64}
    validation:
      checks:
        - kind: poisoning.schema
        - kind: poisoning.duplicates
        - kind: poisoning.series
          value: price
          time: ts
        - kind: gaps.time_buckets
          time: ts
          interval: 1h
          min_missing: 2
      policy:
        gaps.*: keep
`

// TestValidateQuarantineCLI runs validate (dry run), ingest with the
// validation stage, then reviews the quarantine and applies an approval.
func TestValidateQuarantineCLI(t *testing.T) {
	dir := t.TempDir()
	csvPath := poisonedPrices(t, dir)
	data := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "groundtruth.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(pricesConfig, data, csvPath)), 0o644)

	report := filepath.Join(dir, "report.json")
	out := mustRun(t, "validate", "--config", cfg, "--job", "comp", "--report", report)
	if !strings.Contains(out, "poisoning.") || !strings.Contains(out, "dry run") {
		t.Fatalf("validate printed:\n%s", out)
	}
	var rep struct {
		Findings []struct {
			Code string   `json:"code"`
			Rows []string `json:"rows"`
		} `json:"findings"`
		Quarantined []string `json:"quarantined"`
	}
	raw, _ := os.ReadFile(report)
	if err := json.Unmarshal(raw, &rep); err != nil || len(rep.Quarantined) != 1 || rep.Quarantined[0] != "2021-05-03T22:00:00.000000Z" {
		t.Fatalf("report: %s %v", raw, err)
	}
	if _, err := os.Stat(data); err == nil {
		t.Fatal("validate wrote to the data directory")
	}
	out = mustRun(t, "ingest", "--config", cfg, "--job", "comp")
	if !strings.Contains(out, "comp_usd@1") || !strings.Contains(out, "119 rows") {
		t.Fatalf("ingest printed:\n%s", out)
	}
	out = mustRun(t, "--data-dir", data, "quarantine", "list")
	fields := strings.Fields(strings.Split(out, "\n")[1])
	if len(fields) < 4 || fields[2] != "pending" {
		t.Fatalf("quarantine list:\n%s", out)
	}
	id := fields[0]
	if out = mustRun(t, "--data-dir", data, "quarantine", "show", id); !strings.Contains(out, "reason:") {
		t.Fatalf("quarantine show:\n%s", out)
	}
	alice, bob, attCfg := decisionKeys(t, dir)
	pw := []string{"--password-file", filepath.Join(dir, "pw")}
	if _, errOut, code := runCLI(t, nil, append([]string{"--data-dir", data, "quarantine", "approve", id, "--key", bob, "-c", attCfg}, pw...)...); code == 0 ||
		!strings.Contains(errOut, "is not a steward") {
		t.Fatalf("a non-steward's decision: exit %d: %s", code, errOut)
	}
	out = mustRun(t, append([]string{"--data-dir", data, "quarantine", "approve", id, "--key", alice, "-c", attCfg, "--note", "checked against the exchange"}, pw...)...)
	if !strings.Contains(out, "approved") || !strings.Contains(out, "signed") {
		t.Fatalf("approve printed:\n%s", out)
	}
	if _, _, code := runCLI(t, nil, append([]string{"--data-dir", data, "quarantine", "reject", id, "--key", alice, "-c", attCfg}, pw...)...); code == 0 {
		t.Fatal("a second decision was accepted")
	}
	if out = mustRun(t, "--data-dir", data, "quarantine", "show", id); !strings.Contains(out, "signed:   valid") {
		t.Fatalf("quarantine show:\n%s", out)
	}
	out = mustRun(t, "ingest", "--config", cfg, "--job", "comp")
	if !strings.Contains(out, "comp_usd@2") || !strings.Contains(out, "120 rows") {
		t.Fatalf("second ingest printed:\n%s", out)
	}
	out = mustRun(t, "--data-dir", data, "--json", "datasets", "show", "comp_usd")
	if !strings.Contains(out, `"reportHash":"0x`) {
		t.Fatalf("manifest without a report hash:\n%s", out)
	}
	checkDecisionLineage(t, data, id)
}

// poisonedPrices writes dir/comp.csv: 120 hourly prices from 2021-05-01
// whose 71st is 1.6 times its neighbours (one row to quarantine).
func poisonedPrices(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 120; i++ {
		v := 400 + 3*float64(i%5)
		if i == 70 {
			v *= 1.6
		}
		fmt.Fprintf(&b, "%d,%g\n", start.Add(time.Duration(i)*time.Hour).UnixMilli(), v)
	}
	p := filepath.Join(dir, "comp.csv")
	writeFile(t, p, b.String())
	return p
}

// decisionKeys writes a steward's keystore, an outsider's and a
// configuration whose attestation section names only the steward.
func decisionKeys(t *testing.T, dir string) (steward, outsider, cfg string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "pw"), testPassword+"\n")
	var addrs []string
	for _, name := range []string{"alice", "bob"} {
		k, err := attest.NewKey(filepath.Join(dir, "keys"), name, testPassword, attest.LightKDF)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, k.Address.Hex())
	}
	cfg = filepath.Join(dir, "attestation.yaml")
	writeFile(t, cfg, fmt.Sprintf("version: 1\nattestation:\n  backend: offchain\n  chain_id: 31337\n  eas: \"0x00000000000000000000000000000000000000ea\"\n  eas_version: \"1.3.0\"\n  stewards: [\"%s\"]\n  threshold: 1\n", addrs[0]))
	return filepath.Join(dir, "keys", "alice.json"), filepath.Join(dir, "keys", "bob.json"), cfg
}

// checkDecisionLineage reads the second version's report: it lists the
// signed decision, whose signature verifies.
func checkDecisionLineage(t *testing.T, data, id string) {
	t.Helper()
	out := mustRun(t, "--data-dir", data, "--json", "query", "SELECT detail FROM gt.lineage")
	if !strings.Contains(out, id) || !strings.Contains(out, "checked against the exchange") || !strings.Contains(out, `signature`) {
		t.Fatalf("lineage: %s", out)
	}
}

// TestConfigValidateChecks: config validate builds every job's validators,
// so a check's problems show with their file:line.
func TestConfigValidateChecks(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, `version: 1
data_dir: data
jobs:
  - name: comp
    dataset: comp_usd
    source:
      kind: file
      path: comp.csv
      key: [ts]
      columns:
        - {name: ts, from: "1", type: timestamp, format: unix_ms}
        - {name: price, from: "2", type: float64}
    validation:
      checks:
        - kind: poisoning.series
          value: price
          time: ts
          bogus: 1
        - kind: gaming.few_voter_quorum
          max_voters: 0
          quorum: 5
        - kind: gaming.nope
`)
	_, errOut, code := runCLI(t, nil, "config", "validate", "-c", cfg)
	if code == 0 {
		t.Fatal("config validate accepted broken checks")
	}
	for _, want := range []string{cfg + `:18:11: unknown field "bogus"`, cfg + ":19:11: job \"comp\" check \"gaming.few_voter_quorum\"", cfg + `:22:11: job "comp" check #3`, `unknown check kind "gaming.nope"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("config validate does not say %q:\n%s", want, errOut)
		}
	}
}
