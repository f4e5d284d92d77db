package clientinterop

import (
	"context"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

// attestOnEAS adds the EAS part of the world, on the EAS contract of env:
// easvotes@1 (rows 0-199) attested on-chain 2-of-3 (one attestation per
// steward), easgone@1 (0-99) attested on-chain and then revoked by one
// steward, offvotes@1 (0-149) attested off-chain 2-of-3 and offgone@1
// (0-99) attested off-chain and then revoked (revokeOffchain). The catalog
// records all four as attested: the server follows no chain.
func attestOnEAS(t *testing.T, env *attesttest.Env, st *store.Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	on, err := eas.New(ctx, eas.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.EAS.EAS})
	if err != nil {
		t.Fatal(err)
	}
	off, err := offchain.New(ctx, offchain.Config{Client: env.Chain.Client(), ChainID: env.ChainID, Address: env.EAS.EAS})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		name    string
		rows    int
		backend attest.Backend
		revoke  bool
	}{{"easvotes", 200, on, false}, {"easgone", 100, on, true}, {"offvotes", 150, off, false}, {"offgone", 100, off, true}} {
		m := servetest.Seal(t, st, d.name, 0, d.rows)
		mh, _ := m.Hash()
		stmt := attest.StatementOf(m, mh)
		var sigs []*attest.SignatureFile
		for _, k := range env.Stewards[:2] {
			f, err := d.backend.Sign(ctx, k, stmt, attest.SignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sigs = append(sigs, f)
		}
		col := &attest.Collector{Backend: d.backend, Policy: attest.Policy{Stewards: env.StewardAddrs(), Threshold: 2}, Catalog: st, Submitter: env.Submitter}
		res, err := col.Collect(ctx, stmt, sigs)
		if err != nil || res.Status != attest.StatusAttested {
			t.Fatalf("attesting %s: %v %+v", d.name, err, res)
		}
		if d.revoke {
			if _, err := d.backend.Revoke(ctx, stmt, "test: revoked on EAS", res.Evidence, []attest.Signer{env.Stewards[1]}, env.Submitter); err != nil {
				t.Fatal(err)
			}
		}
	}
}
