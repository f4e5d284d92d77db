package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// quarantinedEntry ingests a price series with one poisoned value and
// returns the data directory and the id of its pending quarantine entry.
func quarantinedEntry(t *testing.T, dir string) (data, id string) {
	t.Helper()
	csvPath := poisonedPrices(t, dir)
	data = filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, fmt.Sprintf(pricesConfig, data, csvPath))
	mustRun(t, "ingest", "--config", cfg, "--job", "comp")
	out := mustRun(t, "--data-dir", data, "quarantine", "list")
	fields := strings.Fields(strings.Split(out, "\n")[1])
	if len(fields) < 4 || fields[2] != "pending" {
		t.Fatalf("quarantine list:\n%s", out)
	}
	return data, fields[0]
}

// TestQuarantineWalletDecision: `quarantine approve|reject --typed-data
// FILE --steward ADDR` writes the decision for a wallet; Foundry's `cast
// wallet sign --data` signs it; `--typed-data FILE --signature` records it
// after the same checks as a --key decision. A signature by anyone but the
// steward the file names, a file of another entry or decision, an outsider
// as steward and a malformed signature are refused with exit 8 (2 for bad
// flags) and nothing is recorded.
func TestQuarantineWalletDecision(t *testing.T) {
	_, cast := findCast(t)
	dir := t.TempDir()
	data, id := quarantinedEntry(t, dir)
	alice, bob, attCfg := decisionKeys(t, dir)
	aliceAddr, bobAddr := keystoreAddress(t, alice), keystoreAddress(t, bob)
	castSign := func(file, keystore string) string {
		t.Helper()
		out, err := exec.Command(cast, "wallet", "sign", "--data", "--from-file", file, "--keystore", keystore,
			"--password-file", filepath.Join(dir, "pw")).CombinedOutput()
		if err != nil {
			t.Fatalf("cast wallet sign: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	td := filepath.Join(dir, "decision.json")
	q := func(args ...string) []string {
		return append([]string{"--data-dir", data, "quarantine"}, append(args, "-c", attCfg)...)
	}
	out := mustRun(t, q("approve", id, "--typed-data", td, "--steward", aliceAddr, "--note", "checked against the exchange")...)
	if !strings.Contains(out, "wrote "+td) {
		t.Fatalf("approve --typed-data printed:\n%s", out)
	}
	raw, err := os.ReadFile(td)
	if err != nil || !strings.Contains(string(raw), `"primaryType": "QuarantineDecision"`) || !strings.Contains(string(raw), id) {
		t.Fatalf("the typed data file: %v\n%s", err, raw)
	}
	aliceSig, bobSig := castSign(td, alice), castSign(td, bob)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"outsider as steward", q("approve", id, "--typed-data", filepath.Join(dir, "x.json"), "--steward", bobAddr), exitAttest, bobAddr + " is not a steward"},
		{"signed by another", q("approve", id, "--typed-data", td, "--signature", bobSig), exitAttest, "names steward " + aliceAddr + " but was signed by " + bobAddr},
		{"another decision", q("reject", id, "--typed-data", td, "--signature", aliceSig), exitAttest, `is the decision "approved" on entry ` + id},
		{"malformed signature", q("approve", id, "--typed-data", td, "--signature", "0x1234"), exitAttest, "want 0x and 65 bytes"},
		{"key and typed data", q("approve", id, "--typed-data", td, "--key", alice), exitUsage, "give --key KEYSTORE, or --typed-data"},
		{"no mode", q("approve", id), exitUsage, "give --key KEYSTORE, or --typed-data"},
		{"not typed data", q("approve", id, "--typed-data", attCfg, "--signature", aliceSig), exitAttest, "decision typed data"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, nil, c.args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, want %d with %q:\n%s", code, c.code, c.want, errOut)
			}
		})
	}
	if out := mustRun(t, "--data-dir", data, "quarantine", "show", id); !strings.Contains(out, "pending") {
		t.Fatalf("a refused decision was recorded:\n%s", out)
	}
	out = mustRun(t, q("approve", id, "--typed-data", td, "--signature", aliceSig)...)
	if !strings.Contains(out, id+" approved") || !strings.Contains(out, aliceAddr) {
		t.Fatalf("approve --signature printed:\n%s", out)
	}
	if out = mustRun(t, "--data-dir", data, "quarantine", "show", id); !strings.Contains(out, "signed:   valid") || !strings.Contains(out, "checked against the exchange") {
		t.Fatalf("quarantine show:\n%s", out)
	}
	if _, errOut, code := runCLI(t, nil, q("approve", id, "--typed-data", td, "--signature", aliceSig)...); code == 0 || !strings.Contains(errOut, "already approved") {
		t.Fatalf("a second import: exit %d:\n%s", code, errOut)
	}
}

// keystoreAddress reads a keystore file's address.
func keystoreAddress(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(raw, &k); err != nil || !common.IsHexAddress(k.Address) {
		t.Fatalf("%s: no address (%v)", path, err)
	}
	return common.HexToAddress(k.Address).Hex()
}
