package registry_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestFindAnchor checks the look-up a retry does before sending: nothing
// for an unattested version, the attesting transaction once mined, a wait
// while it is pending, and a conflict for another statement of the version.
func TestFindAnchor(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := registry.New(registry.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.Registry})
	sign := func(st attest.Statement) []*attest.SignatureFile {
		var out []*attest.SignatureFile
		for _, s := range env.Stewards[:2] {
			f, err := b.Sign(ctx, s, st, attest.SignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
		return out
	}
	st := attesttest.Statement("votes", 1)
	if rc, err := b.FindAnchor(ctx, st, nil); err != nil || rc != nil {
		t.Fatalf("unattested version: %+v %v", rc, err)
	}
	sent, err := b.Submit(ctx, st, sign(st), env.Submitter)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := b.FindAnchor(ctx, st, nil)
	if err != nil || rc == nil || rc.TxHash != sent.TxHash || rc.Block != sent.Block || rc.Backend != attest.KindRegistry {
		t.Fatalf("FindAnchor %+v (%v), sent %+v", rc, err, sent)
	}
	if _, err := b.Revoke(ctx, st, "test", nil, []attest.Signer{env.Stewards[0], env.Stewards[1]}, env.Submitter); err != nil {
		t.Fatal(err)
	}
	if rc, err := b.FindAnchor(ctx, st, nil); err != nil || rc == nil || !rc.Revoked || rc.TxHash != sent.TxHash {
		t.Fatalf("FindAnchor of a revoked version: %+v %v", rc, err)
	}
	other := st
	other.RowCount++
	if _, err := b.FindAnchor(ctx, other, nil); !errors.Is(err, attest.ErrAnchorConflict) || !errors.Is(err, attest.ErrInvalid) {
		t.Fatalf("another statement of votes@1: %v", err)
	}

	// Pending: automatic mining off, the transaction waits in the pool.
	anvil := env.Chain.(*testchain.Anvil)
	if err := anvil.RPC().CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	st2 := attesttest.Statement("votes", 2)
	abi := datasetregistry.NewDatasetRegistry()
	raw := []datasetregistry.StewardSetStewardSignature{}
	for _, f := range sign(st2) {
		raw = append(raw, datasetregistry.StewardSetStewardSignature{Signer: f.Signer, Signature: f.Signature})
	}
	slices.SortFunc(raw, func(a, b datasetregistry.StewardSetStewardSignature) int {
		return bytes.Compare(a.Signer[:], b.Signer[:])
	})
	opts := attest.TransactOpts(ctx, env.Submitter, anvil.ChainID())
	opts.GasLimit = 500_000
	tx, err := bind.Transact(abi.Instance(env.Chain.Client(), env.Registry), opts, abi.PackAttest(datasetregistry.DatasetRegistryStatement{
		Dataset: st2.Dataset, Version: st2.Version, MerkleRoot: st2.MerkleRoot, RowCount: st2.RowCount,
		ManifestHash: st2.ManifestHash, ReportHash: st2.ReportHash, ParentRoot: st2.ParentRoot}, raw))
	if err != nil {
		t.Fatal(err)
	}
	mined := make(chan error, 1)
	go func() {
		time.Sleep(700 * time.Millisecond)
		mined <- anvil.Mine(ctx, 1)
	}()
	began := time.Now()
	rc, err = b.FindAnchor(ctx, st2, nil)
	if err != nil || rc == nil || rc.TxHash != tx.Hash() {
		t.Fatalf("pending attestation: %+v %v (tx %s)", rc, err, tx.Hash().Hex())
	}
	if waited := time.Since(began); waited < 500*time.Millisecond {
		t.Fatalf("FindAnchor returned after %s, before the block was mined", waited)
	}
	if err := <-mined; err != nil {
		t.Fatal(err)
	}
}
