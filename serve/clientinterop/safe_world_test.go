package clientinterop

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

// safeWorld is a second registry whose stewards are a key (the env's
// steward 0) and a 2-of-3 Safe 1.4.1 (owners: anvil accounts 5-7), k = 2,
// and the version safevotes@1 (rows 0-79) attested there by both: the
// Safe's signature file is "scheme": "eip1271", checked by the registry
// (and by a client) with the Safe's isValidSignature.
type safeWorld struct {
	registry common.Address
	stewards []common.Address // the key steward, then the Safe
}

func attestWithSafe(t *testing.T, env *attesttest.Env, st *store.Store) *safeWorld {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d, err := testchain.DeploySafe(ctx, env.Chain)
	if err != nil {
		t.Fatal(err)
	}
	safe, err := d.NewSafe(ctx, env.Chain.Accounts()[5:8], 2, 1271)
	if err != nil {
		t.Fatal(err)
	}
	w := &safeWorld{stewards: []common.Address{env.Stewards[0].Address(), safe.Address}}
	if w.registry, err = testchain.DeployRegistry(ctx, env.Chain, w.stewards, 2); err != nil {
		t.Fatal(err)
	}
	b := registry.New(registry.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: w.registry})
	m := servetest.Seal(t, st, "safevotes", 0, 80)
	mh, _ := m.Hash()
	stmt := attest.StatementOf(m, mh)
	key, err := b.Sign(ctx, env.Stewards[0], stmt, attest.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := safe.Sign(ctx, stmt.Digest(b.Domain()), 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	byContract, err := b.ImportContractSignature(ctx, safe.Address, stmt, sig, nil)
	if err != nil {
		t.Fatal(err)
	}
	col := &attest.Collector{Backend: b, Policy: attest.Policy{Stewards: w.stewards, Threshold: 2}, Catalog: st, Submitter: env.Submitter}
	if res, err := col.Collect(ctx, stmt, []*attest.SignatureFile{key, byContract}); err != nil || res.Status != attest.StatusAttested {
		t.Fatalf("attesting safevotes@1 with the Safe: %v %+v", err, res)
	}
	return w
}
