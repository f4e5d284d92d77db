package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, testchain.LeakOptions()...)
}

// registry is a deployed DatasetRegistry with its stewards, for tests.
type registry struct {
	chain    testchain.Chain
	addr     common.Address
	b        *datasetregistry.DatasetRegistry
	inst     *bind.BoundContract
	stewards []testchain.Account
	dom      domain
}

// deployRegistry deploys a registry whose n stewards are the chain's accounts 1..n.
func deployRegistry(t testing.TB, c testchain.Chain, n int, k uint64) *registry {
	t.Helper()
	stewards := c.Accounts()[1 : 1+n]
	addrs := make([]common.Address, n)
	for i, s := range stewards {
		addrs[i] = s.Address
	}
	addr, err := testchain.DeployRegistry(context.Background(), c, addrs, k)
	if err != nil {
		t.Fatal(err)
	}
	b := datasetregistry.NewDatasetRegistry()
	return &registry{
		chain: c, addr: addr, b: b, inst: b.Instance(c.Client(), addr),
		stewards: stewards, dom: domain{chainID: c.ChainID(), registry: addr},
	}
}

// keys returns the private keys of the stewards at the given positions.
func (r *registry) keys(idx ...int) []*ecdsa.PrivateKey {
	out := make([]*ecdsa.PrivateKey, len(idx))
	for i, j := range idx {
		out[i] = r.stewards[j].Key
	}
	return out
}

// send sends calldata to the registry from the chain's first account.
func (r *registry) send(data []byte) (*types.Receipt, error) {
	return testchain.Transact(context.Background(), r.chain, r.chain.Accounts()[0], r.addr, data)
}

// attest sends attest(statement, signatures).
func (r *registry) attest(st datasetregistry.DatasetRegistryStatement, sigs sigList) (*types.Receipt, error) {
	return r.send(r.b.PackAttest(st, sigs))
}

// attestBy signs the statement with the stewards at the given positions and attests it.
func (r *registry) attestBy(t testing.TB, st datasetregistry.DatasetRegistryStatement, idx ...int) *types.Receipt {
	t.Helper()
	rcpt, err := r.attest(st, sign(t, r.dom.statementDigest(t, st), r.keys(idx...)...))
	if err != nil {
		t.Fatalf("attest %s v%d: %v", st.Dataset, st.Version, err)
	}
	return rcpt
}

// isAttested calls isAttested(dataset, version).
func (r *registry) isAttested(t testing.TB, dataset string, version uint64) bool {
	t.Helper()
	ok, err := bind.Call(r.inst, nil, r.b.PackIsAttested(dataset, version), r.b.UnpackIsAttested)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// statement returns a statement with distinct, recognisable hashes.
func statement(dataset string, version uint64, root common.Hash, rows uint64) datasetregistry.DatasetRegistryStatement {
	return datasetregistry.DatasetRegistryStatement{
		Dataset:      dataset,
		Version:      version,
		MerkleRoot:   root,
		RowCount:     rows,
		ManifestHash: common.BytesToHash([]byte("manifest " + dataset)),
		ReportHash:   common.BytesToHash([]byte("report " + dataset)),
		ParentRoot:   common.BytesToHash([]byte(fmt.Sprintf("parent %d", version))),
	}
}

// revertID returns the 4-byte selector of the custom error a failed call reverted with.
func revertID(t testing.TB, err error) [4]byte {
	t.Helper()
	var id [4]byte
	if err == nil {
		t.Fatal("the call succeeded, want a revert")
	}
	data, ok := testchain.RevertData(err)
	if !ok || len(data) < 4 {
		t.Fatalf("no revert data in %v", err)
	}
	copy(id[:], data)
	return id
}

// selector returns the first four bytes of an error id.
func selector(h common.Hash) [4]byte {
	var s [4]byte
	copy(s[:], h[:4])
	return s
}

// u64 returns a *big.Int of n.
func u64(n uint64) *big.Int { return new(big.Int).SetUint64(n) }
