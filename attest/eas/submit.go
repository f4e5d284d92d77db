package eas

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest"
	easbind "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
)

// Submit implements attest.Backend: it registers the schema when needed and
// submits every steward's delegated request in one multiAttestByDelegation
// transaction from from, then fills in each file's attestation UID.
func (b *Backend) Submit(ctx context.Context, st attest.Statement, sigs []*attest.SignatureFile, from attest.Signer) (*attest.Receipt, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	schema, err := EnsureSchemaWith(ctx, b.cfg.Client, b.cfg.Wait, b.cfg.ChainID, b.cfg.Address, from, b.cfg.Tx)
	if err != nil {
		return nil, err
	}
	data := attest.EncodeSchemaData(st)
	reqs := make([]easbind.MultiDelegatedAttestationRequest, 0, len(sigs))
	for _, f := range sigs {
		if f.Delegated == nil {
			return nil, fmt.Errorf("%w: %s's signature is not an EAS delegated request", attest.ErrSignature, f.Signer.Hex())
		}
		d := f.Delegated
		v, r, s := splitSig(f.Signature)
		reqs = append(reqs, easbind.MultiDelegatedAttestationRequest{
			Schema: schema,
			Data: []easbind.AttestationRequestData{{Recipient: common.Address{}, ExpirationTime: d.ExpirationTime,
				Revocable: d.Revocable, RefUID: d.RefUID, Data: data, Value: u64(0)}},
			Signatures: []easbind.Signature{{V: v, R: r, S: s}},
			Attester:   f.Signer,
			Deadline:   d.Deadline,
		})
	}
	rcpt, err := attest.SendTxWith(ctx, b.cfg.Client, b.cfg.Wait, from, b.cfg.ChainID, b.cfg.Address, b.abi.PackMultiAttestByDelegation(reqs), b.abi.UnpackError, b.cfg.Tx)
	if err != nil {
		return nil, fmt.Errorf("attesting %s on EAS: %w", st.Ref(), err)
	}
	uids := b.attestedUIDs(rcpt, schema)
	for _, f := range sigs {
		if uid, ok := uids[f.Signer]; ok {
			u := uid
			f.Delegated.UID = &u
		}
	}
	if len(uids) != len(sigs) {
		return nil, fmt.Errorf("%w: transaction %s made %d attestations, want %d", attest.ErrChain, rcpt.TxHash.Hex(), len(uids), len(sigs))
	}
	b.log.Info("attested on EAS", "version", st.Ref(), "tx", rcpt.TxHash.Hex(), "attestations", len(uids))
	return &attest.Receipt{Backend: attest.KindEAS, TxHash: rcpt.TxHash, Block: rcpt.BlockNumber.Uint64(), UIDs: uids}, nil
}

// attestedUIDs reads the Attested events of a receipt.
func (b *Backend) attestedUIDs(rcpt *types.Receipt, schema common.Hash) map[common.Address]common.Hash {
	out := map[common.Address]common.Hash{}
	for _, l := range rcpt.Logs {
		if l.Address != b.cfg.Address {
			continue
		}
		ev, err := b.abi.UnpackAttestedEvent(l)
		if err != nil || ev.SchemaUID != schema {
			continue
		}
		out[ev.Attester] = ev.Uid
	}
	return out
}

// RevocationDigest returns the digest a steward signs to revoke their
// attestation uid by delegation.
func RevocationDigest(chainID uint64, easAddr common.Address, version string, revoker common.Address, uid common.Hash, nonce uint64) (common.Hash, error) {
	return TypedDigest(Domain(chainID, easAddr, version), "Revoke", RevokeFields, map[string]any{
		"revoker":  revoker.Hex(),
		"schema":   attest.EASSchemaUID().Bytes(),
		"uid":      uid.Bytes(),
		"value":    u64(0),
		"nonce":    u64(nonce),
		"deadline": u64(0),
	})
}

// Revoke implements attest.Backend: every revoker that has an attestation of
// st in ev signs a delegated revocation of it, and from submits them in one
// multiRevokeByDelegation transaction. The reason is kept off-chain.
func (b *Backend) Revoke(ctx context.Context, st attest.Statement, reason string, ev *attest.Evidence, revokers []attest.Signer, from attest.Signer) (*attest.Receipt, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	var reqs []easbind.MultiDelegatedRevocationRequest
	for _, s := range revokers {
		uid, ok := attestationOf(ev, s.Address())
		if !ok {
			return nil, fmt.Errorf("%w: %s has no EAS attestation of %s to revoke", attest.ErrConfig, s.Address().Hex(), st.Ref())
		}
		nonce, err := b.Nonce(ctx, s.Address())
		if err != nil {
			return nil, err
		}
		digest, err := RevocationDigest(b.cfg.ChainID, b.cfg.Address, b.cfg.Version, s.Address(), uid, nonce)
		if err != nil {
			return nil, err
		}
		sig, err := s.SignHash(ctx, digest)
		if err != nil {
			return nil, err
		}
		v, r, ss := splitSig(sig)
		reqs = append(reqs, easbind.MultiDelegatedRevocationRequest{
			Schema: attest.EASSchemaUID(), Data: []easbind.RevocationRequestData{{Uid: uid, Value: u64(0)}},
			Signatures: []easbind.Signature{{V: v, R: r, S: ss}}, Revoker: s.Address(),
		})
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("%w: no steward key to revoke with", attest.ErrConfig)
	}
	if from == nil {
		from = revokers[0]
	}
	rcpt, err := attest.SendTxWith(ctx, b.cfg.Client, b.cfg.Wait, from, b.cfg.ChainID, b.cfg.Address, b.abi.PackMultiRevokeByDelegation(reqs), b.abi.UnpackError, b.cfg.Tx)
	if err != nil {
		return nil, fmt.Errorf("revoking %s on EAS (%s): %w", st.Ref(), reason, err)
	}
	return &attest.Receipt{Backend: attest.KindEAS, TxHash: rcpt.TxHash, Block: rcpt.BlockNumber.Uint64()}, nil
}

// attestationOf finds a's attestation UID in the evidence.
func attestationOf(ev *attest.Evidence, a common.Address) (common.Hash, bool) {
	if ev == nil {
		return common.Hash{}, false
	}
	for _, f := range ev.Signatures {
		if f.Signer == a && f.Delegated != nil && f.Delegated.UID != nil {
			return *f.Delegated.UID, true
		}
	}
	return common.Hash{}, false
}
