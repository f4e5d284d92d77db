package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/qdecision"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// decisionTrust returns the steward set a decision's steward must belong
// to: --stewards or the configuration's stewards, else the registry's
// on-chain set (with --rpc or the section's rpc_url).
func decisionTrust(ctx context.Context, a *app, f *attestFlags) (attest.Trust, error) {
	if err := f.load(a); err != nil {
		return attest.Trust{}, err
	}
	trust, ok, err := f.stewardSet()
	if err != nil {
		return attest.Trust{}, err
	}
	if !ok && f.backend != "" && f.rpc != "" {
		c, err := f.dial(ctx)
		if err != nil {
			return attest.Trust{}, err
		}
		defer c.close()
		b, err := f.newBackend(ctx, a, c, "")
		if err != nil {
			return attest.Trust{}, err
		}
		if trust, ok, err = chainTrust(ctx, b, c); err != nil {
			return attest.Trust{}, err
		}
	}
	if !ok {
		return attest.Trust{}, fmt.Errorf("%w: who are the stewards? give --config with an attestation section, or --stewards and --threshold", errUsage)
	}
	return trust, nil
}

// mustBeSteward refuses a decision by anyone outside the steward set.
func mustBeSteward(trust attest.Trust, who common.Address) error {
	if !trust.IsSteward(who) {
		return fmt.Errorf("%w: %s is not a steward (%s): its decision is refused", attest.ErrSignature, who.Hex(), trust.Source)
	}
	return nil
}

// signDecision signs the steward's decision on a pending entry (bound to
// its row and to deployment dep) with their keystore and records it with
// its signature.
func signDecision(ctx context.Context, st *store.Store, dep attest.Deployment, id, status, note string, s *attest.KeySigner) (*store.QuarantineEntry, error) {
	e, err := qdecision.Pending(ctx, st, id)
	if err != nil {
		return nil, err
	}
	d, err := qdecision.For(e, dep, status, note, s.Address(), uint64(time.Now().Unix()))
	if err != nil {
		return nil, err
	}
	sig, err := attest.SignDecision(ctx, s, &d)
	if err != nil {
		return nil, err
	}
	return qdecision.Record(ctx, st, d, sig)
}

// writeDecisionTypedData writes the eth_signTypedData_v4 JSON of steward's
// decision on a pending entry, made now, for a wallet to sign.
func writeDecisionTypedData(ctx context.Context, st *store.Store, dep attest.Deployment, id, status, note string, steward common.Address, path string) error {
	e, err := qdecision.Pending(ctx, st, id)
	if err != nil {
		return err
	}
	d, err := qdecision.For(e, dep, status, note, steward, uint64(time.Now().Unix()))
	if err != nil {
		return err
	}
	return writeTypedData(path, d.TypedData())
}

// importDecision records the decision in the typed-data file path with a
// wallet's signature of it: the file must be status on entry id, sig its
// steward's signature, and the steward one of trust's.
func importDecision(ctx context.Context, st *store.Store, dep attest.Deployment, id, status, path, sigHex string, trust attest.Trust) (*store.QuarantineEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: --typed-data: %v", errUsage, err)
	}
	d, err := attest.ParseDecisionTypedData(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sig, err := hexutil.Decode(sigHex)
	if err != nil || len(sig) != 65 {
		return nil, fmt.Errorf("%w: --signature %q: want 0x and 65 bytes (r, s, v)", attest.ErrSignature, sigHex)
	}
	e, err := qdecision.Pending(ctx, st, id)
	if err != nil {
		return nil, err
	}
	if err := qdecision.Match(e, dep, d, status); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := mustBeSteward(trust, d.Steward); err != nil {
		return nil, err
	}
	return qdecision.Record(ctx, st, d, sig)
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
