package attest

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
)

// PasswordEnv is the environment variable that holds a keystore password
// when no password file is given.
const PasswordEnv = "GROUNDTRUTH_KEY_PASSWORD"

// KDF holds the scrypt parameters a keystore is encrypted with.
type KDF struct{ N, P int }

var (
	// StandardKDF is go-ethereum's standard scrypt cost (N = 2^18), for real keys.
	StandardKDF = KDF{N: keystore.StandardScryptN, P: keystore.StandardScryptP}
	// LightKDF is go-ethereum's light scrypt cost (N = 2^12), for tests and throwaway keys.
	LightKDF = KDF{N: keystore.LightScryptN, P: keystore.LightScryptP}
)

// KeyInfo is the public information about a keystore file.
type KeyInfo struct {
	// Name is the file name without .json.
	Name string `json:"name"`
	// Address is the key's address, as recorded in the file.
	Address common.Address `json:"address"`
	// Path is the keystore file.
	Path string `json:"path"`
}

// NewKey creates a key, encrypts it with password into dir/<name>.json
// (name defaults to the address) and returns its public information.
func NewKey(dir, name, password string, kdf KDF) (KeyInfo, error) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return KeyInfo{}, fmt.Errorf("%w: generating a key: %v", ErrKey, err)
	}
	return ImportKey(dir, name, key, password, kdf)
}

// MinPasswordLen is the shortest password a new keystore is encrypted
// with (keys new, keys import); existing keystores open whatever their
// password's length.
const MinPasswordLen = 8

// ImportKey encrypts an existing private key into dir/<name>.json. The
// password must have at least MinPasswordLen characters.
func ImportKey(dir, name string, key *ecdsa.PrivateKey, password string, kdf KDF) (KeyInfo, error) {
	if password == "" {
		return KeyInfo{}, fmt.Errorf("%w: refusing to encrypt a key with an empty password", ErrKey)
	}
	if n := utf8.RuneCountInString(password); n < MinPasswordLen {
		return KeyInfo{}, fmt.Errorf("%w: refusing to encrypt a key with a %d-character password: use at least %d characters", ErrKey, n, MinPasswordLen)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey)
	if name == "" {
		name = strings.ToLower(addr.Hex())
	}
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return KeyInfo{}, fmt.Errorf("%w: key name %q: want a plain file name", ErrKey, name)
	}
	path := filepath.Join(dir, name+".json")
	if _, err := os.Stat(path); err == nil {
		return KeyInfo{}, fmt.Errorf("%w: %s exists; choose another name", ErrKey, path)
	}
	blob, err := keystore.EncryptKey(&keystore.Key{Id: uuid.New(), Address: addr, PrivateKey: key}, password, kdf.N, kdf.P)
	if err != nil {
		return KeyInfo{}, fmt.Errorf("%w: encrypting the key for %s: %v", ErrKey, addr.Hex(), err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return KeyInfo{}, fmt.Errorf("%w: keystore folder: %v", ErrKey, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-key-*")
	if err != nil {
		return KeyInfo{}, fmt.Errorf("%w: %v", ErrKey, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(blob); err != nil {
		tmp.Close()
		return KeyInfo{}, fmt.Errorf("%w: writing %s: %v", ErrKey, path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return KeyInfo{}, fmt.Errorf("%w: writing %s: %v", ErrKey, path, err)
	}
	if err := tmp.Close(); err != nil {
		return KeyInfo{}, fmt.Errorf("%w: writing %s: %v", ErrKey, path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil { // fails when path appeared meanwhile
		return KeyInfo{}, fmt.Errorf("%w: creating %s: %v", ErrKey, path, err)
	}
	return KeyInfo{Name: name, Address: addr, Path: path}, nil
}

// ParsePrivateKeyHex parses a hex private key (with or without 0x, trailing
// whitespace ignored) as found in a key file for import. The error never
// contains the input.
func ParsePrivateKeyHex(text string) (*ecdsa.PrivateKey, error) {
	t := strings.TrimPrefix(strings.TrimSpace(text), "0x")
	key, err := crypto.HexToECDSA(t)
	if err != nil {
		return nil, fmt.Errorf("%w: the key file does not hold a 64-digit hex secp256k1 private key", ErrKey)
	}
	return key, nil
}

// keyFileHeader is the public part of a keystore file.
type keyFileHeader struct {
	Address string          `json:"address"`
	Crypto  json.RawMessage `json:"crypto"`
	Version int             `json:"version"`
}

// readKeyHeader reads a keystore file's public part.
func readKeyHeader(path string) (keyFileHeader, []byte, error) {
	var h keyFileHeader
	blob, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return h, nil, fmt.Errorf("%w: keystore %s does not exist", ErrKey, path)
	}
	if err != nil {
		return h, nil, fmt.Errorf("%w: reading keystore %s: %v", ErrKey, path, err)
	}
	if json.Unmarshal(blob, &h) != nil || len(h.Crypto) == 0 || h.Version != 3 || !common.IsHexAddress(h.Address) {
		return h, nil, fmt.Errorf("%w: %s is not a valid encrypted keystore (version 3 JSON with address and crypto); the file is corrupted or not a keystore", ErrKey, path)
	}
	return h, blob, nil
}

// ListKeys lists the keystore files in dir without decrypting them.
// Files that are not keystores are skipped.
func ListKeys(dir string) ([]KeyInfo, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: keystore folder %s: %v", ErrKey, dir, err)
	}
	var out []KeyInfo
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		h, _, err := readKeyHeader(path)
		if err != nil {
			continue
		}
		out = append(out, KeyInfo{Name: strings.TrimSuffix(e.Name(), ".json"), Address: common.HexToAddress(h.Address), Path: path})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// LoadSigner decrypts the keystore at path with password. Errors say whether
// the file is missing, corrupted or the password is wrong, and never contain
// the password or key material.
func LoadSigner(path, password string) (signer *KeySigner, err error) {
	h, blob, err := readKeyHeader(path)
	if err != nil {
		return nil, err
	}
	if password == "" {
		return nil, fmt.Errorf("%w: no password for keystore %s: use --password-file or %s", ErrKey, path, PasswordEnv)
	}
	defer func() {
		if r := recover(); r != nil { // a damaged file must not crash the tool
			signer, err = nil, fmt.Errorf("%w: %s is a damaged keystore", ErrKey, path)
		}
	}()
	key, err := keystore.DecryptKey(blob, password)
	switch {
	case errors.Is(err, keystore.ErrDecrypt):
		return nil, fmt.Errorf("%w: wrong password for keystore %s (address %s), or its encrypted part is damaged", ErrKey, path, common.HexToAddress(h.Address).Hex())
	case err != nil:
		return nil, fmt.Errorf("%w: %s is a damaged keystore (its encrypted part cannot be read)", ErrKey, path)
	}
	s := NewKeySigner(key.PrivateKey)
	if s.Address() != common.HexToAddress(h.Address) {
		return nil, fmt.Errorf("%w: keystore %s says address %s but holds the key of another address", ErrKey, path, common.HexToAddress(h.Address).Hex())
	}
	return s, nil
}

// ReadPassword returns the password in file (its first line) or, when file
// is empty, the value of PasswordEnv from getenv.
func ReadPassword(file string, getenv func(string) string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%w: password file: %v", ErrKey, err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			return "", fmt.Errorf("%w: password file %s is empty", ErrKey, file)
		}
		return line, nil
	}
	if getenv != nil {
		if p := getenv(PasswordEnv); p != "" {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: no password: use --password-file FILE or set %s", ErrKey, PasswordEnv)
}
