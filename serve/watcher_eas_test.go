package serve_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

// TestWatcherEAS attests a version 2-of-3 on EAS (one attestation per
// steward), serves it, and checks that one steward revoking their
// attestation stops serving it within one poll.
func TestWatcherEAS(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := eas.New(ctx, eas.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.EAS.EAS})
	if err != nil {
		t.Fatal(err)
	}
	st := servetest.OpenStore(t, t.TempDir())
	m := servetest.Seal(t, st, "votes", 0, 300)
	mh, _ := m.Hash()
	stmt := attest.StatementOf(m, mh)
	var sigs []*attest.SignatureFile
	for _, k := range env.Stewards[:2] {
		f, err := b.Sign(ctx, k, stmt, attest.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, f)
	}
	col := &attest.Collector{Backend: b, Policy: attest.Policy{Stewards: env.StewardAddrs(), Threshold: 2}, Catalog: st, Submitter: env.Submitter}
	res, err := col.Collect(ctx, stmt, sigs)
	if err != nil || res.Status != attest.StatusAttested {
		t.Fatalf("attest on EAS: %v", err)
	}
	eth, err := ethclient.Dial(env.Chain.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	const interval = 300 * time.Millisecond
	w := serve.NewWatcher(serve.WatcherConfig{Chain: eth, Backend: attest.KindEAS, Contract: env.EAS.EAS, Checker: b})
	r := runServer(t, serve.Config{Catalog: st, Watcher: w, Interval: interval, CacheDir: t.TempDir()})
	if code, e := r.status(t, "/v1/datasets/votes/versions/1/rows/7"); code != 200 {
		t.Fatalf("before the revocation: %d %+v", code, e)
	}
	if _, err := b.Revoke(ctx, stmt, "source retracted", res.Evidence, []attest.Signer{env.Stewards[1]}, env.Submitter); err != nil {
		t.Fatal(err)
	}
	revoked := time.Now()
	for time.Since(revoked) < interval+2*time.Second {
		if code, e := r.status(t, "/v1/datasets/votes/versions/1/rows/7"); code == 403 {
			if e.ErrorType != "revoked" || !strings.Contains(e.Error, env.Stewards[1].Address().Hex()) {
				t.Fatalf("refusal: %+v", e)
			}
			t.Logf("EAS revocation noticed after %v", time.Since(revoked))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("an EAS revocation did not stop serving")
}
