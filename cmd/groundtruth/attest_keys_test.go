package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// TestKeysErrors checks keystore handling without a chain: creation and
// listing, and clear errors (exit 10) for a wrong password, a missing and a
// corrupted keystore, with no key material or password ever printed.
func TestKeysErrors(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	env := map[string]string{"GROUNDTRUTH_KEY_PASSWORD": testPassword}
	run := func(env map[string]string, args ...string) (string, int) {
		t.Helper()
		out, errOut, code := runCLI(t, env, append([]string{"--data-dir", filepath.Join(dir, "data")}, args...)...)
		if strings.Contains(out+errOut, testPassword) {
			t.Fatalf("password printed:\n%s%s", out, errOut)
		}
		return out + errOut, code
	}
	out, code := run(env, "keys", "new", "--keystore", keys, "--name", "alice", "--lightkdf")
	if code != 0 || !strings.Contains(out, "created key 0x") {
		t.Fatalf("keys new: %d %s", code, out)
	}
	key := testchainKeyHex()
	kf := filepath.Join(dir, "bob.hex")
	os.WriteFile(kf, []byte("0x"+key+"\n"), 0o600)
	if out, code = run(env, "keys", "import", kf, "--keystore", keys, "--name", "bob", "--lightkdf"); code != 0 || strings.Contains(out, key) {
		t.Fatalf("keys import: %d %s", code, out)
	}
	if out, code = run(env, "keys", "import", kf, "--keystore", keys, "--name", "bob", "--lightkdf"); code != exitKey || !strings.Contains(out, "exists") {
		t.Fatalf("importing over an existing keystore: %d %s", code, out)
	}
	if out, code = run(nil, "keys", "new", "--keystore", keys); code != exitKey || !strings.Contains(out, "no password") {
		t.Fatalf("keys new without a password: %d %s", code, out)
	}
	out, code = run(env, "keys", "list", "--keystore", keys)
	if code != 0 || !strings.Contains(out, "alice") || !strings.Contains(out, "bob") {
		t.Fatalf("keys list: %d %s", code, out)
	}
	os.WriteFile(filepath.Join(dir, "bad.hex"), []byte("not a key"), 0o600)
	if out, code = run(env, "keys", "import", filepath.Join(dir, "bad.hex"), "--keystore", keys); code != exitKey || strings.Contains(out, "not a key") {
		t.Fatalf("import of a bad key file: %d %s", code, out)
	}

	// Signing needs a version; make one.
	e := &attestEnv{dir: dir, data: filepath.Join(dir, "data"), env: env}
	e.seal(t, "votes", 0, 10)
	corrupted := filepath.Join(keys, "corrupted.json")
	blob, _ := os.ReadFile(filepath.Join(keys, "bob.json"))
	os.WriteFile(corrupted, blob[:len(blob)/2], 0o600)
	damaged := filepath.Join(keys, "damaged.json")
	os.WriteFile(damaged, []byte(strings.Replace(string(blob), `"ciphertext":"`, `"ciphertext":"00`, 1)), 0o600)
	wrongPw := filepath.Join(dir, "wrong.pass")
	os.WriteFile(wrongPw, []byte("not the password\n"), 0o600)
	sign := []string{"sign", "votes@1", "--backend", "registry", "--chain-id", "31337", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "-o", filepath.Join(dir, "s.json")}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"wrong password", []string{"--key", filepath.Join(keys, "bob.json"), "--password-file", wrongPw}, "wrong password for keystore"},
		{"missing keystore", []string{"--key", filepath.Join(keys, "carol.json")}, "does not exist"},
		{"corrupted keystore", []string{"--key", corrupted}, "is not a valid encrypted keystore"},
		{"damaged ciphertext", []string{"--key", damaged}, "keystore"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, code := run(env, append(sign, c.args...)...)
			if code != exitKey || !strings.Contains(out, c.want) || strings.Contains(out, key) {
				t.Fatalf("exit %d, want %d with %q:\n%s", code, exitKey, c.want, out)
			}
		})
	}
	if out, code = run(env, append(sign, "--key", filepath.Join(keys, "bob.json"))...); code != 0 {
		t.Fatalf("sign with the right password: %d %s", code, out)
	}
}

func testchainKeyHex() string {
	k, _ := crypto.GenerateKey()
	return hex.EncodeToString(crypto.FromECDSA(k))
}
