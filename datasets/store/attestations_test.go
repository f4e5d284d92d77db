package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func TestAttestationCatalog(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	s := openStore(t, root)
	seal(t, s, 0, 10, store.WriteOptions{})

	if err := s.PutSignature(ctx, "votes", 2, "registry", "0xA", []byte(`{}`)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("signature of a missing version: %v", err)
	}
	for _, doc := range []string{`{"n":1}`, `{"n":2}`} { // the second replaces the first
		if err := s.PutSignature(ctx, "votes", 1, "registry", "0xA", []byte(doc)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutSignatureFor(ctx, "votes", 1, "registry", "0xA", "revoke", []byte(`{"n":3}`)); err != nil {
		t.Fatal(err)
	}
	docs, err := s.Signatures(ctx, "votes", 1, "registry")
	if err != nil || len(docs) != 2 || string(docs[0]) != `{"n":2}` {
		t.Fatalf("signatures %q %v", docs, err)
	}
	if docs, _ := s.Signatures(ctx, "votes", 1, "eas"); len(docs) != 0 {
		t.Fatalf("eas signatures %q", docs)
	}

	for _, st := range []string{"pending", "attested"} {
		if err := s.SetVersionStatus(ctx, "votes", 1, st); err != nil {
			t.Fatal(err)
		}
		if ds, _ := s.Datasets(ctx); ds[0].Status != st {
			t.Fatalf("status %q, want %q", ds[0].Status, st)
		}
	}
	if err := s.PutAttestation(ctx, "votes", 1, "registry", "0xtx", []byte(`{"e":1}`)); err != nil {
		t.Fatal(err)
	}
	if docs, _ := s.Attestations(ctx, "votes", 1, ""); len(docs) != 1 {
		t.Fatalf("attestations %q", docs)
	}
	if err := s.PutRevocation(ctx, "votes", 1, store.RevocationRecord{Backend: "registry", Reason: "poisoned", RevokedBy: "0xA"}); err != nil {
		t.Fatal(err)
	}
	// A revoked version stays revoked.
	if err := s.SetVersionStatus(ctx, "votes", 1, "attested"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.VersionStatus(ctx, "votes", 1); st != "revoked" {
		t.Fatalf("status after revocation: %q", st)
	}
	if rs, _ := s.Revocations(ctx, "votes", 1); len(rs) != 1 || rs[0].Reason != "poisoned" {
		t.Fatalf("revocations %+v", rs)
	}
	if err := s.PutStewardKey(ctx, store.StewardKey{Address: "0xA", Name: "alice", Keystore: "/k/alice.json"}); err != nil {
		t.Fatal(err)
	}
	if ks, _ := s.StewardKeys(ctx); len(ks) != 1 || ks[0].Name != "alice" {
		t.Fatalf("keys %+v", ks)
	}
	// The tables survive a reopen (the DDL is idempotent).
	s.Close()
	s = openStore(t, root)
	if docs, _ := s.Signatures(ctx, "votes", 1, "registry"); len(docs) != 2 {
		t.Fatalf("after reopen: %q", docs)
	}
}
