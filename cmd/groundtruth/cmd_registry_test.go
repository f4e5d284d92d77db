package main

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// castSign signs a typed-data JSON file with Foundry's cast, a third-party
// signer, with steward i's key, and returns the 0x signature.
func (e *attestEnv) castSign(t *testing.T, typedData string, i int) string {
	t.Helper()
	nm, err := testchain.NodeModules()
	if err != nil {
		testchain.MissingTool(t, err.Error())
	}
	cast := filepath.Join(nm, ".bin", "cast")
	if _, err := os.Stat(cast); err != nil {
		testchain.MissingTool(t, "cast not found in node_modules/.bin: run npm ci")
	}
	key := "0x" + hex.EncodeToString(crypto.FromECDSA(testchain.DeterministicKey(1000+i)))
	out, err := exec.Command(cast, "wallet", "sign", "--data", "--from-file", typedData, "--private-key", key).CombinedOutput()
	if err != nil {
		t.Fatalf("cast wallet sign: %v\n%s", err, out)
	}
	sig := strings.TrimSpace(string(out))
	if !regexp.MustCompile(`^0x[0-9a-f]{130}$`).MatchString(sig) {
		t.Fatalf("cast printed %q", sig)
	}
	return sig
}

// TestRegistryGovernance deploys a registry from the CLI, shows it, rotates
// a steward k-of-n with one signature from a keystore and one from cast over
// the typed data, and checks that the removed steward's signature no longer
// counts.
func TestRegistryGovernance(t *testing.T) {
	e := newAttestEnv(t)
	rpc := []string{"--rpc", e.Chain.RPCURL()}
	addrs := func(idx ...int) string {
		var s []string
		for _, i := range idx {
			s = append(s, e.Stewards[i].Address().Hex())
		}
		return strings.Join(s, ",")
	}
	out := e.must(t, 0, append([]string{"registry", "deploy", "--stewards", addrs(0, 1, 2), "--threshold", "2", "--from", e.gas}, rpc...)...)
	reg := regexp.MustCompile(`deployed at (0x[0-9a-fA-F]{40})`).FindStringSubmatch(out)
	if reg == nil || !strings.Contains(out, "code checked") || !strings.Contains(out, "attestation:\n  backend: registry\n  chain_id: 31337\n") {
		t.Fatalf("registry deploy: %s", out)
	}
	at := append([]string{"--registry", reg[1]}, rpc...)
	out = e.must(t, 0, append([]string{"registry", "show"}, at...)...)
	for _, want := range []string{"threshold  k = 2 of 3 stewards", "steward    " + e.Stewards[2].Address().Hex(), `name "groundtruth DatasetRegistry", version "1", chainId 31337`} {
		if !strings.Contains(out, want) {
			t.Fatalf("registry show lacks %q:\n%s", want, out)
		}
	}
	e.must(t, exitUsage, "registry", "deploy", "--stewards", addrs(0, 1), "--threshold", "3", "--from", e.gas, "--rpc", e.Chain.RPCURL())

	// Rotate steward 2 out and steward 3 in.
	prop := filepath.Join(e.dir, "rotation.json")
	e.must(t, 0, append([]string{"registry", "propose", "--stewards", addrs(0, 1, 3), "--threshold", "2", "-o", prop}, at...)...)
	e.must(t, 0, "registry", "sign", prop, "--key", e.stewardKeys[0])
	if out := e.must(t, exitPending, append([]string{"registry", "apply", prop, "--from", e.gas}, rpc...)...); !strings.Contains(out, "1 signature(s) of current stewards, k = 2; nothing was sent") {
		t.Fatalf("apply with one signature: %s", out)
	}
	td := filepath.Join(e.dir, "rotation.typed.json")
	e.must(t, 0, "registry", "sign", prop, "--typed-data", td)
	e.must(t, exitAttest, "registry", "sign", prop, "--signature", "0x"+strings.Repeat("ab", 65))
	if out := e.must(t, 0, "registry", "sign", prop, "--signature", e.castSign(t, td, 1)); !strings.Contains(out, "signed by "+e.Stewards[1].Address().Hex()) {
		t.Fatalf("import of cast's signature: %s", out)
	}
	e.must(t, 0, append([]string{"registry", "apply", prop, "--from", e.gas}, rpc...)...)
	if out := e.must(t, 0, append([]string{"registry", "apply", prop, "--from", e.gas}, rpc...)...); !strings.Contains(out, "already applied") {
		t.Fatalf("apply again: %s", out)
	}
	out = e.must(t, 0, append([]string{"registry", "show"}, at...)...)
	if strings.Contains(out, e.Stewards[2].Address().Hex()) || !strings.Contains(out, e.Stewards[3].Address().Hex()) || !strings.Contains(out, "nonce      1") {
		t.Fatalf("registry show after the rotation:\n%s", out)
	}

	// The removed steward's signature no longer counts; the new one's does.
	e.seal(t, "votes", 0, 50)
	flags := append([]string{"--backend", "registry"}, at...)
	old := e.signFile(t, "votes@1", 2, flags...)
	out = e.must(t, exitPending, append([]string{"attest", "votes@1", "--key", e.stewardKeys[0], "--signatures", old, "--from", e.gas}, flags...)...)
	if !strings.Contains(out, "not counted: "+e.Stewards[2].Address().Hex()) {
		t.Fatalf("attest with the removed steward: %s", out)
	}
	e.must(t, 0, append([]string{"attest", "votes@1", "--signatures", e.signFile(t, "votes@1", 3, flags...), "--from", e.gas}, flags...)...)
	if out := e.must(t, 0, append([]string{"registry", "show"}, at...)...); !strings.Contains(out, "attested   votes@1") {
		t.Fatalf("registry show lists no attested version:\n%s", out)
	}
}

// TestEASSchema shows and registers groundtruth's schema on EAS, and
// refuses a node on another chain and a chain without a known deployment.
func TestEASSchema(t *testing.T) {
	e := newAttestEnv(t)
	at := []string{"eas", "schema", "--rpc", e.Chain.RPCURL(), "--eas", e.EAS.EAS.Hex()}
	if out := e.must(t, 0, at...); !strings.Contains(out, "EAS "+e.EAS.EAS.Hex()+" version 1.4.0 on chain 31337") || !strings.Contains(out, "not registered") {
		t.Fatalf("eas schema: %s", out)
	}
	e.must(t, exitUsage, append(at, "--register")...)
	if out := e.must(t, 0, append(at, "--register", "--from", e.gas)...); !strings.Contains(out, ": registered") {
		t.Fatalf("eas schema --register: %s", out)
	}
	if out := e.must(t, 0, at...); !strings.Contains(out, ": registered") {
		t.Fatalf("eas schema after registering: %s", out)
	}
	if out := e.must(t, exitUsage, append(at, "--chain-id", "1")...); !strings.Contains(out, "is chain 31337, the configuration says chain 1") {
		t.Fatalf("another chain: %s", out)
	}
	if out := e.must(t, exitUsage, "eas", "schema", "--rpc", e.Chain.RPCURL()); !strings.Contains(out, "no canonical EAS deployment is known for chain 31337") {
		t.Fatalf("no canonical deployment: %s", out)
	}
	if out := e.must(t, exitUsage, "eas", "schema", "--rpc", e.Chain.RPCURL(), "--eas", e.Registry.Hex()); !strings.Contains(out, "is not an EAS deployment") {
		t.Fatalf("not EAS: %s", out)
	}
}
