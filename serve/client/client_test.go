package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
	"github.com/groundtruth-dao/groundtruth/serve/client"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

// tamper is a server double: the real server's answers, rewritten by edit
// for the paths it matches.
type tamper struct {
	mu   sync.Mutex
	next http.Handler
	edit func(path string, h http.Header, body []byte) []byte
}

func (t *tamper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.mu.Lock()
	edit := t.edit
	t.mu.Unlock()
	if edit == nil {
		t.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	t.next.ServeHTTP(rec, r)
	body := edit(r.URL.Path+"?"+r.URL.RawQuery, rec.Header(), rec.Body.Bytes())
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	w.Write(body)
}

func (t *tamper) set(edit func(path string, h http.Header, body []byte) []byte) {
	t.mu.Lock()
	t.edit = edit
	t.mu.Unlock()
}

type env struct {
	chain  *attesttest.Env
	m      map[string]*datasets.Manifest
	tamper *tamper
	url    string
	ver    client.Verifier
}

// setup attests votes@1 and votes@2 2-of-3 on a registry on anvil; votes@3
// is sealed only, but marked attested in the catalog (a server that lies).
func setup(t *testing.T) *env {
	e := &env{chain: attesttest.StartEnv(t, 3, 2), m: map[string]*datasets.Manifest{}}
	st := servetest.OpenStore(t, t.TempDir())
	e.m["votes@1"] = servetest.Seal(t, st, "votes", 0, 1000)
	servetest.Attest(t, e.chain, st, e.m["votes@1"])
	e.m["votes@2"] = servetest.Seal(t, st, "votes", 1000, 1600)
	servetest.Attest(t, e.chain, st, e.m["votes@2"])
	e.m["votes@3"] = servetest.Seal(t, st, "votes", 1600, 1700)
	fakeAttested(t, st, e.m["votes@3"], e.chain)
	srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: t.TempDir(), Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 10000}})
	if err != nil {
		t.Fatal(err)
	}
	e.tamper = &tamper{next: srv.Handler()}
	hs := httptest.NewServer(e.tamper)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	e.url = hs.URL
	v, closeV, err := client.NewRegistryVerifier(context.Background(), e.chain.Chain.RPCURL(), e.chain.Registry, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeV)
	e.ver = v
	return e
}

// fakeAttested records evidence copied from votes@2's real attestation but
// with votes@3's statement, as a lying catalog would.
func fakeAttested(t *testing.T, st interface {
	PutAttestation(context.Context, string, uint64, string, string, []byte) error
	SetVersionStatus(context.Context, string, uint64, string) error
}, m *datasets.Manifest, chain *attesttest.Env) {
	mh, _ := m.Hash()
	ev := attest.NewEvidence(attest.Target{Backend: attest.KindRegistry, ChainID: chain.ChainID, Contract: chain.Registry}, attest.StatementOf(m, mh))
	ev.Receipts = append(ev.Receipts, &attest.Receipt{Backend: attest.KindRegistry})
	doc, _ := ev.Marshal()
	ctx := context.Background()
	if err := st.PutAttestation(ctx, "votes", m.Version, attest.KindRegistry, "0xfake", doc); err != nil {
		t.Fatal(err)
	}
	if err := st.SetVersionStatus(ctx, "votes", m.Version, attest.StatusAttested); err != nil {
		t.Fatal(err)
	}
}

func (e *env) client(t *testing.T) *client.Client {
	c, err := client.New(client.Config{BaseURL: e.url, Verifier: e.ver, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClient(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	t.Run("honest server", func(t *testing.T) {
		e.tamper.set(nil)
		c := e.client(t)
		r, v, err := c.Fetch(ctx, "votes", 2)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for r.Next() {
			rows += int(r.RecordBatch().NumRows())
		}
		r.Release()
		if v.Version != 2 || rows != 1600 || v.Report.Err() != nil || len(v.Report.Signers) != 2 {
			t.Fatalf("fetched %s@%d: %d rows, report %+v", v.Dataset, v.Version, rows, v.Report)
		}
		row, err := c.Row(ctx, "votes", 2, 1234)
		if err != nil {
			t.Fatal(err)
		}
		if w, _ := row.Values.Get("weight"); w != datasetstest.WeightString(1234) {
			t.Fatalf("weight %v", w)
		}
		key := map[string]string{}
		for _, k := range []string{"chain_id", "tx_hash", "log_index"} {
			v, _ := row.Values.Get(k)
			key[k] = fmt.Sprint(v) // a JSON number (log_index) or a string
		}
		if byKey, err := c.RowByKey(ctx, "votes", 2, key); err != nil || byKey.Index != 1234 {
			t.Fatalf("by key: %v", err)
		}
		if _, err := c.Consistency(ctx, "votes", 1, 2); err != nil {
			t.Fatal(err)
		}
		// A receipt of the decision verifies later without the server; a
		// tampered one does not.
		rc := c.NewReceipt("decision 42: vote for proposal 7")
		rc.AddRow(row)
		rc.AddVersion(v)
		b, err := rc.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := client.ParseReceipt(b)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := client.VerifyReceipt(ctx, back, e.ver)
		if err != nil || rep.Err() != nil {
			t.Fatalf("receipt: %v %v", err, rep.Err())
		}
		forged, _ := client.ParseReceipt(bytes.Replace(b, []byte(datasetstest.WeightString(1234)), []byte("1"), 1))
		if rep, err := client.VerifyReceipt(ctx, forged, e.ver); err != nil || rep.Err() == nil || !strings.Contains(rep.Err().Error(), "rows[0]") {
			t.Fatalf("forged receipt: %v %v", err, rep)
		}
	})
	for _, tc := range []struct {
		name string
		edit func(path string, h http.Header, body []byte) []byte
		call func(c *client.Client) error
		want error
		says string
	}{
		{"flipped byte in a segment", func(p string, h http.Header, b []byte) []byte {
			if strings.Contains(p, "/segments/") && len(b) > 100 {
				b[100] ^= 1
			}
			return b
		}, fetch(2), client.ErrSegment, "segments[0]"},
		{"swapped segment", func(p string, h http.Header, b []byte) []byte {
			if strings.Contains(p, "/segments/"+e.m["votes@2"].Segments[1].SHA256.Hex()) {
				return mustGet(t, e.url+"/v1/datasets/votes/versions/2/segments/"+e.m["votes@2"].Segments[2].SHA256.Hex())
			}
			return b
		}, fetch(2), client.ErrSegment, "segments[1]"},
		{"unattested version", nil, fetch(3), client.ErrNotAttested, "has no attestation"},
		{"latest is unattested", nil, fetch(0), client.ErrNotAttested, "votes@3"},
		{"manifest of another version", func(p string, h http.Header, b []byte) []byte {
			if strings.HasSuffix(p, "/versions/2/manifest?") {
				mb := mustGet(t, e.url+"/v1/datasets/votes/versions/1/manifest")
				mh := datasets.Hash(sha256Sum(mb))
				h.Set(api.HeaderManifestHash, mh.String())
				return mb
			}
			return b
		}, fetch(2), client.ErrMismatch, "the manifest is votes@1"},
		{"manifest hash header lies", func(p string, h http.Header, b []byte) []byte {
			if strings.HasSuffix(p, "/manifest?") {
				h.Set(api.HeaderManifestHash, e.m["votes@1"].MerkleRoot.String())
			}
			return b
		}, fetch(2), client.ErrManifestHash, "hashes to"},
		{"forged manifest root", func(p string, h http.Header, b []byte) []byte {
			if strings.HasSuffix(p, "/versions/2/manifest?") {
				b = bytes.Replace(b, []byte(e.m["votes@2"].MerkleRoot.Hex()), []byte(e.m["votes@1"].MerkleRoot.Hex()), 1)
				h.Set(api.HeaderManifestHash, datasets.Hash(sha256Sum(b)).String())
			}
			return b
		}, fetch(2), client.ErrNotAttested, "statement"},
		{"flipped row value", func(p string, h http.Header, b []byte) []byte {
			return bytes.Replace(b, []byte(`"support":`), []byte(`"support":9`), 1) // a uint8, a JSON number
		}, row(2, 77), client.ErrProof, "hash to leaf"},
		{"wrong proof path", func(p string, h http.Header, b []byte) []byte {
			if strings.Contains(p, "/rows/") {
				i := bytes.Index(b, []byte(`"path":["0x`)) + len(`"path":["0x`)
				b[i] = map[byte]byte{'0': '1'}[b[i]] | '0'
			}
			return b
		}, row(2, 77), client.ErrProof, "inclusion"},
		{"another row", func(p string, h http.Header, b []byte) []byte {
			if strings.Contains(p, "/rows/77") {
				return mustGet(t, e.url+"/v1/datasets/votes/versions/2/rows/78")
			}
			return b
		}, row(2, 77), client.ErrMismatch, "got row 78"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.tamper.set(tc.edit)
			defer e.tamper.set(nil)
			err := tc.call(e.client(t))
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v mentioning %q", err, tc.want, tc.says)
			}
			t.Logf("caught: %v", err)
		})
	}
}

func fetch(version uint64) func(c *client.Client) error {
	return func(c *client.Client) error {
		r, _, err := c.Fetch(context.Background(), "votes", version)
		if r != nil {
			r.Release()
		}
		return err
	}
}

func row(version, index uint64) func(c *client.Client) error {
	return func(c *client.Client) error {
		_, err := c.Row(context.Background(), "votes", version, index)
		return err
	}
}
