package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// attestationUID returns the EAS UID a signature file's attestation has
// (on-chain once submitted, or off-chain).
func attestationUID(f *attest.SignatureFile) (common.Hash, bool) {
	switch {
	case f.Delegated != nil && f.Delegated.UID != nil:
		return *f.Delegated.UID, true
	case len(f.Offchain) > 0:
		p, err := offchain.ParsePackage(f.Offchain)
		if err != nil {
			return common.Hash{}, false
		}
		return common.HexToHash(p.Sig.UID), true
	}
	return common.Hash{}, false
}

// catalogEvidence assembles what the catalog knows about the attestation of
// st: the latest recorded evidence (of backend kind, or of any backend when
// kind is ""), the signatures recorded since, and the revocations. It
// returns nil when the catalog knows nothing. Once the evidence holds a
// receipt (the version was anchored), its signatures are the ones that were
// submitted: signatures recorded while it was pending and not submitted (a
// steward removed before it was attested, say) are left out.
func catalogEvidence(ctx context.Context, cat *store.Store, kind string, st attest.Statement) (*attest.Evidence, error) {
	docs, err := cat.Attestations(ctx, st.Dataset, st.Version, kind)
	if err != nil {
		return nil, err
	}
	var ev *attest.Evidence
	if len(docs) > 0 {
		if ev, err = attest.ParseEvidence(docs[0]); err != nil {
			return nil, fmt.Errorf("catalog evidence of %s: %w", st.Ref(), err)
		}
		kind = ev.Target.Backend
	}
	sigs, err := cat.Signatures(ctx, st.Dataset, st.Version, kind)
	if err != nil {
		return nil, err
	}
	if ev != nil && len(ev.Receipts) > 0 {
		sigs = nil
	}
	for _, d := range sigs {
		f, err := attest.ParseSignatureFile(d)
		if err != nil {
			return nil, fmt.Errorf("catalog signature of %s: %w", st.Ref(), err)
		}
		if ev == nil {
			t := attest.Target{Backend: f.Backend, ChainID: f.ChainID, Contract: f.Contract()}
			if f.Delegated != nil {
				t.EASVersion = f.Delegated.EASVersion
			}
			if len(f.Offchain) > 0 {
				if p, err := offchain.ParsePackage(f.Offchain); err == nil {
					t.EASVersion = p.Sig.Domain.Version
				}
			}
			ev = attest.NewEvidence(t, st)
			kind = f.Backend
		}
		if f.Backend == kind && !hasSignature(ev, f) {
			ev.Signatures = append(ev.Signatures, f)
		}
	}
	if ev == nil {
		return nil, nil
	}
	revs, err := cat.Revocations(ctx, st.Dataset, st.Version)
	if err != nil {
		return nil, err
	}
	for _, r := range revs {
		if r.Backend != ev.Target.Backend {
			continue
		}
		v := attest.Revocation{Backend: r.Backend, Reason: r.Reason, At: r.RevokedAt.UTC().Format("2006-01-02T15:04:05Z"), By: []common.Address{}}
		if r.Ref != "" {
			h := common.HexToHash(r.Ref)
			v.TxHash = &h
		}
		if err := json.Unmarshal([]byte(r.RevokedBy), &v.By); err != nil {
			v.By = nil
		}
		ev.Revocations = append(ev.Revocations, v)
	}
	return ev, nil
}

// hasSignature reports whether ev holds a signature of the same signer and
// purpose already (the recorded evidence's copy wins: it has the UIDs).
func hasSignature(ev *attest.Evidence, f *attest.SignatureFile) bool {
	for _, s := range ev.Signatures {
		if s.Signer == f.Signer && s.Purpose == f.Purpose {
			return true
		}
	}
	return false
}
