package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/client"
)

// TestExample runs the example against a server of a version attested
// 2-of-3 on a registry on anvil.
func TestExample(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := store.Open(ctx, t.TempDir(), store.Options{Builder: datasets.BuilderOptions{SegmentRows: 200}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := datasetstest.VotesBatch(nil, 0, 500)
	w.Write(rec)
	rec.Release()
	m, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	mh, _ := m.Hash()
	b := registry.New(registry.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.Registry})
	st2 := attest.StatementOf(m, mh)
	var sigs []*attest.SignatureFile
	for _, k := range env.Stewards[:2] {
		f, err := b.Sign(ctx, k, st2, attest.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, f)
	}
	col := &attest.Collector{Backend: b, Policy: attest.Policy{Stewards: env.StewardAddrs(), Threshold: 2}, Catalog: st, Submitter: env.Submitter}
	if res, err := col.Collect(ctx, st2, sigs); err != nil || res.Status != attest.StatusAttested {
		t.Fatalf("attest: %v", err)
	}
	srv, err := serve.New(ctx, serve.Config{Catalog: st, CacheDir: t.TempDir(),
		Tokens: []serve.Token{{Name: "agent", SHA256: serve.HashToken("tok"), Scope: serve.Scope{Datasets: []string{"*"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	receipt := filepath.Join(t.TempDir(), "receipt.json")
	if err := run(ctx, hs.URL, "tok", env.Chain.RPCURL(), env.Registry.Hex(), "", 0, "0,499", receipt, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(receipt)
	if err != nil {
		t.Fatal(err)
	}
	r, err := client.ParseReceipt(raw)
	if err != nil || len(r.Reads) != 1 || len(r.Reads[0].Rows) != 2 || !r.Reads[0].Whole {
		t.Fatalf("receipt: %v %+v", err, r)
	}
}
