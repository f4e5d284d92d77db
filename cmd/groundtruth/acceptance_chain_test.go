package main

import (
	"context"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// envCLIChild holds the arguments of TestCLIChild, separated by \x1f.
const envCLIChild = "GT_CLI_CHILD_ARGS"

// TestCLIChild is the groundtruth binary of the acceptance test: run as a
// child process with $GT_CLI_CHILD_ARGS set, it does exactly what main does
// (the same root command, error printing and exit code) and exits.
func TestCLIChild(t *testing.T) {
	args := os.Getenv(envCLIChild)
	if args == "" {
		t.Skip("the CLI child process of TestAcceptanceChain")
	}
	os.Args = append([]string{"groundtruth"}, strings.Split(args, "\x1f")...)
	main()
}

// cliProc runs the groundtruth CLI as a child process: $GROUNDTRUTH_BIN when
// set (a binary made by make build), else this test binary as TestCLIChild.
type cliProc struct {
	dir string
	env []string
}

// run runs groundtruth with args in p.dir and returns its combined output
// and exit code.
func (p cliProc) run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var cmd *exec.Cmd
	if bin := os.Getenv("GROUNDTRUTH_BIN"); bin != "" {
		cmd = exec.CommandContext(ctx, bin, args...)
		cmd.Env = append(os.Environ(), p.env...)
	} else {
		cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCLIChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), append(p.env, envCLIChild+"="+strings.Join(args, "\x1f"))...)
	}
	cmd.Dir = p.dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("groundtruth %s: %v\n%s", strings.Join(args, " "), err, out)
	return "", -1
}

// must runs groundtruth and fails the test unless it exits with want and
// its output matches every pattern in match.
func (p cliProc) must(t *testing.T, want int, match []string, args ...string) string {
	t.Helper()
	out, code := p.run(t, args...)
	if code != want {
		t.Fatalf("groundtruth %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
	}
	for _, m := range match {
		if !regexp.MustCompile(m).MatchString(out) {
			t.Fatalf("groundtruth %s: the output does not match %q:\n%s", strings.Join(args, " "), m, out)
		}
	}
	return out
}

// TestAcceptanceChain is #14's acceptance flow, every step through the CLI
// in a child process: on anvil, registry deploy with stewards Alice, Bob (keys) and
// a 2-of-3 Safe 1.4.1 (owners Carol, Erin, Frank) and k = 2; votes@1 signed
// by Bob with Foundry's cast over the typed data `sign --typed-data` wrote
// and by the Safe (two owners sign its SafeMessage with cast); attest (one
// Attested event naming both); verify; a rotation replacing Bob by Dave,
// signed by Alice and the Safe, applied; Bob's signature of votes@2 refused
// by the registry (a stale steward list sends it: NotSteward), by attest and
// sign with the chain's set, and verify fails on the unattested version;
// votes@2 attested by Alice and Dave; revoke with one approval refused
// before sending (exit 9, no transaction), with two sent; verify exits 8.
func TestAcceptanceChain(t *testing.T) {
	e := newAttestEnv(t)
	ctx := context.Background()
	nm, cast := findCast(t)
	p := cliProc{dir: e.dir, env: []string{"GROUNDTRUTH_KEY_PASSWORD=" + testPassword}}
	keys, addr := map[string]string{}, map[string]string{}
	for i, name := range []string{"alice", "bob", "carol", "dave", "erin", "frank"} {
		k := testchain.DeterministicKey(3000 + i)
		writeFile(t, filepath.Join(e.dir, name+".hex"), hex.EncodeToString(crypto.FromECDSA(k))+"\n")
		writeFile(t, filepath.Join(e.dir, name+".pass"), testPassword+"\n")
		p.must(t, 0, nil, "keys", "import", name+".hex", "--keystore", "keys", "--name", name, "--lightkdf")
		keys[name], addr[name] = filepath.Join("keys", name+".json"), crypto.PubkeyToAddress(k.PublicKey).Hex()
	}
	castSign := func(file, who string) string {
		t.Helper()
		out, err := exec.Command(cast, "wallet", "sign", "--data", "--from-file", filepath.Join(e.dir, file),
			"--keystore", filepath.Join(e.dir, keys[who]), "--password-file", filepath.Join(e.dir, who+".pass")).CombinedOutput()
		if err != nil {
			t.Fatalf("cast wallet sign %s as %s: %v\n%s", file, who, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	sd, err := testchain.DeploySafeFrom(ctx, e.Chain, nm)
	if err != nil {
		t.Fatal(err)
	}
	safeAddr, err := sd.NewSafeOf(ctx, []common.Address{common.HexToAddress(addr["carol"]), common.HexToAddress(addr["erin"]),
		common.HexToAddress(addr["frank"])}, 2, 14)
	if err != nil {
		t.Fatal(err)
	}
	safe := safeAddr.Hex()
	rpc, cid, gas := e.Chain.RPCURL(), strconv.FormatUint(e.ChainID, 10), e.gas
	data := []string{"--data-dir", e.data}

	out := p.must(t, 0, []string{`deployed at 0x`}, "registry", "deploy", "--rpc", rpc, "--stewards", addr["alice"]+","+addr["bob"]+","+safe,
		"--threshold", "2", "--from", gas)
	reg := regexp.MustCompile(`deployed at (0x[0-9a-fA-F]{40})`).FindStringSubmatch(out)[1]
	p.must(t, 0, []string{"(?i)" + safe}, "registry", "show", "--rpc", rpc, "--registry", reg)
	onChain := []string{"--backend", "registry", "--rpc", rpc, "--registry", reg}
	offline := []string{"--backend", "registry", "--chain-id", cid, "--registry", reg}
	cli := func(want int, match []string, args ...string) string {
		t.Helper()
		return p.must(t, want, match, append(data, args...)...)
	}

	// votes@1: Bob signs with cast, the Safe with two owners' cast signatures.
	e.seal(t, "votes", 0, 100)
	cli(0, nil, append([]string{"sign", "votes@1", "--typed-data", "bob-1.typed.json"}, offline...)...)
	cli(0, nil, append([]string{"sign", "votes@1", "--signature", castSign("bob-1.typed.json", "bob"), "-o", "bob-1.json"}, onChain...)...)
	cli(0, nil, append([]string{"sign", "votes@1", "--steward", safe, "--typed-data", "safe-1.typed.json"}, onChain...)...)
	safeSig := castSign("safe-1.typed.json", "carol") + "," + castSign("safe-1.typed.json", "frank")
	cli(0, nil, append([]string{"sign", "votes@1", "--steward", safe, "--signature", safeSig, "-o", "safe-1.json"}, onChain...)...)
	cli(0, []string{`votes@1 attested on registry \(2 of k = 2\)`},
		append([]string{"attest", "votes@1", "--signatures", "bob-1.json,safe-1.json", "--from", gas}, onChain...)...)
	e.checkSigners(ctx, t, common.HexToAddress(reg), 1, addr["bob"], safe)
	cli(0, nil, append([]string{"verify", "votes@1"}, onChain[2:]...)...)

	// Rotation: Dave replaces Bob, approved by Alice (keystore) and the Safe.
	cli(0, nil, "registry", "propose", "--rpc", rpc, "--registry", reg, "--stewards", addr["alice"]+","+addr["dave"]+","+safe,
		"--threshold", "2", "-o", "rotation.json")
	cli(0, nil, "registry", "sign", "rotation.json", "--key", keys["alice"])
	cli(0, nil, "registry", "sign", "rotation.json", "--steward", safe, "--typed-data", "rotation.safe.json")
	rotSig := castSign("rotation.safe.json", "carol") + "," + castSign("rotation.safe.json", "erin")
	cli(0, nil, "registry", "sign", "rotation.json", "--steward", safe, "--signature", rotSig, "--rpc", rpc)
	cli(0, nil, "registry", "apply", "rotation.json", "--rpc", rpc, "--from", gas)
	out = cli(0, nil, "registry", "show", "--rpc", rpc, "--registry", reg)
	if strings.Contains(strings.ToLower(out), strings.ToLower(addr["bob"])) || !strings.Contains(strings.ToLower(out), strings.ToLower(addr["dave"])) {
		t.Fatalf("registry show after the rotation still lists Bob or lacks Dave:\n%s", out)
	}

	// votes@2: Bob's signature is refused everywhere.
	e.seal(t, "votes", 100, 50)
	cli(0, nil, append([]string{"sign", "votes@2", "--key", keys["bob"], "-o", "bob-2.json"}, offline...)...)
	cli(0, nil, append([]string{"sign", "votes@2", "--key", keys["alice"], "-o", "alice-2.json"}, offline...)...)
	bobRe := "(?i)" + addr["bob"]
	cli(0, nil, append([]string{"sign", "votes@2", "--typed-data", "bob-2.typed.json"}, offline...)...)
	cli(exitAttest, []string{bobRe, `not a steward|NotSteward`},
		append([]string{"sign", "votes@2", "--signature", castSign("bob-2.typed.json", "bob")}, onChain...)...)
	cli(exitPending, []string{`not counted: ` + bobRe[4:], `1 of the 2 signatures`},
		append([]string{"attest", "votes@2", "--signatures", "alice-2.json,bob-2.json", "--from", gas}, onChain...)...)
	stale := []string{"--stewards", addr["alice"] + "," + addr["bob"] + "," + safe, "--threshold", "2"}
	cli(exitFailure, []string{`NotSteward`, bobRe},
		append(append([]string{"attest", "votes@2", "--signatures", "alice-2.json,bob-2.json", "--from", gas}, onChain...), stale...)...)
	cli(exitAttest, []string{`signatures\[\d\]\.steward +` + bobRe[4:] + `: not an authorised steward`, `has no attestation of votes@2`},
		append([]string{"verify", "votes@2"}, onChain[2:]...)...)
	cli(0, nil, append([]string{"sign", "votes@2", "--key", keys["dave"], "-o", "dave-2.json"}, offline...)...)
	cli(0, []string{`votes@2 attested on registry \(2 of k = 2\)`},
		append([]string{"attest", "votes@2", "--signatures", "alice-2.json,dave-2.json", "--from", gas}, onChain...)...)
	e.checkSigners(ctx, t, common.HexToAddress(reg), 2, addr["alice"], addr["dave"])
	cli(0, nil, append([]string{"verify", "votes@2"}, onChain[2:]...)...)

	// Revoke: one approval is refused before anything is sent.
	payer := e.Chain.Accounts()[0].Address
	nonce, err := e.Chain.Client().NonceAt(ctx, payer, nil)
	if err != nil {
		t.Fatal(err)
	}
	cli(exitPending, []string{`needs k = 2 steward approvals of the revocation, 1 given; nothing was sent`}, append([]string{"revoke", "votes@2", "--reason", "source poisoned", "--key", keys["alice"], "--from", gas}, onChain...)...)
	if n, err := e.Chain.Client().NonceAt(ctx, payer, nil); err != nil || n != nonce {
		t.Fatalf("revoke with one approval sent a transaction: nonce %d → %d (%v)", nonce, n, err)
	}
	cli(0, nil, append([]string{"revoke", "votes@2", "--reason", "source poisoned", "--key", keys["alice"], "--key", keys["dave"], "--from", gas}, onChain...)...)
	cli(exitAttest, []string{`(?i)revoked`}, append([]string{"verify", "votes@2"}, onChain[2:]...)...)
}

// checkSigners checks that the registry's one Attested event of votes@v
// names exactly the given stewards.
func (e *attestEnv) checkSigners(ctx context.Context, t *testing.T, reg common.Address, v uint64, want ...string) {
	t.Helper()
	abi := datasetregistry.NewDatasetRegistry()
	logs, err := e.Chain.Client().FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{reg},
		Topics: [][]common.Hash{{abi.GetABI().Events["Attested"].ID}, {crypto.Keccak256Hash([]byte("votes"))}, {common.BigToHash(new(big.Int).SetUint64(v))}}})
	if err != nil || len(logs) != 1 {
		t.Fatalf("votes@%d: %d Attested events (%v), want 1", v, len(logs), err)
	}
	ev, err := abi.UnpackAttestedEvent(&logs[0])
	if err != nil {
		t.Fatal(err)
	}
	var got, exp []string
	for _, s := range ev.Signers {
		got = append(got, strings.ToLower(s.Hex()))
	}
	for _, s := range want {
		exp = append(exp, strings.ToLower(s))
	}
	slices.Sort(got)
	slices.Sort(exp)
	if !slices.Equal(got, exp) {
		t.Fatalf("votes@%d's Attested event names signers %v, want %v", v, got, exp)
	}
}

// findCast returns node_modules and Foundry's cast in it; a missing one is
// testchain.MissingTool (a failure under CI=true).
func findCast(t *testing.T) (nm, cast string) {
	t.Helper()
	nm, err := testchain.NodeModules()
	if err != nil {
		testchain.MissingTool(t, err.Error())
		return "", ""
	}
	cast = filepath.Join(nm, "@foundry-rs", "cast-linux-amd64", "bin", "cast")
	if _, err := os.Stat(cast); err != nil {
		testchain.MissingTool(t, "cast not found: "+err.Error()+"; "+testchain.InstallHint)
	}
	return nm, cast
}
