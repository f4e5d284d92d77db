package registry_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

func TestRegistryAttestVerifyRevoke(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := registry.New(registry.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.Registry})
	st := attesttest.Statement("votes", 1)

	// The Go digest is the contract's.
	abi := datasetregistry.NewDatasetRegistry()
	onchain, err := bind.Call(abi.Instance(env.Chain.Client(), env.Registry), &bind.CallOpts{Context: ctx},
		abi.PackStatementDigest(datasetregistry.DatasetRegistryStatement{Dataset: st.Dataset, Version: st.Version, MerkleRoot: st.MerkleRoot,
			RowCount: st.RowCount, ManifestHash: st.ManifestHash, ReportHash: st.ReportHash, ParentRoot: st.ParentRoot}), abi.UnpackStatementDigest)
	if err != nil || onchain != st.Digest(b.Domain()) {
		t.Fatalf("statementDigest %x, Go %s (%v)", onchain, st.Digest(b.Domain()), err)
	}

	// A non-steward's signature is refused by the contract, with its reason.
	var sigs []*attest.SignatureFile
	for _, s := range []attest.Signer{env.Stewards[0], env.Stewards[3]} {
		f, err := b.Sign(ctx, s, st, attest.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, f)
	}
	if _, err := b.Submit(ctx, st, sigs, env.Submitter); err == nil || !strings.Contains(err.Error(), "NotSteward") {
		t.Fatalf("non-steward accepted: %v", err)
	}
	f, _ := b.Sign(ctx, env.Stewards[1], st, attest.SignOptions{})
	sigs[1] = f
	if _, err := b.Submit(ctx, st, sigs, env.Submitter); err != nil {
		t.Fatal(err)
	}
	trust, ok, err := b.TrustFromChain(ctx)
	if err != nil || !ok || trust.Threshold != 2 || len(trust.Stewards) != 3 {
		t.Fatalf("trust %+v %v %v", trust, ok, err)
	}
	ev := attest.NewEvidence(b.Target(), st)
	ev.Signatures = sigs
	rep, err := attest.Verify(ctx, attest.VerifyRequest{Backend: b, Data: st, Evidence: ev, Trust: trust, Chain: true})
	if err != nil || rep.Err() != nil {
		t.Fatalf("verify: %v %v %+v", err, rep.Err(), rep.Checks)
	}

	if _, err := b.Revoke(ctx, st, "poisoned prices", ev, []attest.Signer{env.Stewards[0], env.Stewards[2]}, env.Submitter); err != nil {
		t.Fatal(err)
	}
	rep, err = attest.Verify(ctx, attest.VerifyRequest{Backend: b, Data: st, Evidence: ev, Trust: trust, Chain: true})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, c := range rep.Checks {
		if c.Check == "registry.revoked" && !c.OK && strings.Contains(c.Detail, `"poisoned prices"`) {
			found = true
		}
	}
	if !found {
		t.Fatalf("revocation not reported: %+v", rep.Checks)
	}
}
