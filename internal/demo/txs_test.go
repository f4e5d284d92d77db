package demo

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestSender sends several transactions into one block, and reports a
// reverted one by name.
func TestSender(t *testing.T) {
	c := testchain.NewSimulated(testchain.SimConfig{Accounts: 3})
	defer c.Close()
	ctx := t.Context()
	reg, err := testchain.DeployRegistry(ctx, c, []common.Address{c.Accounts()[1].Address}, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := newSender(c)
	acct := c.Accounts()
	for i := 0; i < 3; i++ {
		if err := s.send(ctx, acct[i%2], acct[2].Address, nil, "transfer"); err != nil {
			t.Fatal(err)
		}
	}
	rcs, err := s.mine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rcs) != 3 || rcs[0].BlockNumber.Cmp(rcs[2].BlockNumber) != 0 {
		t.Fatalf("receipts in blocks %v %v %v: want 3 in one block", rcs[0].BlockNumber, rcs[1].BlockNumber, rcs[2].BlockNumber)
	}
	bad := datasetregistry.NewDatasetRegistry().PackAttest(datasetregistry.DatasetRegistryStatement{Dataset: "d", Version: 1}, nil)
	if _, err := s.one(ctx, acct[0], reg, bad, "attest without signatures"); err == nil || !strings.Contains(err.Error(), "attest without signatures") {
		t.Fatalf("a reverted transaction: %v", err)
	}
}
