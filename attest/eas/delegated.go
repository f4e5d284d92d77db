package eas

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// AttestFields is EAS's delegated attestation type
// Attest(address attester,bytes32 schema,address recipient,uint64 expirationTime,bool revocable,bytes32 refUID,bytes data,uint256 value,uint256 nonce,uint64 deadline).
var AttestFields = []apitypes.Type{
	{Name: "attester", Type: "address"},
	{Name: "schema", Type: "bytes32"},
	{Name: "recipient", Type: "address"},
	{Name: "expirationTime", Type: "uint64"},
	{Name: "revocable", Type: "bool"},
	{Name: "refUID", Type: "bytes32"},
	{Name: "data", Type: "bytes"},
	{Name: "value", Type: "uint256"},
	{Name: "nonce", Type: "uint256"},
	{Name: "deadline", Type: "uint64"},
}

// RevokeFields is EAS's delegated revocation type
// Revoke(address revoker,bytes32 schema,bytes32 uid,uint256 value,uint256 nonce,uint64 deadline).
var RevokeFields = []apitypes.Type{
	{Name: "revoker", Type: "address"},
	{Name: "schema", Type: "bytes32"},
	{Name: "uid", Type: "bytes32"},
	{Name: "value", Type: "uint256"},
	{Name: "nonce", Type: "uint256"},
	{Name: "deadline", Type: "uint64"},
}

// DelegatedDigest returns the digest a steward signs for a delegated
// attestation of st.
func DelegatedDigest(chainID uint64, easAddr common.Address, attester common.Address, st attest.Statement, d *attest.Delegated) (common.Hash, error) {
	return TypedDigest(Domain(chainID, easAddr, d.EASVersion), "Attest", AttestFields, apitypes.TypedDataMessage{
		"attester":       attester.Hex(),
		"schema":         d.Schema[:],
		"recipient":      common.Address{}.Hex(),
		"expirationTime": u64(d.ExpirationTime),
		"revocable":      d.Revocable,
		"refUID":         d.RefUID[:],
		"data":           attest.EncodeSchemaData(st),
		"value":          u64(0),
		"nonce":          d.NonceInt(),
		"deadline":       u64(d.Deadline),
	})
}

// Sign implements attest.Backend: a delegated attestation request with the
// steward's current EAS nonce (read from the chain unless opts.Nonce is
// given) and opts.RefUID as lineage.
func (b *Backend) Sign(ctx context.Context, s attest.Signer, st attest.Statement, opts attest.SignOptions) (*attest.SignatureFile, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	var nonce uint64
	if opts.Nonce != nil {
		nonce = *opts.Nonce
	} else {
		n, err := b.Nonce(ctx, s.Address())
		if err != nil {
			return nil, err
		}
		nonce = n
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	d := &attest.Delegated{EASVersion: b.cfg.Version, Schema: attest.EASSchemaUID(), RefUID: opts.RefUID, Revocable: true,
		Nonce: (*hexutil.Big)(u64(nonce))}
	if opts.Validity > 0 {
		d.ExpirationTime = uint64(now.Add(opts.Validity).Unix())
	}
	digest, err := DelegatedDigest(b.cfg.ChainID, b.cfg.Address, s.Address(), st, d)
	if err != nil {
		return nil, err
	}
	sig, err := s.SignHash(ctx, digest)
	if err != nil {
		return nil, err
	}
	f := attest.NewSignatureFile(attest.KindEAS, st, s.Address(), b.cfg.ChainID, now)
	addr := b.cfg.Address
	f.EAS, f.Delegated, f.Digest, f.Signature = &addr, d, digest, sig
	return f, nil
}

// Nonce reads an account's EAS nonce.
func (b *Backend) Nonce(ctx context.Context, a common.Address) (uint64, error) {
	if err := b.needClient(); err != nil {
		return 0, fmt.Errorf("%w (or give the EAS nonce)", err)
	}
	n, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx}, b.abi.PackGetNonce(a), b.abi.UnpackGetNonce)
	if err != nil {
		return 0, fmt.Errorf("%w: reading the EAS nonce of %s: %v", attest.ErrChain, a.Hex(), err)
	}
	return n.Uint64(), nil
}

// CheckSignature implements attest.Backend: the delegated request must be for
// the groundtruth schema and recover to the file's signer.
func (b *Backend) CheckSignature(_ context.Context, f *attest.SignatureFile, st attest.Statement) (attest.SignatureCheck, error) {
	if f.Backend != attest.KindEAS || f.EAS == nil || f.Delegated == nil {
		return attest.SignatureCheck{}, fmt.Errorf("%w: not an EAS delegated attestation", attest.ErrSignature)
	}
	d := f.Delegated
	if d.Schema != attest.EASSchemaUID() {
		return attest.SignatureCheck{}, fmt.Errorf("%w: schema %s is not the groundtruth schema %s", attest.ErrSignature, d.Schema.Hex(), attest.EASSchemaUID().Hex())
	}
	digest, err := DelegatedDigest(f.ChainID, *f.EAS, f.Signer, f.Statement, d)
	if err != nil {
		return attest.SignatureCheck{}, err
	}
	signer, err := attest.RecoverSigner(digest, f.Signature)
	if err != nil {
		return attest.SignatureCheck{}, err
	}
	if signer != f.Signer {
		return attest.SignatureCheck{}, fmt.Errorf("%w: the signature recovers to %s, not to the signer the file names", attest.ErrSignature, signer.Hex())
	}
	return attest.SignatureCheck{Signer: signer, Expires: d.ExpirationTime}, nil
}

// splitSig turns r ‖ s ‖ v into EAS's Signature struct.
func splitSig(sig []byte) (v uint8, r, s [32]byte) {
	copy(r[:], sig[:32])
	copy(s[:], sig[32:64])
	v = sig[64]
	if v < 27 {
		v += 27
	}
	return v, r, s
}
