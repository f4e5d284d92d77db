// Package servetest holds test helpers of the serve packages: a store with
// votes-like versions, and their attestation on a local chain (anvil) with a
// 2-of-3 DatasetRegistry. It is imported by tests only.
package servetest

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// OpenStore opens a store with small segments (300 rows, batches of 64),
// closed when the test ends.
func OpenStore(t testing.TB, root string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), root, store.Options{Builder: datasets.BuilderOptions{SegmentRows: 300, BatchRows: 64}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Seal writes votes-like rows [from, to) as a new version of dataset.
func Seal(t testing.TB, s *store.Store, dataset string, from, to int) *datasets.Manifest {
	t.Helper()
	w, err := s.Begin(context.Background(), dataset, datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for off := from; off < to; off += 100 {
		rec := datasetstest.VotesBatch(nil, off, min(100, to-off))
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	m, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Registry returns the registry backend of env.
func Registry(env *attesttest.Env) *registry.Backend {
	return registry.New(registry.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.Registry})
}

// Attest has stewards 0 and 1 of env sign m and submits the attestation to
// the registry through the Collector, which records the evidence and the
// attested status in s.
func Attest(t testing.TB, env *attesttest.Env, s *store.Store, m *datasets.Manifest) *attest.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	mh, err := m.Hash()
	if err != nil {
		t.Fatal(err)
	}
	st := attest.StatementOf(m, mh)
	b := Registry(env)
	var sigs []*attest.SignatureFile
	for _, k := range env.Stewards[:2] {
		f, err := b.Sign(ctx, k, st, attest.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, f)
	}
	c := &attest.Collector{Backend: b, Policy: attest.Policy{Stewards: env.StewardAddrs(), Threshold: env.K}, Catalog: s, Submitter: env.Submitter}
	res, err := c.Collect(ctx, st, sigs)
	if err != nil || res.Status != attest.StatusAttested {
		t.Fatalf("attesting %s@%d: %v %+v", m.Dataset, m.Version, err, res)
	}
	return res
}

// Revoke revokes m on the registry (stewards 0 and 2).
func Revoke(t testing.TB, env *attesttest.Env, m *datasets.Manifest, reason string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	mh, _ := m.Hash()
	if _, err := Registry(env).Revoke(ctx, attest.StatementOf(m, mh), reason, nil, []attest.Signer{env.Stewards[0], env.Stewards[2]}, env.Submitter); err != nil {
		t.Fatal(err)
	}
}

// MarkAttested records made-up evidence of an attestation of m on a
// registry at 0x5FbDB2315678afecb367f032d93F642f64180aa3 on chain 31337
// (nothing on any chain) and sets m's status to attested.
func MarkAttested(t testing.TB, s *store.Store, m *datasets.Manifest) {
	t.Helper()
	ctx := context.Background()
	mh, err := m.Hash()
	if err != nil {
		t.Fatal(err)
	}
	ev := attest.NewEvidence(attest.Target{Backend: attest.KindRegistry, ChainID: 31337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}, attest.StatementOf(m, mh))
	tx := common.BytesToHash(mh[:])
	ev.Receipts = append(ev.Receipts, &attest.Receipt{Backend: attest.KindRegistry, TxHash: tx, Block: 7})
	doc, err := ev.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutAttestation(ctx, m.Dataset, m.Version, attest.KindRegistry, tx.Hex(), doc); err != nil {
		t.Fatal(err)
	}
	if err := s.SetVersionStatus(ctx, m.Dataset, m.Version, attest.StatusAttested); err != nil {
		t.Fatal(err)
	}
}
