package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestAttestReorg attests votes@1 with --confirmations 3 on anvil with
// manual mining. The attestation is mined, then its block is reverted
// (evm_snapshot/evm_revert) before it is 3 deep: attest sends the
// transaction again, and once it is 3 deep records the version attested,
// once: one Attested event on the canonical chain, the catalog's receipt
// naming it.
func TestAttestReorg(t *testing.T) {
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e.seal(t, "votes", 0, 50)
	reg := e.registryFlags()
	s1 := e.signFile(t, "votes@1", 1, reg...)
	anvil := e.Chain.(*testchain.Anvil)
	rpc := func(result any, method string, args ...any) {
		t.Helper()
		if err := anvil.RPC().CallContext(ctx, result, method, args...); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	rpc(nil, "evm_setAutomine", false)
	var snap hexutil.Big
	rpc(&snap, "evm_snapshot")
	type outcome struct {
		out  string
		code int
	}
	done := make(chan outcome, 1)
	go func() {
		out, errOut, code := runCLI(t, e.env, append([]string{"--data-dir", e.data, "attest", "votes@1", "--key", e.stewardKeys[0],
			"--signatures", s1, "--from", e.gas, "--confirmations", "3", "--log-level", "info"}, reg...)...)
		done <- outcome{out + errOut, code}
	}()
	gas := e.Chain.Accounts()[0].Address
	inPool := func() bool {
		pending, _ := anvil.EthClient().PendingNonceAt(ctx, gas)
		mined, _ := anvil.EthClient().NonceAt(ctx, gas, nil)
		return pending > mined
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for !cond() {
			select {
			case o := <-done:
				t.Fatalf("attest ended (exit %d) while waiting for %s:\n%s", o.code, what, o.out)
			case <-ctx.Done():
				t.Fatalf("timed out waiting for %s", what)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	waitFor("the attestation in the pool", inPool)
	rpc(nil, "evm_mine")
	if !e.chainAttested(ctx, t, "votes", 1) {
		t.Fatal("the mined block does not attest votes@1")
	}
	var ok bool
	rpc(&ok, "evm_revert", &snap)
	if e.chainAttested(ctx, t, "votes", 1) {
		t.Fatal("votes@1 is still attested after the revert")
	}
	waitFor("the attestation sent again", inPool)
	for i := 0; i < 3; i++ {
		rpc(nil, "evm_mine")
	}
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		t.Fatal("attest did not end after 3 blocks")
	}
	if o.code != 0 || !strings.Contains(o.out, "sent it again") {
		t.Fatalf("attest: exit %d, want 0 with the transaction sent again:\n%s", o.code, o.out)
	}
	e.checkAttestedOnce(ctx, t, "votes")
}
