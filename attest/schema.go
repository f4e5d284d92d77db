package attest

import (
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// EASSchema is the EAS schema groundtruth attests under, on-chain and
// off-chain. The parent root is not part of it: lineage is the refUID.
const EASSchema = "string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash"

// EASSchemaUID returns the schema's UID as SchemaRegistry computes it:
// keccak256(abi.encodePacked(schema, resolver, revocable)), with no resolver
// and revocable attestations.
func EASSchemaUID() common.Hash {
	return crypto.Keccak256Hash([]byte(EASSchema), common.Address{}.Bytes(), []byte{1})
}

var schemaArgs = func() abi.Arguments {
	mk := func(t string) abi.Type {
		ty, err := abi.NewType(t, "", nil)
		if err != nil {
			panic(err)
		}
		return ty
	}
	return abi.Arguments{
		{Name: "dataset", Type: mk("string")},
		{Name: "version", Type: mk("uint64")},
		{Name: "merkleRoot", Type: mk("bytes32")},
		{Name: "rowCount", Type: mk("uint64")},
		{Name: "manifestHash", Type: mk("bytes32")},
		{Name: "reportHash", Type: mk("bytes32")},
	}
}()

// EncodeSchemaData returns the attestation data of a statement under
// EASSchema: abi.encode of the six fields, as the EAS SDK's SchemaEncoder does.
func EncodeSchemaData(s Statement) []byte {
	b, err := schemaArgs.Pack(s.Dataset, s.Version, [32]byte(s.MerkleRoot), s.RowCount, [32]byte(s.ManifestHash), [32]byte(s.ReportHash))
	if err != nil {
		panic(fmt.Sprintf("attest: encoding schema data: %v", err)) // well-typed values
	}
	return b
}

// DecodeSchemaData decodes attestation data under EASSchema into a
// statement without parent root.
func DecodeSchemaData(data []byte) (Statement, error) {
	vals, err := schemaArgs.Unpack(data)
	if err != nil {
		return Statement{}, fmt.Errorf("%w: attestation data is not %s: %v", ErrInvalid, EASSchema, err)
	}
	st := Statement{
		Dataset:      vals[0].(string),
		Version:      vals[1].(uint64),
		MerkleRoot:   datasets.Hash(vals[2].([32]byte)),
		RowCount:     vals[3].(uint64),
		ManifestHash: datasets.Hash(vals[4].([32]byte)),
		ReportHash:   datasets.Hash(vals[5].([32]byte)),
	}
	if re := EncodeSchemaData(st); string(re) != string(data) {
		return Statement{}, fmt.Errorf("%w: attestation data is not in canonical ABI form", ErrInvalid)
	}
	return st, nil
}
