package registry_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// safeEnv is a registry whose stewards are two keys and a 2-of-3 Safe, k = 2.
type safeEnv struct {
	env  *attesttest.Env
	safe *testchain.Safe
	b    *registry.Backend
}

func startSafeEnv(t *testing.T, ctx context.Context) *safeEnv {
	t.Helper()
	env := attesttest.StartEnv(t, 2, 2)
	d, err := testchain.DeploySafe(ctx, env.Chain)
	if err != nil {
		t.Fatal(err)
	}
	safe, err := d.NewSafe(ctx, env.Chain.Accounts()[5:8], 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := testchain.DeployRegistry(ctx, env.Chain, []common.Address{env.Stewards[0].Address(), env.Stewards[1].Address(), safe.Address}, 2)
	if err != nil {
		t.Fatal(err)
	}
	b := registry.New(registry.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: reg})
	return &safeEnv{env: env, safe: safe, b: b}
}

// safeSig is the Safe's signature of digest by the owners at idx.
func (e *safeEnv) safeSig(t *testing.T, ctx context.Context, digest common.Hash, owners ...int) []byte {
	t.Helper()
	sig, err := e.safe.Sign(ctx, digest, owners...)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// TestSafeMessageHash checks the Go SafeMessage hash against the Safe's own.
func TestSafeMessageHash(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := startSafeEnv(t, ctx)
	digest := attesttest.Statement("votes", 1).Digest(e.b.Domain())
	onchain, err := e.safe.MessageHash(ctx, digest)
	if err != nil {
		t.Fatal(err)
	}
	got, err := registry.SafeMessageHash(e.env.ChainID, e.safe.Address, digest)
	if err != nil || got != onchain {
		t.Fatalf("SafeMessageHash = %s (%v), the Safe's getMessageHashForSafe = %s", got.Hex(), err, onchain.Hex())
	}
}

// TestSafeSignatureChecks checks a Safe's signature off-chain the way the
// registry does: by asking the Safe.
func TestSafeSignatureChecks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := startSafeEnv(t, ctx)
	st := attesttest.Statement("votes", 1)
	digest := st.Digest(e.b.Domain())
	offline := registry.New(registry.Config{ChainID: e.env.ChainID, Address: e.b.Target().Contract})
	cases := []struct {
		name    string
		b       *registry.Backend
		signer  common.Address
		sig     []byte
		wantErr error // nil: valid
		detail  string
	}{
		{"2 of 3 owners", e.b, e.safe.Address, e.safeSig(t, ctx, digest, 0, 1), nil, ""},
		{"1 of 3 owners", e.b, e.safe.Address, e.safeSig(t, ctx, digest, 2), attest.ErrSignature, "rejects the signature"},
		{"another statement", e.b, e.safe.Address, e.safeSig(t, ctx, attesttest.Statement("votes", 2).Digest(e.b.Domain()), 0, 1), attest.ErrSignature, "rejects the signature"},
		{"offline", offline, e.safe.Address, e.safeSig(t, ctx, digest, 0, 1), attest.ErrUnverifiable, "unverifiable offline"},
		{"a key as a contract", e.b, e.env.Stewards[0].Address(), e.safeSig(t, ctx, digest, 0, 1), attest.ErrSignature, "has no code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.b.ImportContractSignature(ctx, tc.signer, st, tc.sig, nil)
			if err := checkErr(err, tc.wantErr, tc.detail); err != nil {
				t.Fatalf("import: %v", err)
			}
			if f == nil { // the file as another steward would send it
				f = attest.NewSignatureFile(attest.KindRegistry, st, tc.signer, e.env.ChainID, time.Time{})
				reg := e.b.Target().Contract
				f.Registry, f.Digest, f.Signature, f.Scheme = &reg, digest, tc.sig, attest.SchemeEIP1271
			}
			raw, err := f.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := attest.ParseSignatureFile(raw)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			_, err = tc.b.CheckSignature(ctx, back, st)
			if err := checkErr(err, tc.wantErr, tc.detail); err != nil {
				t.Fatalf("check: %v", err)
			}
		})
	}
}

// checkErr compares an error with the wanted sentinel and message part.
func checkErr(err, want error, detail string) error {
	switch {
	case want == nil && err != nil:
		return err
	case want != nil && (!errors.Is(err, want) || !strings.Contains(err.Error(), detail)):
		return errors.New("got " + errString(err) + ", want " + want.Error() + " containing " + detail)
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// TestSafeStewardAttestRevokeRotate attests with a key and the Safe,
// verifies, revokes with a key and the Safe, rotates the Safe out with its
// own signature and checks that its signature no longer counts.
func TestSafeStewardAttestRevokeRotate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := startSafeEnv(t, ctx)
	st := attesttest.Statement("votes", 1)
	key, err := e.b.Sign(ctx, e.env.Stewards[0], st, attest.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	safeFile, err := e.b.ImportContractSignature(ctx, e.safe.Address, st, e.safeSig(t, ctx, st.Digest(e.b.Domain()), 0, 2), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.b.Submit(ctx, st, []*attest.SignatureFile{safeFile, key}, e.env.Submitter); err != nil {
		t.Fatalf("attest with a key and the Safe: %v", err)
	}
	trust, _, err := e.b.TrustFromChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev := attest.NewEvidence(e.b.Target(), st)
	ev.Signatures = []*attest.SignatureFile{key, safeFile}
	rep, err := attest.Verify(ctx, attest.VerifyRequest{Backend: e.b, Data: st, Evidence: ev, Trust: trust, Chain: true})
	if err != nil || rep.Err() != nil || len(rep.Signers) != 2 {
		t.Fatalf("verify: %v %v signers %v %+v", err, rep.Err(), rep.Signers, rep.Checks)
	}

	checkSafeChanged(t, ctx, e, st, ev, trust)

	// Revoke with the second key and the Safe's revocation signature.
	n, err := e.b.Nonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	terms := &attest.RevocationTerms{Reason: "poisoned prices", Nonce: n}
	revDigest := registry.RevocationDigest(e.b.Domain(), st.Dataset, st.Version, terms.Reason, n)
	safeRev, err := e.b.ImportContractSignature(ctx, e.safe.Address, st, e.safeSig(t, ctx, revDigest, 1, 2), terms)
	if err != nil {
		t.Fatal(err)
	}
	ev.Signatures = append(ev.Signatures, safeRev)
	if _, err := e.b.Revoke(ctx, st, terms.Reason, ev, []attest.Signer{e.env.Stewards[1]}, e.env.Submitter); err != nil {
		t.Fatalf("revoke with a key and the Safe: %v", err)
	}
	if rc, err := e.b.CheckChain(ctx, st, ev, trust, time.Now()); err != nil || !rc.Revoked {
		t.Fatalf("after the revocation: %+v %v", rc, err)
	}

	rotateSafeOut(t, ctx, e)
	st2 := attesttest.Statement("votes", 2)
	key2, _ := e.b.Sign(ctx, e.env.Stewards[0], st2, attest.SignOptions{})
	safe2, err := e.b.ImportContractSignature(ctx, e.safe.Address, st2, e.safeSig(t, ctx, st2.Digest(e.b.Domain()), 0, 1), nil)
	if err != nil {
		t.Fatal(err) // the Safe still signs; the registry no longer counts it
	}
	trust, _, err = e.b.TrustFromChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev2 := attest.NewEvidence(e.b.Target(), st2)
	ev2.Signatures = []*attest.SignatureFile{key2, safe2}
	rep, err = attest.Verify(ctx, attest.VerifyRequest{Backend: e.b, Data: st2, Evidence: ev2, Trust: trust})
	if err != nil || !errors.Is(rep.Err(), attest.ErrInvalid) || !strings.Contains(rep.Err().Error(), "not an authorised steward") {
		t.Fatalf("verify after the rotation: %v %v", err, rep.Err())
	}
	if _, err := e.b.Submit(ctx, st2, ev2.Signatures, e.env.Submitter); err == nil || !strings.Contains(err.Error(), "NotSteward") {
		t.Fatalf("the rotated-out Safe's signature was accepted on-chain: %v", err)
	}
}

// rotateSafeOut replaces the Safe by the env's third key, signed by the
// first key and the Safe.
func rotateSafeOut(t *testing.T, ctx context.Context, e *safeEnv) {
	t.Helper()
	n, err := e.b.Nonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next := []common.Address{e.env.Stewards[0].Address(), e.env.Stewards[1].Address(), e.env.Stewards[2].Address()}
	u, err := registry.NewUpdate(e.env.ChainID, e.b.Target().Contract, next, 2, n)
	if err != nil {
		t.Fatal(err)
	}
	if err := u.AddContractSignature(ctx, e.env.Chain.Client(), e.safe.Address, e.safeSig(t, ctx, u.Digest, 2)); !errors.Is(err, attest.ErrSignature) {
		t.Fatalf("1-of-3 Safe signature of the update: %v", err)
	}
	if err := u.AddContractSignature(ctx, e.env.Chain.Client(), e.safe.Address, e.safeSig(t, ctx, u.Digest, 0, 2)); err != nil {
		t.Fatal(err)
	}
	sig, err := e.env.Stewards[0].SignHash(ctx, u.Digest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.AddSignature(sig); err != nil {
		t.Fatal(err)
	}
	if _, err := e.b.ApplyUpdate(ctx, u, e.env.Submitter); err != nil {
		t.Fatalf("rotation signed by a key and the Safe: %v", err)
	}
}

// checkSafeChanged raises the Safe's threshold to 3 (as its owners could):
// the Safe then rejects its 2-owner signature, verify with the chain still
// accepts the version (the registry checked the Safe when it recorded it),
// and without the chain it does not. The threshold is set back to 2.
func checkSafeChanged(t *testing.T, ctx context.Context, e *safeEnv, st attest.Statement, ev *attest.Evidence, trust attest.Trust) {
	t.Helper()
	setSafeThreshold(t, ctx, e, 3)
	defer setSafeThreshold(t, ctx, e, 2)
	rep, err := attest.Verify(ctx, attest.VerifyRequest{Backend: e.b, Data: st, Evidence: ev, Trust: trust, Chain: true})
	if err != nil || rep.Err() != nil {
		t.Fatalf("verify with the chain after the Safe changed: %v %v %+v", err, rep.Err(), rep.Checks)
	}
	var excused bool
	for _, c := range rep.Checks {
		excused = excused || strings.Contains(c.Detail, "not needed: the registry checked this contract steward's signature")
	}
	if !excused {
		t.Fatalf("the Safe's rejected signature is not reported: %+v", rep.Checks)
	}
	rep, err = attest.Verify(ctx, attest.VerifyRequest{Backend: e.b, Data: st, Evidence: ev, Trust: trust})
	if err != nil || !errors.Is(rep.Err(), attest.ErrInvalid) || !strings.Contains(rep.Err().Error(), "GS020") {
		t.Fatalf("verify without the chain after the Safe changed: %v %v", err, rep.Err())
	}
}

// setSafeThreshold writes the Safe's threshold (storage slot 4 of Safe 1.4.1).
func setSafeThreshold(t *testing.T, ctx context.Context, e *safeEnv, k int64) {
	t.Helper()
	var slot, val common.Hash
	slot[31], val[31] = 4, byte(k)
	if err := e.env.Chain.(*testchain.Anvil).RPC().CallContext(ctx, nil, "anvil_setStorageAt", e.safe.Address, slot, val); err != nil {
		t.Fatal(err)
	}
}
