package registry_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
)

// TestDeployAndUpdateDigest deploys from the committed code, checks the
// code check accepts it and refuses another contract, and checks that the
// Go steward update digest is the contract's.
func TestDeployAndUpdateDigest(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := env.Chain.Client()
	stewards := env.StewardAddrs()
	addr, _, err := registry.Deploy(ctx, c, nil, env.Submitter, env.ChainID, stewards, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := registry.CheckCode(ctx, c, env.ChainID, env.Registry, stewards, 2, env.Submitter.Address()); err != nil {
		t.Fatalf("the test harness's registry: %v", err)
	}
	if err := registry.CheckCode(ctx, c, env.ChainID, env.EAS.EAS, stewards, 2, env.Submitter.Address()); !errors.Is(err, attest.ErrInvalid) {
		t.Fatalf("EAS passed the registry code check: %v", err)
	}
	if _, _, err := registry.Deploy(ctx, c, nil, env.Submitter, env.ChainID, []common.Address{stewards[0], stewards[0]}, 1); !errors.Is(err, attest.ErrConfig) {
		t.Fatalf("a duplicate steward: %v", err)
	}
	u, err := registry.NewUpdate(env.ChainID, addr, []common.Address{stewards[2], stewards[0]}, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	abi := datasetregistry.NewDatasetRegistry()
	onchain, err := bind.Call(abi.Instance(c, addr), &bind.CallOpts{Context: ctx}, abi.PackStewardUpdateDigest(u.Stewards, big.NewInt(1), big.NewInt(7)), abi.UnpackStewardUpdateDigest)
	if err != nil || common.Hash(onchain) != u.Digest {
		t.Fatalf("stewardUpdateDigest %x, Go %s (%v)", onchain, u.Digest.Hex(), err)
	}
}
