package offchain_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

func TestOffchainStoreVerifyRevoke(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	root := t.TempDir()
	b, err := offchain.New(ctx, offchain.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.EAS.EAS, Root: root})
	if err != nil {
		t.Fatal(err)
	}
	st := attesttest.Statement("votes", 1)
	ev := attest.NewEvidence(b.Target(), st)
	for _, i := range []int{0, 2} {
		f, err := b.Sign(ctx, env.Stewards[i], st, attest.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ev.Signatures = append(ev.Signatures, f)
	}
	rc, err := b.Submit(ctx, st, ev.Signatures, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, uid := range rc.UIDs {
		if _, err := os.Stat(filepath.Join(root, offchain.Path(st.ManifestHash, uid))); err != nil {
			t.Fatalf("attestation not stored beside the manifest: %v", err)
		}
	}
	trust := env.Trust(env.EAS.EAS)
	rep, err := attest.Verify(ctx, attest.VerifyRequest{Backend: b, Data: st, Evidence: ev, Trust: trust, Chain: true})
	if err != nil || rep.Err() != nil {
		t.Fatalf("verify: %v %v %+v", err, rep.Err(), rep.Checks)
	}
	if _, err := b.Revoke(ctx, st, "wrong source", ev, []attest.Signer{env.Stewards[2]}, nil); err != nil {
		t.Fatal(err)
	}
	rep, err = attest.Verify(ctx, attest.VerifyRequest{Backend: b, Data: st, Evidence: ev, Trust: trust, Chain: true})
	if err != nil {
		t.Fatal(err)
	}
	var revoked bool
	for _, c := range rep.Checks {
		if c.Check == "offchain[1].revoked" && !c.OK && strings.Contains(c.Detail, "was revoked on EAS") {
			revoked = true
		}
	}
	if !revoked || rep.Err() == nil {
		t.Fatalf("revocation not seen: %+v", rep.Checks)
	}
}
