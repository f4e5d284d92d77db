package contracts_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	dr "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// nonce reads the registry's steward nonce.
func (r *registry) nonce(t testing.TB) uint64 {
	t.Helper()
	n, err := bind.Call(r.inst, nil, r.b.PackNonce(), r.b.UnpackNonce)
	if err != nil {
		t.Fatal(err)
	}
	return n.Uint64()
}

// revoke signs a revocation with the stewards at idx (with the current nonce) and sends it.
func (r *registry) revoke(t testing.TB, dataset string, version uint64, reason string, idx ...int) error {
	t.Helper()
	d := r.dom.revocationDigest(t, dataset, version, reason, r.nonce(t))
	_, err := r.send(r.b.PackRevoke(dataset, version, reason, sign(t, d, r.keys(idx...)...)))
	return err
}

func TestRevoke(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 3, 2)
	for v := uint64(1); v <= 3; v++ {
		r.attestBy(t, statement("prices", v, common.HexToHash("0xaa"), 5), 0, 1)
	}
	cases := []struct {
		name    string
		version uint64
		signers []int
		wantErr common.Hash
	}{
		{"k-1 stewards", 2, []int{0}, dr.DatasetRegistryInsufficientSignaturesErrorID()},
		{"k stewards", 2, []int{1, 2}, common.Hash{}},
		{"again", 2, []int{0, 1}, dr.DatasetRegistryAlreadyRevokedErrorID()},
		{"never attested", 9, []int{0, 1}, dr.DatasetRegistryNotAttestedErrorID()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := r.revoke(t, "prices", tc.version, "poisoned price feed", tc.signers...)
			if tc.wantErr != (common.Hash{}) {
				if got := revertID(t, err); got != selector(tc.wantErr) {
					t.Fatalf("reverted with %x, want %x (%v)", got, tc.wantErr[:4], err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	revoked, err := bind.Call(r.inst, nil, r.b.PackIsRevoked("prices", 2), r.b.UnpackIsRevoked)
	if err != nil || !revoked || r.isAttested(t, "prices", 2) {
		t.Fatalf("after revoke: isRevoked = %v (%v), isAttested = %v", revoked, err, r.isAttested(t, "prices", 2))
	}
	if !r.isAttested(t, "prices", 1) || !r.isAttested(t, "prices", 3) {
		t.Fatal("revoking version 2 touched versions 1 or 3")
	}
	latest, err := bind.Call(r.inst, nil, r.b.PackLatestVersion("prices"), r.b.UnpackLatestVersion)
	if err != nil || latest != 3 {
		t.Fatalf("latestVersion = %d, %v; want 3", latest, err)
	}
}

func TestRevokeReplay(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 3, 2)
	r.attestBy(t, statement("votes", 1, common.HexToHash("0x01"), 1), 0, 1)
	r.attestBy(t, statement("votes", 2, common.HexToHash("0x02"), 1), 0, 1)
	// Signatures for nonce 0 are good once; collected again for nonce 0 after it was
	// used, they no longer sign the digest.
	d := r.dom.revocationDigest(t, "votes", 1, "bad", 0)
	sigs := sign(t, d, r.keys(0, 1)...)
	if _, err := r.send(r.b.PackRevoke("votes", 1, "bad", sigs)); err != nil {
		t.Fatal(err)
	}
	d2 := r.dom.revocationDigest(t, "votes", 2, "bad", 0)
	_, err := r.send(r.b.PackRevoke("votes", 2, "bad", sign(t, d2, r.keys(0, 1)...)))
	if got := revertID(t, err); got != selector(dr.DatasetRegistryInvalidSignatureErrorID()) {
		t.Fatalf("stale-nonce revocation reverted with %x, want InvalidSignature", got)
	}
}

func TestStewardRotation(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 3, 2)
	accts := c.Accounts()
	// Replace steward 0 by account 4 (new set: stewards 1, 2 and account 4), k stays 2.
	next := []common.Address{r.stewards[1].Address, r.stewards[2].Address, accts[4].Address}
	update := func(stewards []common.Address, k uint64, idx ...int) error {
		d := r.dom.stewardUpdateDigest(t, stewards, k, r.nonce(t))
		_, err := r.send(r.b.PackUpdateStewards(stewards, u64(k), sign(t, d, r.keys(idx...)...)))
		return err
	}
	for _, tc := range []struct {
		name     string
		stewards []common.Address
		k        uint64
		wantErr  common.Hash
	}{
		{"threshold 0", next, 0, dr.DatasetRegistryInvalidThresholdErrorID()},
		{"threshold above n", next, 4, dr.DatasetRegistryInvalidThresholdErrorID()},
		{"duplicate steward", []common.Address{next[0], next[0]}, 1, dr.DatasetRegistryInvalidStewardErrorID()},
		{"zero steward", []common.Address{next[0], {}}, 1, dr.DatasetRegistryInvalidStewardErrorID()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := revertID(t, update(tc.stewards, tc.k, 0, 1)); got != selector(tc.wantErr) {
				t.Fatalf("reverted with %x, want %x", got, tc.wantErr[:4])
			}
		})
	}
	if got := revertID(t, update(next, 2, 0)); got != selector(dr.DatasetRegistryInsufficientSignaturesErrorID()) {
		t.Fatalf("update by k-1 stewards reverted with %x, want InsufficientSignatures", got)
	}
	oldSigs := sign(t, r.dom.stewardUpdateDigest(t, next, 2, r.nonce(t)), r.keys(0, 1)...)
	rcpt, err := r.send(r.b.PackUpdateStewards(next, u64(2), oldSigs))
	if err != nil {
		t.Fatalf("rotation by k stewards: %v", err)
	}
	ev, err := r.b.UnpackStewardsUpdatedEvent(rcpt.Logs[0])
	if err != nil || !slices.Equal(ev.Stewards, next) || ev.Threshold.Uint64() != 2 {
		t.Fatalf("StewardsUpdated = %+v, %v", ev, err)
	}
	got, err := bind.Call(r.inst, nil, r.b.PackStewards(), r.b.UnpackStewards)
	if err != nil || !slices.Equal(got, next) {
		t.Fatalf("stewards() = %v, %v; want %v", got, err, next)
	}
	// The same signatures cannot be replayed: the nonce moved on.
	_, err = r.send(r.b.PackUpdateStewards(next, u64(2), oldSigs))
	if id := revertID(t, err); id != selector(dr.DatasetRegistryInvalidSignatureErrorID()) {
		t.Fatalf("replayed update reverted with %x, want InvalidSignature", id)
	}
	r.checkRotated(t, accts[4])
}

// checkRotated checks that the removed steward 0 no longer counts and the new one does.
func (r *registry) checkRotated(t *testing.T, added testchain.Account) {
	t.Helper()
	st := statement("rotated", 1, common.HexToHash("0x0b"), 3)
	d := r.dom.statementDigest(t, st)
	_, err := r.attest(st, sign(t, d, r.stewards[0].Key, r.stewards[1].Key))
	if id := revertID(t, err); id != selector(dr.DatasetRegistryNotStewardErrorID()) {
		t.Fatalf("attest with a removed steward reverted with %x, want NotSteward", id)
	}
	if _, err := r.attest(st, sign(t, d, added.Key, r.stewards[2].Key)); err != nil {
		t.Fatalf("attest by the new set: %v", err)
	}
}

func TestDigestsMatchGo(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 3, 2)
	st := statement("digest/check", 7, common.HexToHash("0x77"), 123)
	onchain, err := bind.Call(r.inst, nil, r.b.PackStatementDigest(st), r.b.UnpackStatementDigest)
	if err != nil || !bytes.Equal(onchain[:], r.dom.statementDigest(t, st)) {
		t.Fatalf("statementDigest = %x (%v), Go computes %x", onchain, err, r.dom.statementDigest(t, st))
	}
	sh, err := bind.Call(r.inst, nil, r.b.PackStatementHash(st), r.b.UnpackStatementHash)
	if err != nil || !bytes.Equal(sh[:], statementStructHash(t, st)) {
		t.Fatalf("statementHash = %x (%v), Go computes %x", sh, err, statementStructHash(t, st))
	}
	rev, err := bind.Call(r.inst, nil, r.b.PackRevocationDigest("d", 3, "why", u64(5)), r.b.UnpackRevocationDigest)
	if err != nil || !bytes.Equal(rev[:], r.dom.revocationDigest(t, "d", 3, "why", 5)) {
		t.Fatalf("revocationDigest = %x (%v), Go computes %x", rev, err, r.dom.revocationDigest(t, "d", 3, "why", 5))
	}
	set := []common.Address{c.Accounts()[3].Address, c.Accounts()[4].Address}
	upd, err := bind.Call(r.inst, nil, r.b.PackStewardUpdateDigest(set, u64(1), u64(9)), r.b.UnpackStewardUpdateDigest)
	if err != nil || !bytes.Equal(upd[:], r.dom.stewardUpdateDigest(t, set, 1, 9)) {
		t.Fatalf("stewardUpdateDigest = %x (%v), Go computes %x", upd, err, r.dom.stewardUpdateDigest(t, set, 1, 9))
	}
	dom, err := bind.Call(r.inst, nil, r.b.PackEip712Domain(), r.b.UnpackEip712Domain)
	if err != nil || dom.Name != "groundtruth DatasetRegistry" || dom.Version != "1" ||
		dom.ChainId.Cmp(c.ChainID()) != 0 || dom.VerifyingContract != r.addr {
		t.Fatalf("eip712Domain = %+v, %v", dom, err)
	}
}

func TestAttestOnSimulatedBackend(t *testing.T) {
	c := testchain.StartSimulated(t)
	r := deployRegistry(t, c, 3, 2)
	st := statement("demo/prices", 1, common.HexToHash("0xd3"), 42)
	rcpt := r.attestBy(t, st, 0, 2)
	r.checkAttested(t, st, rcpt.Logs[0])
	_, err := r.attest(statement("demo/prices", 2, common.HexToHash("0xd4"), 43), r.signedBy(1)(t, st))
	if id := revertID(t, err); id != selector(dr.DatasetRegistryInsufficientSignaturesErrorID()) {
		t.Fatalf("1-of-3 on the simulated chain reverted with %x, want InsufficientSignatures", id)
	}
}
