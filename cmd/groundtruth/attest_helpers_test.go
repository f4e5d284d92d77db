package main

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// testPassword is the keystores' password in these tests; it must never be printed.
const testPassword = "correct horse battery staple"

// attestEnv is a chain with a 2-of-3 registry and EAS, a data directory
// and steward keystores.
type attestEnv struct {
	*attesttest.Env
	dir, data, keys string
	env             map[string]string
	stewardKeys     []string // keystore files; the last is not a steward
	gas             string   // keystore of a funded account that pays
}

func newAttestEnv(t *testing.T) *attestEnv {
	t.Helper()
	e := &attestEnv{Env: attesttest.StartEnv(t, 3, 2), dir: t.TempDir()}
	e.data, e.keys = filepath.Join(e.dir, "data"), filepath.Join(e.dir, "keys")
	e.env = map[string]string{"GROUNDTRUTH_KEY_PASSWORD": testPassword}
	for i := range e.Stewards {
		e.stewardKeys = append(e.stewardKeys, e.importKey(t, "steward"+strconv.Itoa(i), hex.EncodeToString(crypto.FromECDSA(testchain.DeterministicKey(1000+i)))))
	}
	e.gas = e.importKey(t, "gas", hex.EncodeToString(crypto.FromECDSA(e.Chain.Accounts()[0].Key)))
	return e
}

// importKey imports a hex key into the test keystore folder with the CLI.
func (e *attestEnv) importKey(t *testing.T, name, keyHex string) string {
	t.Helper()
	p := filepath.Join(e.dir, name+".hex")
	if err := os.WriteFile(p, []byte(keyHex+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := e.run(t, "keys", "import", p, "--keystore", e.keys, "--name", name, "--lightkdf")
	if code != 0 || strings.Contains(out+errOut, keyHex) {
		t.Fatalf("keys import: exit %d\n%s%s", code, out, errOut)
	}
	return filepath.Join(e.keys, name+".json")
}

// run runs the CLI with the env's data directory and password.
func (e *attestEnv) run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	out, errOut, code := runCLI(t, e.env, append([]string{"--data-dir", e.data}, args...)...)
	if strings.Contains(out+errOut, testPassword) {
		t.Fatalf("the password was printed:\n%s%s", out, errOut)
	}
	return out, errOut, code
}

// must runs the CLI and fails the test unless the exit code is want.
func (e *attestEnv) must(t *testing.T, want int, args ...string) string {
	t.Helper()
	out, errOut, code := e.run(t, args...)
	if code != want {
		t.Fatalf("groundtruth %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out + errOut
}

// seal writes a version of dataset with rows votes-like rows.
func (e *attestEnv) seal(t *testing.T, dataset string, from, rows int) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, e.data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.Begin(ctx, dataset, datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := datasetstest.VotesBatch(nil, from, rows)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// registryFlags select the registry backend on the env's chain.
func (e *attestEnv) registryFlags() []string {
	return []string{"--backend", "registry", "--rpc", e.Chain.RPCURL(), "--registry", e.Registry.Hex()}
}

// easFlags select the EAS backend (kind eas or offchain) with the steward set.
func (e *attestEnv) easFlags(kind string) []string {
	var s []string
	for _, a := range e.StewardAddrs() {
		s = append(s, a.Hex())
	}
	return []string{"--backend", kind, "--rpc", e.Chain.RPCURL(), "--eas", e.EAS.EAS.Hex(), "--stewards", strings.Join(s, ","), "--threshold", "2"}
}

func (e *attestEnv) stewardFlags() []string {
	var s []string
	for _, a := range e.StewardAddrs() {
		s = append(s, a.Hex())
	}
	return []string{"--stewards", strings.Join(s, ","), "--threshold", "2"}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
