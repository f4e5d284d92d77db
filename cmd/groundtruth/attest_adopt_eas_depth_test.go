package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestAttestAdoptEASWaitsForDepth is TestAttestAdoptWaitsForDepth's
// "adopted" case on the EAS backend: EAS attestations found on the chain
// (sent by a run that crashed before recording them) count only once the
// newest of them is --confirmations deep, on anvil with manual mining.
func TestAttestAdoptEASWaitsForDepth(t *testing.T) {
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e.seal(t, "votes", 0, 50)
	flags := e.easFlags("eas")
	s0, s1 := e.signFile(t, "votes@1", 0, flags...), e.signFile(t, "votes@1", 1, flags...)
	var sigs []*attest.SignatureFile
	for _, p := range []string{s0, s1} {
		f, err := attest.ReadSignatureFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, f)
	}
	b, err := eas.New(ctx, eas.Config{Client: e.Chain.Client(), ChainID: e.ChainID, Address: e.EAS.EAS})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := b.Submit(ctx, e.statement(t, "votes", 1), sigs, e.Submitter) // the run that died before recording
	if err != nil {
		t.Fatal(err)
	}
	anvil := e.Chain.(*testchain.Anvil)
	rpc := func(method string, args ...any) {
		t.Helper()
		if err := anvil.RPC().CallContext(ctx, nil, method, args...); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	rpc("evm_setAutomine", false)
	type outcome struct {
		out  string
		code int
	}
	done := make(chan outcome, 1)
	go func() {
		out, errOut, code := runCLI(t, e.env, append([]string{"--data-dir", e.data, "attest", "votes@1", "--signatures", s0 + "," + s1,
			"--from", e.gas, "--confirmations", "3", "--log-level", "info"}, flags...)...)
		done <- outcome{out + errOut, code}
	}()
	for _, deep := range []string{"1 block deep", "2 blocks deep"} {
		select {
		case o := <-done:
			t.Fatalf("attest ended (exit %d) with the attestations %s:\n%s", o.code, deep, o.out)
		case <-time.After(700 * time.Millisecond):
		}
		rpc("evm_mine")
	}
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		t.Fatal("attest did not end at 3 confirmations")
	}
	want := "votes@1 is attested on eas already (tx " + sent.TxHash.Hex()
	if o.code != 0 || !strings.Contains(o.out, want) || !strings.Contains(o.out, "waiting for its confirmations") {
		t.Fatalf("attest: exit %d, want 0 with %q after waiting for confirmations:\n%s", o.code, want, o.out)
	}
}
