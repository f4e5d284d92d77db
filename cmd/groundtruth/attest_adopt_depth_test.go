package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestAttestAdoptWaitsForDepth: an attestation found on the chain (sent by
// a run that crashed before recording it) counts, like one sent now, only
// once its block is --confirmations deep, on anvil with manual mining. In
// "adopted" the record stays: attest waits through two blocks and records
// it after the third. In "reorged" the record's block is reverted
// (evm_snapshot/evm_revert) while attest waits: attest finds it gone, sends
// the attestation itself and records that once it is 3 deep.
func TestAttestAdoptWaitsForDepth(t *testing.T) {
	for _, reorg := range []bool{false, true} {
		name := map[bool]string{false: "adopted", true: "reorged"}[reorg]
		t.Run(name, func(t *testing.T) { adoptDepth(t, reorg) })
	}
}

func adoptDepth(t *testing.T, reorg bool) {
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e.seal(t, "votes", 0, 50)
	reg := e.registryFlags()
	s0, s1 := e.signFile(t, "votes@1", 0, reg...), e.signFile(t, "votes@1", 1, reg...)
	anvil := e.Chain.(*testchain.Anvil)
	rpc := func(result any, method string, args ...any) {
		t.Helper()
		if err := anvil.RPC().CallContext(ctx, result, method, args...); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	var snap hexutil.Big
	rpc(&snap, "evm_snapshot")
	var sigs []*attest.SignatureFile
	for _, p := range []string{s0, s1} {
		f, err := attest.ReadSignatureFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, f)
	}
	b := registry.New(registry.Config{Client: e.Chain.Client(), ChainID: e.ChainID, Address: e.Registry})
	sent, err := b.Submit(ctx, e.statement(t, "votes", 1), sigs, e.Submitter) // the run that died before recording
	if err != nil {
		t.Fatal(err)
	}
	rpc(nil, "evm_setAutomine", false)
	type outcome struct {
		out  string
		code int
	}
	done := make(chan outcome, 1)
	go func() {
		out, errOut, code := runCLI(t, e.env, append([]string{"--data-dir", e.data, "attest", "votes@1", "--signatures", s0 + "," + s1,
			"--from", e.gas, "--confirmations", "3", "--log-level", "info"}, reg...)...)
		done <- outcome{out + errOut, code}
	}()
	waiting := func(what string) {
		t.Helper()
		select {
		case o := <-done:
			t.Fatalf("attest ended (exit %d) %s:\n%s", o.code, what, o.out)
		case <-time.After(700 * time.Millisecond):
		}
	}
	waiting("with the record 1 block deep")
	rpc(nil, "evm_mine")
	waiting("with the record 2 blocks deep")
	if reorg {
		var ok bool
		rpc(&ok, "evm_revert", &snap)
		if e.chainAttested(ctx, t, "votes", 1) {
			t.Fatal("votes@1 is still attested after the revert")
		}
		for i := 0; i < 3; i++ { // the head passes the old record's depth: attest looks again
			rpc(nil, "evm_mine")
		}
		gas := e.Chain.Accounts()[0].Address
		for {
			pending, _ := anvil.EthClient().PendingNonceAt(ctx, gas)
			mined, _ := anvil.EthClient().NonceAt(ctx, gas, nil)
			if pending > mined {
				break
			}
			select {
			case o := <-done:
				t.Fatalf("attest ended (exit %d) before sending again:\n%s", o.code, o.out)
			case <-ctx.Done():
				t.Fatal("attest did not send the attestation after the reorg")
			case <-time.After(20 * time.Millisecond):
			}
		}
		rpc(nil, "evm_mine")
		rpc(nil, "evm_mine")
		waiting("with its own attestation 2 blocks deep")
	}
	rpc(nil, "evm_mine")
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		t.Fatal("attest did not end at 3 confirmations")
	}
	want := "votes@1 is attested on registry already (tx " + sent.TxHash.Hex()
	if reorg {
		want = "votes@1 attested on registry (2 of k = 2)"
	}
	if o.code != 0 || !strings.Contains(o.out, want) || !strings.Contains(o.out, "waiting for its confirmations") {
		t.Fatalf("attest: exit %d, want 0 with %q after waiting for confirmations:\n%s", o.code, want, o.out)
	}
	if reorg && !strings.Contains(o.out, "reorged out; looking again") {
		t.Fatalf("attest did not report the reorg:\n%s", o.out)
	}
	e.checkAttestedOnce(ctx, t, "votes")
}
