package contracts_test

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	dr "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// safeRegistry is a registry whose stewards are two keys (accounts 1 and 2) and a
// 2-of-3 Safe owned by accounts 5, 6 and 7.
type safeRegistry struct {
	*registry
	safe *testchain.Safe
}

// deploySafeRegistry deploys the Safe contracts, a 2-of-3 Safe and a registry with
// threshold k whose stewards are key 1, key 2 and the Safe.
func deploySafeRegistry(t testing.TB, c testchain.Chain, k uint64) *safeRegistry {
	t.Helper()
	ctx := context.Background()
	d, err := testchain.DeploySafe(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	accts := c.Accounts()
	safe, err := d.NewSafe(ctx, accts[5:8], 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	keys := accts[1:3]
	addr, err := testchain.DeployRegistry(ctx, c, []common.Address{keys[0].Address, keys[1].Address, safe.Address}, k)
	if err != nil {
		t.Fatal(err)
	}
	b := dr.NewDatasetRegistry()
	r := &registry{chain: c, addr: addr, b: b, inst: b.Instance(c.Client(), addr), stewards: keys,
		dom: domain{chainID: c.ChainID(), registry: addr}}
	return &safeRegistry{registry: r, safe: safe}
}

// safeSig returns the Safe's signature entry for digest, signed by the owners at idx.
func (r *safeRegistry) safeSig(t testing.TB, digest []byte, owners ...int) dr.StewardSetStewardSignature {
	t.Helper()
	sig, err := r.safe.Sign(context.Background(), common.BytesToHash(digest), owners...)
	if err != nil {
		t.Fatal(err)
	}
	return dr.StewardSetStewardSignature{Signer: r.safe.Address, Signature: sig}
}

// keyAndSafe signs digest with key steward 0 and the Safe's owners at owners, sorted.
func (r *safeRegistry) keyAndSafe(t testing.TB, digest []byte, owners ...int) sigList {
	t.Helper()
	return sortSigs(append(sign(t, digest, r.stewards[0].Key), r.safeSig(t, digest, owners...)))
}

func TestSafeSteward(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deploySafeRegistry(t, c, 2)
	outsiders := c.Accounts()[8:10]
	cases := []struct {
		name    string
		sigs    func(t *testing.T, st dr.DatasetRegistryStatement) sigList
		wantErr common.Hash
	}{
		{name: "a key and the Safe (2 of its 3 owners)", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			return r.keyAndSafe(t, r.dom.statementDigest(t, st), 0, 2)
		}},
		{name: "the Safe with 1 of its 3 owners", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			return r.keyAndSafe(t, r.dom.statementDigest(t, st), 1)
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "the Safe signed by non-owners", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			d := r.dom.statementDigest(t, st)
			h, err := r.safe.MessageHash(context.Background(), common.BytesToHash(d))
			if err != nil {
				t.Fatal(err)
			}
			sig, err := testchain.SafeOwnerSignatures(h, outsiders[0].Key, outsiders[1].Key)
			if err != nil {
				t.Fatal(err)
			}
			return sortSigs(append(sign(t, d, r.stewards[0].Key), dr.StewardSetStewardSignature{Signer: r.safe.Address, Signature: sig}))
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "the Safe's signature of another statement", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			other := st
			other.RowCount++
			return sortSigs(append(sign(t, r.dom.statementDigest(t, st), r.stewards[0].Key), r.safeSig(t, r.dom.statementDigest(t, other), 0, 1)))
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "an owner's signature passed as the Safe's", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			d := r.dom.statementDigest(t, st)
			owner := sign(t, d, r.safe.Owners[0].Key)[0]
			return sortSigs(append(sign(t, d, r.stewards[0].Key), dr.StewardSetStewardSignature{Signer: r.safe.Address, Signature: owner.Signature}))
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "the Safe alone (k = 2)", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			return sigList{r.safeSig(t, r.dom.statementDigest(t, st), 0, 1)}
		}, wantErr: dr.DatasetRegistryInsufficientSignaturesErrorID()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := statement("safe/"+tc.name, 1, common.HexToHash("0x5afe"), 7)
			rcpt, err := r.attest(st, tc.sigs(t, st))
			if tc.wantErr != (common.Hash{}) {
				if got := revertID(t, err); got != selector(tc.wantErr) {
					t.Fatalf("reverted with %x, want %x (%v)", got, tc.wantErr[:4], err)
				}
				return
			}
			if err != nil {
				t.Fatalf("attest: %v", err)
			}
			r.checkAttested(t, st, rcpt.Logs[0])
		})
	}
}

func TestSafeStewardRevokeAndRotate(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deploySafeRegistry(t, c, 2)
	st := statement("safe/prices", 1, common.HexToHash("0x01"), 3)
	r.attestOrFail(t, st, r.keyAndSafe(t, r.dom.statementDigest(t, st), 1, 2))

	// Revoke with a key and the Safe.
	d := r.dom.revocationDigest(t, st.Dataset, st.Version, "bad feed", r.nonce(t))
	if _, err := r.send(r.b.PackRevoke(st.Dataset, st.Version, "bad feed", r.keyAndSafe(t, d, 0, 1))); err != nil {
		t.Fatalf("revoke by a key and the Safe: %v", err)
	}
	if r.isAttested(t, st.Dataset, st.Version) {
		t.Fatal("still attested after the revocation")
	}

	// Rotate the Safe out (signed by a key and the Safe itself): stewards key 1, key 2,
	// account 4.
	added := c.Accounts()[4]
	next := []common.Address{r.stewards[0].Address, r.stewards[1].Address, added.Address}
	ud := r.dom.stewardUpdateDigest(t, next, 2, r.nonce(t))
	if _, err := r.send(r.b.PackUpdateStewards(next, u64(2), r.keyAndSafe(t, ud, 0, 2))); err != nil {
		t.Fatalf("rotation signed by a key and the Safe: %v", err)
	}
	st2 := statement("safe/prices", 2, common.HexToHash("0x02"), 4)
	_, err := r.attest(st2, r.keyAndSafe(t, r.dom.statementDigest(t, st2), 0, 1))
	if id := revertID(t, err); id != selector(dr.DatasetRegistryNotStewardErrorID()) {
		t.Fatalf("attest with the rotated-out Safe reverted with %x, want NotSteward", id)
	}
	r.attestOrFail(t, st2, sign(t, r.dom.statementDigest(t, st2), r.stewards[0].Key, added.Key))
}

// attestOrFail attests and fails the test on an error.
func (r *registry) attestOrFail(t testing.TB, st dr.DatasetRegistryStatement, sigs sigList) *types.Receipt {
	t.Helper()
	rcpt, err := r.attest(st, sigs)
	if err != nil {
		t.Fatalf("attest %s v%d: %v", st.Dataset, st.Version, err)
	}
	return rcpt
}

// safeAttestGas returns the gas of attesting version 1 and then version 2 of a dataset
// with k = 2 signatures: a key's and a 2-of-3 Safe's.
func safeAttestGas(t *testing.T, c testchain.Chain) (first, next uint64) {
	t.Helper()
	r := deploySafeRegistry(t, c, 2)
	dataset := "gas/prices-usd"
	var gas [2]uint64
	for i, st := range []dr.DatasetRegistryStatement{
		statement(dataset, 1, common.HexToHash("0x1111"), 1_000_000),
		statement(dataset, 2, common.HexToHash("0x2222"), 1_000_500),
	} {
		gas[i] = r.attestOrFail(t, st, r.keyAndSafe(t, r.dom.statementDigest(t, st), 0, 1)).GasUsed
	}
	return gas[0], gas[1]
}
