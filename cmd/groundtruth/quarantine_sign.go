package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// decisionSigner loads the steward's key and the steward set it must
// belong to: --stewards or the configuration's stewards, else the
// registry's on-chain set (with --rpc or the section's rpc_url).
func decisionSigner(ctx context.Context, a *app, f *attestFlags, keyPath string) (*attest.KeySigner, attest.Trust, error) {
	if err := f.load(a); err != nil {
		return nil, attest.Trust{}, err
	}
	trust, ok, err := f.stewardSet()
	if err != nil {
		return nil, attest.Trust{}, err
	}
	if !ok && f.backend != "" && f.rpc != "" {
		c, err := f.dial(ctx)
		if err != nil {
			return nil, attest.Trust{}, err
		}
		defer c.close()
		b, err := f.newBackend(ctx, a, c, "")
		if err != nil {
			return nil, attest.Trust{}, err
		}
		if trust, ok, err = chainTrust(ctx, b, c); err != nil {
			return nil, attest.Trust{}, err
		}
	}
	if !ok {
		return nil, attest.Trust{}, fmt.Errorf("%w: who are the stewards? give --config with an attestation section, or --stewards and --threshold", errUsage)
	}
	signer, err := f.loadKey(a, keyPath)
	if err != nil {
		return nil, attest.Trust{}, err
	}
	if !trust.IsSteward(signer.Address()) {
		return nil, attest.Trust{}, fmt.Errorf("%w: %s is not a steward (%s): its decision is refused", attest.ErrSignature, signer.Address().Hex(), trust.Source)
	}
	return signer, trust, nil
}

// signDecision signs the steward's decision on a pending entry and records
// it with its signature.
func signDecision(ctx context.Context, st *store.Store, id, status, note string, s *attest.KeySigner) (*store.QuarantineEntry, error) {
	e, err := st.QuarantineGet(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Status != store.QuarantinePending {
		return nil, fmt.Errorf("%w: quarantine entry %s was already %s by %s", store.ErrConflict, e.ID, e.Status, e.Steward)
	}
	at := time.Now().Truncate(time.Second)
	d := attest.Decision{Dataset: e.Dataset, Entry: e.ID, RowKey: e.RowKey, Decision: status, Reason: note, DecidedAt: uint64(at.Unix())}
	sig, err := attest.SignDecision(ctx, s, &d)
	if err != nil {
		return nil, err
	}
	out, err := st.DecideQuarantine(ctx, e.ID, store.Decision{Status: status, Steward: d.Steward.Hex(), Note: note,
		Signature: hexutil.Encode(sig), At: at})
	if err != nil {
		return nil, err
	}
	if err := pipeline.VerifyEntry(out); err != nil { // what the catalog holds must verify
		return nil, fmt.Errorf("the recorded decision does not verify: %w", err)
	}
	return out, nil
}

// signatureStatus says whether a decided entry's signature verifies: "-"
// (pending), "unsigned", "valid (steward 0x…)" or "INVALID: why".
func signatureStatus(e *store.QuarantineEntry) string {
	switch {
	case e.DecidedAt == nil:
		return "-"
	case e.Signature == "":
		return "unsigned (recorded without a steward's key)"
	}
	if err := pipeline.VerifyEntry(e); err != nil {
		return "INVALID: " + err.Error()
	}
	return "valid (signed by steward " + e.Steward + ")"
}
