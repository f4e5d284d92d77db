package offchain

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
)

// DomainName is the EIP-712 domain name of EAS off-chain attestations.
const DomainName = "EAS Attestation"

// Version is the off-chain attestation format version groundtruth writes.
const Version = 2

// Type is one field of an EIP-712 type, as the SDK writes it.
type Type struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// AttestTypes are the fields of the version 2 Attest type, in order.
var AttestTypes = []Type{
	{"version", "uint16"}, {"schema", "bytes32"}, {"recipient", "address"}, {"time", "uint64"},
	{"expirationTime", "uint64"}, {"revocable", "bool"}, {"refUID", "bytes32"}, {"data", "bytes"}, {"salt", "bytes32"},
}

// Uint is an unsigned integer that decodes from a JSON number or a decimal
// string (the SDK's bigints) and encodes as a number.
type Uint uint64

// UnmarshalJSON implements json.Unmarshaler.
func (u *Uint) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want an unsigned integer, got %s", b)
	}
	*u = Uint(v)
	return nil
}

// Domain is the EIP-712 domain in the SDK's JSON form.
type Domain struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	ChainID           Uint   `json:"chainId"`
	VerifyingContract string `json:"verifyingContract"`
}

// Signature is an ECDSA signature in the SDK's JSON form.
type Signature struct {
	V uint8  `json:"v"`
	R string `json:"r"`
	S string `json:"s"`
}

// Message is the signed Attest message. Hex strings are kept as written:
// the UID hashes the schema's text.
type Message struct {
	Version        uint16 `json:"version"`
	Schema         string `json:"schema"`
	Recipient      string `json:"recipient"`
	Time           Uint   `json:"time"`
	ExpirationTime Uint   `json:"expirationTime"`
	Revocable      bool   `json:"revocable"`
	RefUID         string `json:"refUID"`
	Data           string `json:"data"`
	Salt           string `json:"salt"`
}

// Attestation is a signed off-chain attestation (the SDK's
// SignedOffchainAttestation).
type Attestation struct {
	Domain      Domain            `json:"domain"`
	PrimaryType string            `json:"primaryType"`
	Types       map[string][]Type `json:"types"`
	Signature   Signature         `json:"signature"`
	UID         string            `json:"uid"`
	Message     Message           `json:"message"`
	Version     int               `json:"version"`
}

// Package is an attestation with its signer, the form the SDK's
// createOffchainURL and EAS explorers exchange.
type Package struct {
	Sig    Attestation `json:"sig"`
	Signer string      `json:"signer"`
}

// ParsePackage decodes a package.
func ParsePackage(b []byte) (*Package, error) {
	var p Package
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: not an EAS off-chain attestation package: %v", attest.ErrSignature, err)
	}
	return &p, nil
}

// UID computes an attestation's UID as the SDK's getOffchainUID does for
// version 2: solidityPackedKeccak256(uint16 version, bytes utf8(schema text),
// address recipient, address 0, uint64 time, uint64 expirationTime, bool
// revocable, bytes32 refUID, bytes data, bytes32 salt, uint32 0). Note that
// the schema enters as the UTF-8 bytes of its 0x-hex text, not as 32 bytes.
func UID(m Message) (common.Hash, error) {
	recipient, err := addr(m.Recipient)
	if err != nil {
		return common.Hash{}, err
	}
	refUID, err := word(m.RefUID)
	if err != nil {
		return common.Hash{}, err
	}
	salt, err := word(m.Salt)
	if err != nil {
		return common.Hash{}, err
	}
	data, err := hexutil.Decode(m.Data)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: data: %v", attest.ErrSignature, err)
	}
	var buf []byte
	buf = append(buf, byte(m.Version>>8), byte(m.Version))
	buf = append(buf, m.Schema...)
	buf = append(buf, recipient[:]...)
	buf = append(buf, make([]byte, 20)...)
	buf = append(buf, be64(uint64(m.Time))...)
	buf = append(buf, be64(uint64(m.ExpirationTime))...)
	if m.Revocable {
		buf = append(buf, 1)
	} else {
		buf = append(buf, 0)
	}
	buf = append(buf, refUID[:]...)
	buf = append(buf, data...)
	buf = append(buf, salt[:]...)
	buf = append(buf, 0, 0, 0, 0)
	return crypto.Keccak256Hash(buf), nil
}

// Digest returns the EIP-712 digest of the attestation's message in its domain.
func (a *Attestation) Digest() (common.Hash, error) {
	contract, err := addr(a.Domain.VerifyingContract)
	if err != nil {
		return common.Hash{}, err
	}
	m := a.Message
	schema, err := word(m.Schema)
	if err != nil {
		return common.Hash{}, err
	}
	refUID, err := word(m.RefUID)
	if err != nil {
		return common.Hash{}, err
	}
	salt, err := word(m.Salt)
	if err != nil {
		return common.Hash{}, err
	}
	recipient, err := addr(m.Recipient)
	if err != nil {
		return common.Hash{}, err
	}
	data, err := hexutil.Decode(m.Data)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: data: %v", attest.ErrSignature, err)
	}
	fields := make([]apitypes.Type, len(AttestTypes))
	for i, t := range AttestTypes {
		fields[i] = apitypes.Type{Name: t.Name, Type: t.Type}
	}
	d := attest.Domain{Name: a.Domain.Name, Version: a.Domain.Version, ChainID: uint64(a.Domain.ChainID), VerifyingContract: contract}
	return eas.TypedDigest(d, "Attest", fields, apitypes.TypedDataMessage{
		"version":        big.NewInt(int64(m.Version)),
		"schema":         schema[:],
		"recipient":      recipient.Hex(),
		"time":           new(big.Int).SetUint64(uint64(m.Time)),
		"expirationTime": new(big.Int).SetUint64(uint64(m.ExpirationTime)),
		"revocable":      m.Revocable,
		"refUID":         refUID[:],
		"data":           data,
		"salt":           salt[:],
	})
}

func be64(v uint64) []byte {
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	return b
}

func word(s string) (common.Hash, error) {
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != 32 {
		return common.Hash{}, fmt.Errorf("%w: %q is not a 32-byte hex value", attest.ErrSignature, s)
	}
	return common.BytesToHash(b), nil
}

func addr(s string) (common.Address, error) {
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, fmt.Errorf("%w: %q is not an address", attest.ErrSignature, s)
	}
	return common.HexToAddress(s), nil
}
