package serve_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

// Test tokens: their hashes are configured, the texts sent.
const (
	tokenAll   = "gt-test-token-all"
	tokenVotes = "gt-test-token-votes"
	tokenOther = "gt-test-token-other"
)

// fixture is a store with votes@1 and votes@2 attested, votes@3 pending and
// other@1 sealed only, and a server over it.
type fixture struct {
	st   *store.Store
	srv  *serve.Server
	http *httptest.Server
	m    map[string]*datasets.Manifest
}

func openTestStore(t testing.TB, root string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), root, store.Options{Builder: datasets.BuilderOptions{SegmentRows: 300, BatchRows: 64}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// seal writes votes-like rows [from, to) as a new version of dataset.
func seal(t testing.TB, s *store.Store, dataset string, from, to int) *datasets.Manifest {
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

// markAttested records made-up evidence of an attestation (no chain).
func markAttested(t testing.TB, s *store.Store, m *datasets.Manifest) {
	servetest.MarkAttested(t, s, m)
}

func newFixture(t testing.TB, cfg serve.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{st: openTestStore(t, t.TempDir()), m: map[string]*datasets.Manifest{}}
	t.Cleanup(func() { f.st.Close() })
	f.m["votes@1"] = seal(t, f.st, "votes", 0, 1000)
	f.m["votes@2"] = seal(t, f.st, "votes", 1000, 1750)
	f.m["votes@3"] = seal(t, f.st, "votes", 1750, 2000)
	f.m["other@1"] = seal(t, f.st, "other", 0, 10)
	markAttested(t, f.st, f.m["votes@1"])
	markAttested(t, f.st, f.m["votes@2"])
	if err := f.st.SetVersionStatus(ctx, "votes", 3, attest.StatusPending); err != nil {
		t.Fatal(err)
	}
	cfg.Catalog = f.st
	if cfg.Tokens == nil {
		cfg.Tokens = []serve.Token{
			{Name: "all", SHA256: serve.HashToken(tokenAll), Scope: serve.Scope{Datasets: []string{"*"}, Rate: 10000}},
			{Name: "votes", SHA256: serve.HashToken(tokenVotes), Scope: serve.Scope{Datasets: []string{"votes"}, Rate: 10000}},
			{Name: "other", SHA256: serve.HashToken(tokenOther), Scope: serve.Scope{Datasets: []string{"other"}, Rate: 10000}},
		}
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = t.TempDir()
	}
	srv, err := serve.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	f.http = httptest.NewServer(srv.Handler())
	t.Cleanup(func() { f.http.Close(); srv.Close() })
	return f
}

// get sends a GET with a token ("" for none) and extra headers (name, value pairs).
func (f *fixture) get(t testing.TB, token, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.http.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := f.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// apiErr decodes an error envelope.
func apiErr(t testing.TB, b []byte) api.Error {
	t.Helper()
	var e api.Error
	if err := json.Unmarshal(b, &e); err != nil || e.Status == 0 {
		t.Fatalf("not an error envelope: %s", strings.TrimSpace(string(b)))
	}
	return e
}
