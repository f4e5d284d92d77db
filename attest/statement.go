package attest

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The EIP-712 domain of the DatasetRegistry contract (attest/contracts/DatasetRegistry.sol).
const (
	// RegistryDomainName is the registry's EIP-712 domain name.
	RegistryDomainName = "groundtruth DatasetRegistry"
	// RegistryDomainVersion is the registry's EIP-712 domain version.
	RegistryDomainVersion = "1"
	// StatementType is the EIP-712 type string of a statement.
	StatementType = "Statement(string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash,bytes32 parentRoot)"
)

// StatementTypeHash is keccak256(StatementType), the contract's STATEMENT_TYPEHASH.
var StatementTypeHash = crypto.Keccak256Hash([]byte(StatementType))

// Statement is what stewards sign to attest a dataset version: the fields of
// the registry's Statement struct, in its order.
type Statement struct {
	// Dataset is the dataset name.
	Dataset string `json:"dataset"`
	// Version is the version number, at least 1.
	Version uint64 `json:"version"`
	// MerkleRoot is the RFC 6962 root over the version's rows.
	MerkleRoot datasets.Hash `json:"merkleRoot"`
	// RowCount is the number of rows (the tree size).
	RowCount uint64 `json:"rowCount"`
	// ManifestHash is the SHA-256 of the canonical manifest.
	ManifestHash datasets.Hash `json:"manifestHash"`
	// ReportHash is the validation report's hash, zero when there is none.
	ReportHash datasets.Hash `json:"reportHash"`
	// ParentRoot is the parent version's Merkle root, zero for a first version.
	ParentRoot datasets.Hash `json:"parentRoot"`
}

// StatementOf returns the statement of a version from its manifest and
// manifest hash.
func StatementOf(m *datasets.Manifest, manifestHash datasets.Hash) Statement {
	st := Statement{Dataset: m.Dataset, Version: m.Version, MerkleRoot: m.MerkleRoot,
		RowCount: m.RowCount, ManifestHash: manifestHash}
	if m.ReportHash != nil {
		st.ReportHash = *m.ReportHash
	}
	if m.Parent != nil {
		st.ParentRoot = m.Parent.MerkleRoot
	}
	return st
}

// Ref returns "dataset@version".
func (s Statement) Ref() string { return fmt.Sprintf("%s@%d", s.Dataset, s.Version) }

// Validate checks the fields that have rules of their own.
func (s Statement) Validate() error {
	if err := datasets.ValidateDatasetName(s.Dataset); err != nil {
		return fmt.Errorf("%w: statement: %v", ErrSignature, err)
	}
	if s.Version == 0 {
		return fmt.Errorf("%w: statement of %s: version 0 is reserved", ErrSignature, s.Dataset)
	}
	return nil
}

// Mismatches compares the statement with a statement recomputed from the
// data and returns, for every differing field, its name and a reason.
func (s Statement) Mismatches(want Statement) [][2]string {
	var out [][2]string
	add := func(field string, ok bool, got, exp any) {
		if !ok {
			out = append(out, [2]string{field, fmt.Sprintf("the statement says %v, the data gives %v", got, exp)})
		}
	}
	add("dataset", s.Dataset == want.Dataset, s.Dataset, want.Dataset)
	add("version", s.Version == want.Version, s.Version, want.Version)
	add("merkleRoot", s.MerkleRoot == want.MerkleRoot, s.MerkleRoot, want.MerkleRoot)
	add("rowCount", s.RowCount == want.RowCount, s.RowCount, want.RowCount)
	add("manifestHash", s.ManifestHash == want.ManifestHash, s.ManifestHash, want.ManifestHash)
	add("reportHash", s.ReportHash == want.ReportHash, s.ReportHash, want.ReportHash)
	add("parentRoot", s.ParentRoot == want.ParentRoot, s.ParentRoot, want.ParentRoot)
	return out
}

// Domain is an EIP-712 domain with the four fields groundtruth and EAS use.
type Domain struct {
	// Name is the domain name.
	Name string `json:"name"`
	// Version is the domain version.
	Version string `json:"version"`
	// ChainID is the chain the signature is valid on.
	ChainID uint64 `json:"chainId"`
	// VerifyingContract is the contract that checks the signature.
	VerifyingContract common.Address `json:"verifyingContract"`
}

// RegistryDomain returns the DatasetRegistry's domain on a chain.
func RegistryDomain(chainID uint64, registry common.Address) Domain {
	return Domain{Name: RegistryDomainName, Version: RegistryDomainVersion, ChainID: chainID, VerifyingContract: registry}
}

// typed returns the apitypes form of the domain.
func (d Domain) typed() apitypes.TypedDataDomain {
	return apitypes.TypedDataDomain{Name: d.Name, Version: d.Version,
		ChainId: (*math.HexOrDecimal256)(new(big.Int).SetUint64(d.ChainID)), VerifyingContract: d.VerifyingContract.Hex()}
}

// DomainTypes are the EIP712Domain fields of Domain.
var DomainTypes = []apitypes.Type{
	{Name: "name", Type: "string"},
	{Name: "version", Type: "string"},
	{Name: "chainId", Type: "uint256"},
	{Name: "verifyingContract", Type: "address"},
}

// Separator returns the domain separator.
func (d Domain) Separator() (common.Hash, error) {
	td := apitypes.TypedData{Types: apitypes.Types{"EIP712Domain": DomainTypes}, Domain: d.typed()}
	h, err := td.HashStruct("EIP712Domain", td.Domain.Map())
	if err != nil {
		return common.Hash{}, err
	}
	return common.BytesToHash(h), nil
}

// TypedData returns the statement as EIP-712 typed data in domain d.
func (s Statement) TypedData(d Domain) apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": DomainTypes,
			"Statement": {
				{Name: "dataset", Type: "string"},
				{Name: "version", Type: "uint64"},
				{Name: "merkleRoot", Type: "bytes32"},
				{Name: "rowCount", Type: "uint64"},
				{Name: "manifestHash", Type: "bytes32"},
				{Name: "reportHash", Type: "bytes32"},
				{Name: "parentRoot", Type: "bytes32"},
			},
		},
		PrimaryType: "Statement",
		Domain:      d.typed(),
		Message: apitypes.TypedDataMessage{
			"dataset":      s.Dataset,
			"version":      new(big.Int).SetUint64(s.Version),
			"merkleRoot":   s.MerkleRoot[:],
			"rowCount":     new(big.Int).SetUint64(s.RowCount),
			"manifestHash": s.ManifestHash[:],
			"reportHash":   s.ReportHash[:],
			"parentRoot":   s.ParentRoot[:],
		},
	}
}

// StructHash returns the EIP-712 struct hash of the statement, which the
// registry stores as Record.statementHash.
func (s Statement) StructHash() common.Hash {
	td := s.TypedData(Domain{})
	h, err := td.HashStruct("Statement", td.Message)
	if err != nil {
		panic(fmt.Sprintf("attest: hashing a statement: %v", err)) // fixed types and well-typed values
	}
	return common.BytesToHash(h)
}

// Digest returns the EIP-712 digest keccak256(0x1901 ‖ domainSeparator ‖
// structHash) that stewards sign in domain d.
func (s Statement) Digest(d Domain) common.Hash {
	sep, err := d.Separator()
	if err != nil {
		panic(fmt.Sprintf("attest: hashing a domain: %v", err)) // fixed types and well-typed values
	}
	return TypedDigest(sep, s.StructHash())
}

// TypedDigest returns keccak256(0x1901 ‖ separator ‖ structHash).
func TypedDigest(separator, structHash common.Hash) common.Hash {
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, separator[:], structHash[:])
}
