package attest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// statementVector is the test vector of docs/SPEC.md §12.
type statementVector struct {
	Note            string           `json:"note"`
	PrivateKey      string           `json:"privateKey"`
	Signer          common.Address   `json:"signer"`
	Domain          attest.Domain    `json:"domain"`
	Statement       attest.Statement `json:"statement"`
	TypeHash        common.Hash      `json:"typeHash"`
	DomainSeparator common.Hash      `json:"domainSeparator"`
	StructHash      common.Hash      `json:"structHash"`
	Digest          common.Hash      `json:"digest"`
	Signature       hexutil.Bytes    `json:"signature"`
}

func mustHash(s string) datasets.Hash {
	h, err := datasets.ParseHash(s)
	if err != nil {
		panic(err)
	}
	return h
}

// vectorKeyHex is keccak256("groundtruth statement test vector"), a key for
// test vectors only.
var vectorKeyHex = crypto.Keccak256Hash([]byte("groundtruth statement test vector")).Hex()[2:]

func makeVector(t *testing.T) statementVector {
	t.Helper()
	key, err := crypto.HexToECDSA(vectorKeyHex)
	if err != nil {
		t.Fatal(err)
	}
	s := attest.NewKeySigner(key)
	v := statementVector{
		Note:       "EIP-712 Statement signed in the DatasetRegistry domain; signature is r || s || v with v in {27, 28} (RFC 6979 nonce, low s)",
		PrivateKey: "0x" + vectorKeyHex,
		Signer:     s.Address(),
		Domain:     attest.RegistryDomain(31337, common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")),
		Statement: attest.Statement{
			Dataset:      "compound_bravo",
			Version:      2,
			MerkleRoot:   mustHash("0x3f570f443902da83adb5cf8dad402c27fde7413c97b16afddde584d8fe69146e"),
			RowCount:     8003,
			ManifestHash: datasets.Hash(crypto.Keccak256Hash([]byte("manifest"))),
			ReportHash:   datasets.Hash{},
			ParentRoot:   mustHash("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
		},
	}
	v.TypeHash = attest.StatementTypeHash
	v.DomainSeparator, err = v.Domain.Separator()
	if err != nil {
		t.Fatal(err)
	}
	v.StructHash = v.Statement.StructHash()
	v.Digest = v.Statement.Digest(v.Domain)
	v.Signature, err = s.SignHash(context.Background(), v.Digest)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestStatementVector checks the statement test vector against its golden
// file and docs/SPEC.md §12; regenerate with -update.
func TestStatementVector(t *testing.T) {
	v := makeVector(t)
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "statement-vector.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("statement vector differs from %s (run with -update after an intended change):\n%s", golden, got)
	}
	if signer, err := attest.RecoverSigner(v.Digest, v.Signature); err != nil || signer != v.Signer {
		t.Fatalf("recover: %v %v", signer, err)
	}
	if v.TypeHash != crypto.Keccak256Hash([]byte(attest.StatementType)) {
		t.Fatal("type hash")
	}
	spec, err := os.ReadFile(filepath.Join("..", "docs", "SPEC.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{attest.EASSchemaUID().Hex(), attest.EASSchema, v.PrivateKey, v.Signer.Hex(), v.TypeHash.Hex(), v.DomainSeparator.Hex(), v.StructHash.Hex(), v.Digest.Hex(), v.Signature.String()} {
		if !strings.Contains(string(spec), s) {
			t.Errorf("docs/SPEC.md §12 does not contain %s", s)
		}
	}
}

func TestRecoverSignerRejects(t *testing.T) {
	v := makeVector(t)
	high := append([]byte(nil), v.Signature...)
	// s' = n - s with the other recovery id is the malleable twin.
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(high[32:64])
	new(big.Int).Sub(n, s).FillBytes(high[32:64])
	high[64] ^= 1
	for name, sig := range map[string][]byte{
		"short":    v.Signature[:64],
		"bad v":    append(append([]byte(nil), v.Signature[:64]...), 5),
		"high s":   high,
		"zero r,s": make([]byte, 65),
	} {
		if _, err := attest.RecoverSigner(v.Digest, sig); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
