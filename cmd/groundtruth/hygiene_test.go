package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// lettersOnce writes the letters configuration (plus extra) in a new
// folder, seals letters@1 with run --once and returns the folder and the
// configuration's path.
func lettersOnce(t *testing.T, extra string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, lettersConfig+extra)
	appendFile(t, filepath.Join(dir, "letters.csv"), "id,name\n1,a\n2,b\n")
	mustRun(t, "run", "--once", "-c", cfg)
	return dir, cfg
}

// TestQueryEscapesControlCharacters: a value with ESC, a newline and a tab
// is printed escaped in query's table, so it can neither recolour the
// terminal nor forge a row.
func TestQueryEscapesControlCharacters(t *testing.T) {
	dir, _ := lettersOnce(t, "")
	out := mustRun(t, "--data-dir", filepath.Join(dir, "data"), "query",
		"SELECT chr(27) || '[31mred' || chr(10) || 'forged' || chr(9) || 'row' AS v, count(*) AS n FROM \"letters@1\"")
	if strings.ContainsAny(out, "\x1b\t") || strings.Count(out, "\n") != 3 {
		t.Fatalf("raw control characters in the table:\n%q", out)
	}
	if !strings.Contains(out, `\x1b[31mred\nforged\trow`) {
		t.Fatalf("the value is not shown escaped:\n%q", out)
	}
}

// TestBundleRefusesCorruptManifest: a damaged manifest file is not packed;
// bundle fails with exit 3 naming the file and writes nothing.
func TestBundleRefusesCorruptManifest(t *testing.T) {
	dir, _ := lettersOnce(t, "")
	data := filepath.Join(dir, "data")
	manifest := onlyFile(t, filepath.Join(data, "manifests"), ".json")
	appendFile(t, manifest, " ")
	out := filepath.Join(dir, "letters.tar")
	_, errOut, code := runCLI(t, nil, "--data-dir", data, "bundle", "letters@1", "-o", out)
	if code != exitIntegrity || !strings.Contains(errOut, manifest) {
		t.Fatalf("bundle of a damaged manifest: exit %d, want %d naming %s:\n%s", code, exitIntegrity, manifest, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a bundle was written: %v", err)
	}
}

// TestAttestCommandsHonourDataDir: sign -c FILE reads the configuration's
// data_dir, from any working directory, and creates no ./groundtruth-data.
func TestAttestCommandsHonourDataDir(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey).Hex()
	dir, cfg := lettersOnce(t, `attestation:
  backend: registry
  chain_id: 31337
  registry: "0x00000000000000000000000000000000000000aa"
  stewards: ["`+addr+`"]
  threshold: 1
`)
	info, err := attest.ImportKey(filepath.Join(dir, "keys"), "alice", key, testPassword, attest.LightKDF)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	t.Chdir(elsewhere)
	env := map[string]string{attest.PasswordEnv: testPassword}
	sig := filepath.Join(dir, "alice.sig.json")
	for _, args := range [][]string{
		{"sign", "letters@1", "-c", cfg, "--key", info.Path, "-o", sig},
		{"attest", "letters@1", "-c", cfg, "--signatures", sig},
	} {
		out, errOut, _ := runCLI(t, env, args...)
		if strings.Contains(errOut, "not found") || strings.Contains(errOut, "no catalog") {
			t.Errorf("%s did not use the configuration's data_dir:\n%s%s", args[0], out, errOut)
		}
	}
	if _, err := os.Stat(sig); err != nil {
		t.Errorf("sign wrote no signature: %v", err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "groundtruth-data")); !os.IsNotExist(err) {
		t.Errorf("./groundtruth-data appeared in the working directory: %v", err)
	}
}

// TestKeysRefuseShortPasswords: keys new and keys import refuse a password
// shorter than 8 characters; a keystore made earlier with one still opens.
func TestKeysRefuseShortPasswords(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	kf := filepath.Join(dir, "key.hex")
	writeFile(t, kf, hex.EncodeToString(crypto.FromECDSA(key)))
	short := map[string]string{attest.PasswordEnv: "x1"}
	for _, args := range [][]string{
		{"keys", "new", "--keystore", keys, "--lightkdf"},
		{"keys", "import", kf, "--keystore", keys, "--lightkdf"},
	} {
		_, errOut, code := runCLI(t, short, args...)
		if code != exitKey || !strings.Contains(errOut, "at least 8 characters") {
			t.Errorf("%s with a 2-character password: exit %d\n%s", args[1], code, errOut)
		}
	}
	if entries, _ := os.ReadDir(keys); len(entries) != 0 {
		t.Errorf("a keystore was written: %v", entries)
	}
	old := filepath.Join(dir, "old.json")
	blob, err := keystore.EncryptKey(&keystore.Key{Id: uuid.New(), Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}, "x1", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, old, string(blob))
	if _, err := attest.LoadSigner(old, "x1"); err != nil {
		t.Errorf("an existing keystore with a short password does not open: %v", err)
	}
}

// TestCLIEscapesCSVAndErrors (attack I): query --format csv writes no raw
// control characters and escapes formula cells; an error echoing user
// input (a table name, a dataset reference) prints no raw ESC either.
func TestCLIEscapesCSVAndErrors(t *testing.T) {
	dir, _ := lettersOnce(t, "")
	data := filepath.Join(dir, "data")
	out := mustRun(t, "--data-dir", data, "query", "--format", "csv",
		"SELECT chr(27) || '[2Jx' AS v, '=cmd|calc' AS f, '-5' AS n FROM \"letters@1\" LIMIT 1")
	if strings.Contains(out, "\x1b") || !strings.Contains(out, `\x1b[2Jx`) || !strings.Contains(out, "'=cmd|calc") || !strings.Contains(out, ",-5") {
		t.Fatalf("csv:\n%q", out)
	}
	for _, args := range [][]string{
		{"--data-dir", data, "query", "select * from \"x\x1b[2Jy\""},
		{"--data-dir", data, "verify", "big\x1b[2J@1"},
	} {
		_, errOut, code := runCLI(t, nil, args...)
		if code == 0 || strings.Contains(errOut, "\x1b") || !strings.Contains(errOut, `\x1b[2J`) {
			t.Fatalf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}
