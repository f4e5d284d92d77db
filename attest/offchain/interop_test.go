package offchain_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
)

// These tests check interoperability with the EAS SDK (scripts/eas-interop.mjs).

var (
	testEAS     = common.HexToAddress("0xA1207F3BBa224E2c9c3c6D5aF63D0eb1582Ce587")
	testChainID = uint64(31337)
)

func offlineBackend(t *testing.T) *offchain.Backend {
	t.Helper()
	b, err := offchain.New(context.Background(), offchain.Config{ChainID: testChainID, Address: testEAS, Version: "1.4.0"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decoded is what the script prints.
type decoded struct {
	OK      bool              `json:"ok"`
	UID     string            `json:"uid"`
	Decoded map[string]string `json:"decoded"`
}

func checkDecoded(t *testing.T, d decoded, st attest.Statement) {
	t.Helper()
	want := map[string]string{"dataset": st.Dataset, "version": "1", "merkleRoot": st.MerkleRoot.String(),
		"rowCount": "1000", "manifestHash": st.ManifestHash.String(), "reportHash": st.ReportHash.String()}
	for k, v := range want {
		if d.Decoded[k] != v {
			t.Errorf("SDK decoded %s = %q, want %q", k, d.Decoded[k], v)
		}
	}
}

func TestInteropStatementVector(t *testing.T) {
	out, code := attesttest.Node(t, "eas-interop.mjs", "vector", filepath.Join("attest", "testdata", "statement-vector.json"))
	if code != 0 || !strings.Contains(string(out), `"ok":true`) {
		t.Fatalf("ethers disagrees with the statement vector (exit %d): %s", code, out)
	}
}

func TestInteropSDKVerifiesGroundtruth(t *testing.T) {
	b := offlineBackend(t)
	st := attesttest.Statement("votes", 1)
	f, err := b.Sign(context.Background(), attesttest.StewardKey(0), st, attest.SignOptions{Validity: 24 * time.Hour, RefUID: common.HexToHash("0x01")})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, f.Offchain, 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := attesttest.Node(t, "eas-interop.mjs", "verify-offchain", good, testEAS.Hex(), "31337")
	var d decoded
	if code != 0 || json.Unmarshal(out, &d) != nil || !d.OK {
		t.Fatalf("the EAS SDK rejects groundtruth's off-chain attestation (exit %d): %s", code, out)
	}
	checkDecoded(t, d, st)

	// The SDK notices tampering and another chain.
	tampered := strings.Replace(string(f.Offchain), `"time":`, `"time":1`, 1)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(tampered), 0o644)
	if out, code := attesttest.Node(t, "eas-interop.mjs", "verify-offchain", bad, testEAS.Hex(), "31337"); code == 0 {
		t.Fatalf("the SDK accepted a tampered attestation: %s", out)
	}
	if out, code := attesttest.Node(t, "eas-interop.mjs", "verify-offchain", good, testEAS.Hex(), "1"); code == 0 {
		t.Fatalf("the SDK accepted an attestation of another chain: %s", out)
	}
}

func TestInteropGroundtruthVerifiesSDK(t *testing.T) {
	st := attesttest.Statement("votes", 1)
	req, _ := json.Marshal(map[string]any{
		"privateKey": "0x3ba6468a69cfe4c0770854e11eb4537e5d9766b4053fa0a52bff791eaa5a0399", "eas": testEAS.Hex(),
		"chainId": testChainID, "version": "1.4.0", "statement": st, "refUID": common.Hash{}.Hex(),
		"time": time.Now().Unix(), "expirationTime": 0, "salt": common.HexToHash("0x5a17").Hex(),
	})
	p := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(p, req, 0o600)
	out, code := attesttest.Node(t, "eas-interop.mjs", "sign-offchain", p)
	if code != 0 {
		t.Fatalf("SDK signing failed (exit %d): %s", code, out)
	}
	f, err := offchain.FileFromPackage(out, st.ParentRoot)
	if err != nil {
		t.Fatalf("groundtruth rejects the SDK's attestation: %v\n%s", err, out)
	}
	b := offlineBackend(t)
	sc, err := b.CheckSignature(context.Background(), f, st)
	if err != nil || sc.Signer != common.HexToAddress("0xD47Bc13836c424c30C01739f8007030C456cee32") {
		t.Fatalf("check: %v %v", sc, err)
	}
	trust := attest.Trust{Stewards: []common.Address{sc.Signer}, Threshold: 1, ChainID: testChainID, Contract: testEAS, Source: "test"}
	ev := attest.NewEvidence(b.Target(), st)
	ev.Signatures = append(ev.Signatures, f)
	rep, err := attest.Verify(context.Background(), attest.VerifyRequest{Backend: b, Data: st, Evidence: ev, Trust: trust})
	if err != nil || rep.Err() != nil {
		t.Fatalf("verify: %v %v %+v", err, rep.Err(), rep.Checks)
	}
	// The UID groundtruth computes is the SDK's.
	pkg, _ := offchain.ParsePackage(out)
	if uid, err := offchain.UID(pkg.Sig.Message); err != nil || uid.Hex() != pkg.Sig.UID {
		t.Fatalf("UID %s, SDK %s (%v)", uid.Hex(), pkg.Sig.UID, err)
	}
}
