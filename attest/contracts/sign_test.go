package contracts_test

import (
	"bytes"
	"crypto/ecdsa"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
)

// The EIP-712 types of the registry, as docs/SPEC.md states them.
var (
	domainType = []apitypes.Type{
		{Name: "name", Type: "string"},
		{Name: "version", Type: "string"},
		{Name: "chainId", Type: "uint256"},
		{Name: "verifyingContract", Type: "address"},
	}
	statementType = []apitypes.Type{
		{Name: "dataset", Type: "string"},
		{Name: "version", Type: "uint64"},
		{Name: "merkleRoot", Type: "bytes32"},
		{Name: "rowCount", Type: "uint64"},
		{Name: "manifestHash", Type: "bytes32"},
		{Name: "reportHash", Type: "bytes32"},
		{Name: "parentRoot", Type: "bytes32"},
	}
	revocationType = []apitypes.Type{
		{Name: "dataset", Type: "string"},
		{Name: "version", Type: "uint64"},
		{Name: "reason", Type: "string"},
		{Name: "nonce", Type: "uint256"},
	}
	stewardUpdateType = []apitypes.Type{
		{Name: "stewards", Type: "address[]"},
		{Name: "threshold", Type: "uint256"},
		{Name: "nonce", Type: "uint256"},
	}
)

// domain is the EIP-712 domain of one registry on one chain.
type domain struct {
	chainID  *big.Int
	registry common.Address
}

// typedData builds the EIP-712 document of one message in the registry's domain.
func (d domain) typedData(primary string, fields []apitypes.Type, msg apitypes.TypedDataMessage) apitypes.TypedData {
	return apitypes.TypedData{
		Types:       apitypes.Types{"EIP712Domain": domainType, primary: fields},
		PrimaryType: primary,
		Domain: apitypes.TypedDataDomain{
			Name:              "groundtruth DatasetRegistry",
			Version:           "1",
			ChainId:           (*math.HexOrDecimal256)(d.chainID),
			VerifyingContract: d.registry.Hex(),
		},
		Message: msg,
	}
}

// statementMessage is the EIP-712 message of a statement.
func statementMessage(s datasetregistry.DatasetRegistryStatement) apitypes.TypedDataMessage {
	return apitypes.TypedDataMessage{
		"dataset":      s.Dataset,
		"version":      new(big.Int).SetUint64(s.Version),
		"merkleRoot":   s.MerkleRoot,
		"rowCount":     new(big.Int).SetUint64(s.RowCount),
		"manifestHash": s.ManifestHash,
		"reportHash":   s.ReportHash,
		"parentRoot":   s.ParentRoot,
	}
}

// statementDigest computes the digest stewards sign for a statement.
func (d domain) statementDigest(t testing.TB, s datasetregistry.DatasetRegistryStatement) []byte {
	t.Helper()
	return digest(t, d.typedData("Statement", statementType, statementMessage(s)))
}

// statementStructHash computes the EIP-712 struct hash of a statement, which does not
// depend on the domain.
func statementStructHash(t testing.TB, s datasetregistry.DatasetRegistryStatement) []byte {
	t.Helper()
	td := domain{chainID: big.NewInt(0)}.typedData("Statement", statementType, statementMessage(s))
	h, err := td.HashStruct("Statement", td.Message)
	if err != nil {
		t.Fatalf("EIP-712 struct hash: %v", err)
	}
	return h
}

// revocationDigest computes the digest stewards sign to revoke a version.
func (d domain) revocationDigest(t testing.TB, dataset string, version uint64, reason string, nonce uint64) []byte {
	t.Helper()
	return digest(t, d.typedData("Revocation", revocationType, apitypes.TypedDataMessage{
		"dataset": dataset,
		"version": new(big.Int).SetUint64(version),
		"reason":  reason,
		"nonce":   new(big.Int).SetUint64(nonce),
	}))
}

// stewardUpdateDigest computes the digest stewards sign to replace the steward set.
func (d domain) stewardUpdateDigest(t testing.TB, stewards []common.Address, threshold, nonce uint64) []byte {
	t.Helper()
	addrs := make([]interface{}, len(stewards))
	for i, a := range stewards {
		addrs[i] = a.Hex()
	}
	return digest(t, d.typedData("StewardUpdate", stewardUpdateType, apitypes.TypedDataMessage{
		"stewards":  addrs,
		"threshold": new(big.Int).SetUint64(threshold),
		"nonce":     new(big.Int).SetUint64(nonce),
	}))
}

// digest hashes a typed-data document per EIP-712.
func digest(t testing.TB, td apitypes.TypedData) []byte {
	t.Helper()
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatalf("EIP-712 hash: %v", err)
	}
	return h
}

// sigList is the registry's signature argument.
type sigList = []datasetregistry.StewardSetStewardSignature

// sign signs a digest with each key, returning 65-byte (r, s, v) signatures with v in
// {27, 28} as ecrecover expects, each naming its key's address, sorted by address as
// the registry requires.
func sign(t testing.TB, digest []byte, keys ...*ecdsa.PrivateKey) sigList {
	t.Helper()
	sigs := make(sigList, len(keys))
	for i, k := range keys {
		sig, err := crypto.Sign(digest, k)
		if err != nil {
			t.Fatal(err)
		}
		sig[64] += 27
		sigs[i] = datasetregistry.StewardSetStewardSignature{Signer: crypto.PubkeyToAddress(k.PublicKey), Signature: sig}
	}
	return sortSigs(sigs)
}

// sortSigs sorts signatures by signer address, ascending.
func sortSigs(sigs sigList) sigList {
	slices.SortStableFunc(sigs, func(a, b datasetregistry.StewardSetStewardSignature) int {
		return bytes.Compare(a.Signer[:], b.Signer[:])
	})
	return sigs
}
