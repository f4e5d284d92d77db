package eas

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	easbind "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
)

// TrustFromChain implements attest.Backend: EAS has no steward set.
func (b *Backend) TrustFromChain(context.Context) (attest.Trust, bool, error) {
	return attest.Trust{}, false, nil
}

// CheckChain implements attest.Backend: for every attestation UID in the
// evidence it reads the attestation and the one its refUID names (two calls
// per steward, whatever the size of the version) and checks attester,
// schema, data, revocation, expiry and lineage.
func (b *Backend) CheckChain(ctx context.Context, st attest.Statement, ev *attest.Evidence, _ attest.Trust, now time.Time) (*attest.ChainResult, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	res := &attest.ChainResult{Confirmed: map[common.Address]bool{}}
	add := func(check string, ok bool, format string, args ...any) {
		res.Checks = append(res.Checks, attest.Check{Check: check, OK: ok, Detail: fmt.Sprintf(format, args...)})
	}
	opts := &bind.CallOpts{Context: ctx}
	n := 0
	for i, f := range ev.Signatures {
		if f.Purpose != attest.PurposeAttest || f.Delegated == nil || f.Delegated.UID == nil {
			continue
		}
		n++
		name := fmt.Sprintf("eas[%d]", i)
		uid := *f.Delegated.UID
		a, err := bind.Call(b.instance(), opts, b.abi.PackGetAttestation(uid), b.abi.UnpackGetAttestation)
		if err != nil {
			return nil, fmt.Errorf("%w: reading EAS attestation %s: %v", attest.ErrChain, uid.Hex(), err)
		}
		if problem := b.checkAttestation(a, f, st, now); problem != "" {
			add(name, false, "attestation %s by %s: %s", uid.Hex(), f.Signer.Hex(), problem)
			if a.RevocationTime != 0 {
				res.Revoked = true
			}
			continue
		}
		if lineage, ok := b.checkLineage(ctx, a, st); !ok {
			add(name+".lineage", false, "attestation %s by %s: %s", uid.Hex(), f.Signer.Hex(), lineage)
			continue
		} else {
			add(name, true, "attestation %s by %s on chain: data matches, not revoked, %s; %s", uid.Hex(), f.Signer.Hex(), expiryText(a.ExpirationTime), lineage)
		}
		res.Confirmed[a.Attester] = true
	}
	if n == 0 {
		add("eas", true, "no attestation of %s has been submitted to EAS %s yet (the threshold counts on-chain attestations only)", st.Ref(), b.cfg.Address.Hex())
	}
	return res, nil
}

// checkAttestation returns why an on-chain attestation does not attest
// st for f's signer, or "".
func (b *Backend) checkAttestation(a easbind.Attestation, f *attest.SignatureFile, st attest.Statement, now time.Time) string {
	switch {
	case a.Uid == [32]byte{}:
		return "not found on EAS " + b.cfg.Address.Hex()
	case a.Attester != f.Signer:
		return "made by " + a.Attester.Hex()
	case a.Schema != attest.EASSchemaUID():
		return fmt.Sprintf("schema %s is not the groundtruth schema", common.Hash(a.Schema).Hex())
	case a.RevocationTime != 0:
		return "revoked at " + time.Unix(int64(a.RevocationTime), 0).UTC().Format(time.RFC3339)
	case a.ExpirationTime != 0 && uint64(now.Unix()) >= a.ExpirationTime:
		return "expired at " + time.Unix(int64(a.ExpirationTime), 0).UTC().Format(time.RFC3339)
	}
	got, err := attest.DecodeSchemaData(a.Data)
	if err != nil {
		return err.Error()
	}
	want := st
	want.ParentRoot = attest.Statement{}.ParentRoot
	if got != want {
		return fmt.Sprintf("its data attests %s (root %s, manifest %s), not %s (root %s, manifest %s)",
			got.Ref(), got.MerkleRoot, got.ManifestHash, st.Ref(), st.MerkleRoot, st.ManifestHash)
	}
	return ""
}

// checkLineage checks that the attestation's refUID names the same
// steward's attestation of an earlier version of the same dataset.
func (b *Backend) checkLineage(ctx context.Context, a easbind.Attestation, st attest.Statement) (string, bool) {
	if a.RefUID == [32]byte{} {
		return "no refUID (no earlier attestation by this steward)", true
	}
	p, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx}, b.abi.PackGetAttestation(a.RefUID), b.abi.UnpackGetAttestation)
	if err != nil {
		return "refUID could not be read: " + err.Error(), false
	}
	prev, err := attest.DecodeSchemaData(p.Data)
	switch {
	case err != nil || p.Schema != attest.EASSchemaUID():
		return fmt.Sprintf("refUID %s is not a groundtruth attestation", common.Hash(a.RefUID).Hex()), false
	case p.Attester != a.Attester:
		return fmt.Sprintf("refUID %s was made by %s, not by the same steward", common.Hash(a.RefUID).Hex(), p.Attester.Hex()), false
	case prev.Dataset != st.Dataset || prev.Version >= st.Version:
		return fmt.Sprintf("refUID %s attests %s, not an earlier version of %s", common.Hash(a.RefUID).Hex(), prev.Ref(), st.Dataset), false
	}
	return fmt.Sprintf("refUID %s is this steward's attestation of %s", common.Hash(a.RefUID).Hex(), prev.Ref()), true
}

func expiryText(exp uint64) string {
	if exp == 0 {
		return "no expiry"
	}
	return "expires " + time.Unix(int64(exp), 0).UTC().Format(time.RFC3339)
}
