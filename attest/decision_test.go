package attest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// TestDecisionVector signs the quarantine decision of docs/SPEC.md §12.6
// with the test-vector key and checks the digest and signature the
// specification prints (-update prints them).
func TestDecisionVector(t *testing.T) {
	key, err := crypto.HexToECDSA(vectorKeyHex)
	if err != nil {
		t.Fatal(err)
	}
	d := attest.Decision{Dataset: "comp_usd", Entry: "q3f5a0c2b9d1e4f60", RowKey: "2021-05-03T22:00:00.000000Z",
		Leaf:     common.HexToHash("0x3f570f443902da83adb5cf8dad402c27fde7413c97b16afddde584d8fe69146e"),
		Decision: "approved", Reason: "exchange outage, value checked", DecidedAt: 1735787045,
		Deployment: attest.Deployment{ChainID: 1, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}}
	sig, err := attest.SignDecision(context.Background(), attest.NewKeySigner(key), &d)
	if err != nil {
		t.Fatal(err)
	}
	if err := attest.VerifyDecision(d, sig); err != nil {
		t.Fatal(err)
	}
	typeHash := crypto.Keccak256Hash([]byte(attest.DecisionType))
	values := []string{attest.DecisionType, typeHash.Hex(), d.Digest().Hex(), "0x" + common.Bytes2Hex(sig)}
	if *update {
		t.Logf("vector for docs/SPEC.md:\n%s", strings.Join(values, "\n"))
	}
	spec, err := os.ReadFile(filepath.Join("..", "docs", "SPEC.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if !strings.Contains(string(spec), v) {
			t.Errorf("docs/SPEC.md does not show %s", v)
		}
	}
	tests := []struct {
		name   string
		change func(*attest.Decision)
	}{
		{"decision", func(d *attest.Decision) { d.Decision = "rejected" }},
		{"entry", func(d *attest.Decision) { d.Entry = "q0000000000000000" }},
		{"reason", func(d *attest.Decision) { d.Reason = "" }},
		{"time", func(d *attest.Decision) { d.DecidedAt++ }},
		{"steward", func(d *attest.Decision) { d.Steward = common.HexToAddress("0x01") }},
		{"leaf (the row's values)", func(d *attest.Decision) { d.Leaf[31] ^= 1 }},
		{"chain", func(d *attest.Decision) { d.Deployment.ChainID = 31337 }},
		{"contract", func(d *attest.Decision) { d.Deployment.Contract = common.HexToAddress("0x02") }},
	}
	for _, tc := range tests {
		changed := d
		tc.change(&changed)
		if err := attest.VerifyDecision(changed, sig); !errors.Is(err, attest.ErrSignature) {
			t.Errorf("%s changed: %v, want a signature error", tc.name, err)
		}
	}
}
