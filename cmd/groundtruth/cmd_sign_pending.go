package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// pendingVersion is a pending version a steward has not signed.
type pendingVersion struct {
	dataset string
	version uint64
}

// signPending signs, with the steward key at keyPath, every pending version
// of the data directory this steward has not signed for the backend,
// listing them first, and records the signatures in the catalog (the next
// attest or daemon run counts them).
func (a *app) signPending(ctx context.Context, f *attestFlags, keyPath string) error {
	st, err := a.openStore(ctx, "", false)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := f.dial(ctx)
	if err != nil {
		return err
	}
	defer c.close()
	b, err := f.newBackend(ctx, a, c, st.Root())
	if err != nil {
		return err
	}
	signer, err := f.loadKey(a, keyPath)
	if err != nil {
		return err
	}
	kind := b.Target().Backend
	todo, err := unsignedPending(ctx, st, kind, signer)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d pending version(s) not signed by %s on %s:\n", len(todo), signer.Address().Hex(), kind)
	for _, p := range todo {
		fmt.Fprintf(a.stdout, "  %s@%d\n", p.dataset, p.version)
	}
	for _, p := range todo {
		rec, err := st.Version(ctx, p.dataset, p.version)
		if err != nil {
			return err
		}
		stmt := attest.StatementOf(rec.Manifest, rec.ManifestHash)
		opts := attest.SignOptions{Validity: f.validity}
		if opts.RefUID, err = lineage(ctx, st, kind, stmt, signer.Address(), ""); err != nil {
			return err
		}
		sf, err := b.Sign(ctx, signer, stmt, opts)
		if err != nil {
			return fmt.Errorf("signing %s: %w", stmt.Ref(), err)
		}
		doc, err := json.Marshal(sf)
		if err != nil {
			return err
		}
		if err := st.PutSignature(ctx, p.dataset, p.version, kind, signer.Address().Hex(), doc); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "signed %s (root %s); recorded in the catalog\n", stmt.Ref(), stmt.MerkleRoot)
	}
	return nil
}

// unsignedPending lists the pending versions without an attest signature
// by signer for the backend kind, oldest first per dataset.
func unsignedPending(ctx context.Context, st *store.Store, kind string, signer attest.Signer) ([]pendingVersion, error) {
	ds, err := st.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	var out []pendingVersion
	for _, d := range ds {
		vs, err := st.Versions(ctx, d.Name)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.Status != attest.StatusPending {
				continue
			}
			docs, err := st.Signatures(ctx, d.Name, v.Version, kind)
			if err != nil {
				return nil, err
			}
			signed := false
			for _, doc := range docs {
				if f, err := attest.ParseSignatureFile(doc); err == nil && f.Signer == signer.Address() && f.Purpose == attest.PurposeAttest {
					signed = true
				}
			}
			if !signed {
				out = append(out, pendingVersion{dataset: d.Name, version: v.Version})
			}
		}
	}
	return out, nil
}
