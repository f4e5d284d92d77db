package attesttest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// Env is a chain with groundtruth's contracts and stewards.
type Env struct {
	// Chain is the running chain.
	Chain testchain.Chain
	// ChainID is its chain id.
	ChainID uint64
	// Registry is a DatasetRegistry whose stewards are Stewards[:N] with threshold K.
	Registry common.Address
	// EAS is the EAS deployment.
	EAS testchain.EASDeployment
	// Stewards are steward signers (more than N: the rest are not authorised).
	Stewards []*attest.KeySigner
	// N and K are the registry's steward count and threshold.
	N, K int
	// Submitter is a funded account that pays for transactions.
	Submitter *attest.KeySigner
}

// StewardKey returns the i-th test steward key signer (deterministic).
func StewardKey(i int) *attest.KeySigner {
	return attest.NewKeySigner(testchain.DeterministicKey(1000 + i))
}

// StartEnv starts anvil with a registry of n stewards and threshold k, and
// EAS. Steward accounts are funded (off-chain revocation sends from them).
func StartEnv(t testing.TB, n, k int) *Env {
	t.Helper()
	testchain.RequireNodeModules(t)
	a := testchain.StartAnvil(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := &Env{Chain: a, ChainID: a.ChainID().Uint64(), N: n, K: k, Submitter: attest.NewKeySigner(a.Accounts()[0].Key)}
	var addrs []common.Address
	for i := 0; i < n+1; i++ {
		s := StewardKey(i)
		e.Stewards = append(e.Stewards, s)
		if i < n {
			addrs = append(addrs, s.Address())
		}
		if err := a.Fund(ctx, s.Address(), testchain.Ether(10)); err != nil {
			t.Fatalf("fund steward: %v", err)
		}
	}
	var err error
	if e.Registry, err = testchain.DeployRegistry(ctx, a, addrs, uint64(k)); err != nil {
		t.Fatalf("deploy registry: %v", err)
	}
	if e.EAS, err = testchain.DeployEAS(ctx, a); err != nil {
		t.Fatalf("deploy EAS: %v", err)
	}
	return e
}

// Trust returns the trust anchor of the env's steward set for a contract.
func (e *Env) Trust(contract common.Address) attest.Trust {
	var s []common.Address
	for _, k := range e.Stewards[:e.N] {
		s = append(s, k.Address())
	}
	return attest.Trust{Stewards: s, Threshold: e.K, ChainID: e.ChainID, Contract: contract, Source: "test steward set"}
}

// StewardAddrs returns the authorised stewards' addresses.
func (e *Env) StewardAddrs() []common.Address { return e.Trust(common.Address{}).Stewards }

// Statement returns a statement of a made-up version of dataset.
func Statement(dataset string, version uint64) attest.Statement {
	h := func(s string) datasets.Hash {
		return datasets.Hash(sha256.Sum256([]byte(fmt.Sprintf("%s@%d %s", dataset, version, s))))
	}
	st := attest.Statement{Dataset: dataset, Version: version, MerkleRoot: h("root"), RowCount: 1000 * version,
		ManifestHash: h("manifest"), ReportHash: h("report")}
	if version > 1 {
		st.ParentRoot = Statement(dataset, version-1).MerkleRoot
	}
	return st
}
