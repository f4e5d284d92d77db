package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestAttestAdoptsChainRecord is the crash the issue measured: the
// transaction was mined but the process died before recording it, so the
// chain says attested and the catalog sealed. A retry adopts the record
// (registry and EAS) instead of failing with AlreadyAttested forever.
func TestAttestAdoptsChainRecord(t *testing.T) {
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e.seal(t, "votes", 0, 200)
	stmt := e.statement(t, "votes", 1)
	signed := func(flags []string, who ...int) ([]*attest.SignatureFile, string) {
		var out []*attest.SignatureFile
		var paths []string
		for _, i := range who {
			p := filepath.Join(e.dir, flags[1]+"-"+e.Stewards[i].Address().Hex()+".json")
			e.must(t, 0, append([]string{"sign", "votes@1", "--key", e.stewardKeys[i], "-o", p}, flags...)...)
			f, err := attest.ReadSignatureFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out, paths = append(out, f), append(paths, p)
		}
		return out, strings.Join(paths, ",")
	}
	cases := []struct {
		name    string
		flags   []string
		backend func() (attest.Backend, error)
	}{
		{"registry", e.registryFlags(), func() (attest.Backend, error) {
			return registry.New(registry.Config{Client: e.Chain.Client(), ChainID: e.ChainID, Address: e.Registry}), nil
		}},
		{"eas", e.easFlags("eas"), func() (attest.Backend, error) {
			return eas.New(ctx, eas.Config{Client: e.Chain.Client(), ChainID: e.ChainID, Address: e.EAS.EAS})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sigs, files := signed(c.flags, 0, 1)
			b, err := c.backend()
			if err != nil {
				t.Fatal(err)
			}
			sent, err := b.Submit(ctx, stmt, sigs, e.Submitter) // the run that died before recording
			if err != nil {
				t.Fatal(err)
			}
			out := e.must(t, 0, append([]string{"attest", "votes@1", "--signatures", files, "--from", e.gas}, c.flags...)...)
			want := "votes@1 is attested on " + c.name + " already (tx " + sent.TxHash.Hex()
			if !strings.Contains(out, want) {
				t.Fatalf("attest after the crash lacks %q:\n%s", want, out)
			}
			if out := e.must(t, 0, append([]string{"verify", "votes@1"}, c.flags...)...); !strings.Contains(out, "votes@1 attested: 2 of k = 2") {
				t.Fatalf("verify after adoption:\n%s", out)
			}
			if out := e.must(t, 0, append([]string{"attest", "votes@1"}, c.flags...)...); !strings.Contains(out, "already attested on "+c.name+" (tx "+sent.TxHash.Hex()) {
				t.Fatalf("attest again:\n%s", out)
			}
		})
	}
}

// statement reads the statement of a sealed version from the catalog.
func (e *attestEnv) statement(t *testing.T, dataset string, version uint64) attest.Statement {
	t.Helper()
	ctx := context.Background()
	cat, err := store.Open(ctx, e.data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	rec, err := cat.Version(ctx, dataset, version)
	if err != nil {
		t.Fatal(err)
	}
	return attest.StatementOf(rec.Manifest, rec.ManifestHash)
}
