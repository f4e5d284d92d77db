package serve_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// TestOnlyAttestedListed lists datasets: only attested versions appear, a
// dataset without one is left out, latest is the latest attested version.
func TestOnlyAttestedListed(t *testing.T) {
	f := newFixture(t, serve.Config{})
	resp, b := f.get(t, tokenAll, "/v1/datasets")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var list api.DatasetList
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Datasets) != 1 || list.Datasets[0].Name != "votes" || list.Datasets[0].Latest != 2 || len(list.Datasets[0].Versions) != 2 {
		t.Fatalf("listing: %s", b)
	}
	for i, v := range list.Datasets[0].Versions {
		m := f.m[v.Dataset+"@"+[]string{"1", "2"}[i]]
		mh, _ := m.Hash()
		if v.Version != uint64(i+1) || v.MerkleRoot != m.MerkleRoot || v.ManifestHash != mh || v.Attestation.Backend != "registry" || len(v.Attestation.TxHashes) != 1 {
			t.Errorf("version %d: %+v", i+1, v)
		}
	}
	// latest resolves to votes@2 and carries the receipt headers.
	resp, b = f.get(t, tokenAll, "/v1/datasets/votes/versions/latest")
	var v api.Version
	if err := json.Unmarshal(b, &v); err != nil || v.Version != 2 || resp.Header.Get(api.HeaderVersion) != "2" ||
		resp.Header.Get(api.HeaderRoot) != f.m["votes@2"].MerkleRoot.String() || !strings.HasPrefix(resp.Header.Get(api.HeaderAttestation), "registry:31337:") {
		t.Fatalf("latest: %d %s %v", resp.StatusCode, b, resp.Header)
	}
	if mm, err := datasets.ParseManifest(v.Manifest); err != nil || mm.MerkleRoot != f.m["votes@2"].MerkleRoot {
		t.Fatalf("manifest in the version document: %v", err)
	}
}

// TestBadRequests sends requests that must be refused with a clear 4xx and
// the JSON envelope.
func TestBadRequests(t *testing.T) {
	f := newFixture(t, serve.Config{})
	for _, tc := range []struct {
		name, token, path string
		headers           []string
		status            int
		kind, says        string
	}{
		{"pending version", tokenAll, "/v1/datasets/votes/versions/3/data", nil, 403, "pending", "pending"},
		{"pending row", tokenAll, "/v1/datasets/votes/versions/3/rows/1", nil, 403, "pending", "not served"},
		{"sealed only", tokenAll, "/v1/datasets/other/versions/1", nil, 403, "not_attested", "not attested"},
		{"no attested version", tokenAll, "/v1/datasets/other/versions/latest", nil, 404, "not_found", "no attested version"},
		{"unknown dataset", tokenAll, "/v1/datasets/nope/versions/1", nil, 404, "not_found", `no dataset "nope"`},
		{"unknown version", tokenAll, "/v1/datasets/votes/versions/9", nil, 404, "not_found", "no version 9"},
		{"out of scope", tokenOther, "/v1/datasets/votes/versions/1", nil, 404, "not_found", `no dataset "votes"`},
		{"bad dataset name", tokenAll, "/v1/datasets/Votes/versions/1", nil, 400, "bad_request", "not a dataset name"},
		{"version zero", tokenAll, "/v1/datasets/votes/versions/0", nil, 400, "bad_request", "positive integer"},
		{"version text", tokenAll, "/v1/datasets/votes/versions/01", nil, 400, "bad_request", "positive integer"},
		{"no token", "", "/v1/datasets", nil, 401, "unauthorized", "Bearer"},
		{"wrong token", "nope", "/v1/datasets", nil, 401, "unauthorized", "unknown token"},
		{"unknown endpoint", tokenAll, "/v2/datasets", nil, 404, "not_found", "no endpoint"},
		{"unknown parameter", tokenAll, "/v1/datasets/votes/versions/1/data?colums=voter", nil, 400, "bad_request", `unknown parameter "colums"`},
		{"repeated parameter", tokenAll, "/v1/datasets/votes/versions/1/data?format=csv&format=csv", nil, 400, "bad_request", "given 2 times"},
		{"bad format", tokenAll, "/v1/datasets/votes/versions/1/data?format=xml", nil, 400, "bad_request", "want arrow, jsonl or csv"},
		{"unknown column", tokenAll, "/v1/datasets/votes/versions/1/data?columns=voter,nope", nil, 400, "bad_request", `no column "nope"`},
		{"duplicate column", tokenAll, "/v1/datasets/votes/versions/1/data?columns=voter,voter", nil, 400, "bad_request", "twice"},
		{"rows reversed", tokenAll, "/v1/datasets/votes/versions/1/data?rows=5-2", nil, 400, "bad_request", "LAST is before FIRST"},
		{"rows past the end", tokenAll, "/v1/datasets/votes/versions/1/data?rows=1000-", nil, 400, "bad_request", "has 1000 rows"},
		{"rows malformed", tokenAll, "/v1/datasets/votes/versions/1/data?rows=-5", nil, 400, "bad_request", "plain decimal"},
		{"range malformed", tokenAll, "/v1/datasets/votes/versions/1/data", []string{"Range", "bytes=abc"}, 416, "range_not_satisfiable", "malformed"},
		{"range two parts", tokenAll, "/v1/datasets/votes/versions/1/data", []string{"Range", "bytes=0-1,5-6"}, 416, "range_not_satisfiable", "one range"},
		{"range past the end", tokenAll, "/v1/datasets/votes/versions/1/data", []string{"Range", "bytes=99999999-"}, 416, "range_not_satisfiable", "below"},
		{"range other unit", tokenAll, "/v1/datasets/votes/versions/1/data", []string{"Range", "rows=0-1"}, 416, "range_not_satisfiable", "bytes="},
		{"row out of range", tokenAll, "/v1/datasets/votes/versions/1/rows/1000", nil, 404, "not_found", "has 1000 rows"},
		{"row not a number", tokenAll, "/v1/datasets/votes/versions/1/rows/-1", nil, 400, "bad_request", "row index"},
		{"key missing column", tokenAll, "/v1/datasets/votes/versions/1/rows?chain_id=1", nil, 400, "bad_request", "exactly once"},
		{"key bad value", tokenAll, "/v1/datasets/votes/versions/1/rows?chain_id=x&tx_hash=0x00&log_index=1", nil, 400, "bad_request", `key column "chain_id"`},
		{"key not a key column", tokenAll, "/v1/datasets/votes/versions/1/rows?voter=0x00", nil, 400, "bad_request", "not a key column"},
		{"traversal in dataset", tokenAll, "/v1/datasets/..%2F..%2Fetc%2Fpasswd/versions/1/data", nil, 400, "bad_request", "not a dataset name"},
		{"traversal in segment", tokenAll, "/v1/datasets/votes/versions/1/segments/..%2F..%2Fcatalog.duckdb", nil, 400, "bad_request", "64 lowercase hex"},
		{"unknown segment", tokenAll, "/v1/datasets/votes/versions/1/segments/" + strings.Repeat("ab", 32), nil, 404, "not_found", "no segment"},
		{"consistency reversed", tokenAll, "/v1/datasets/votes/consistency?from=2&to=1", nil, 400, "bad_request", "after"},
		{"consistency to pending", tokenAll, "/v1/datasets/votes/consistency?from=1&to=3", nil, 403, "pending", "pending"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := f.get(t, tc.token, tc.path, tc.headers...)
			e := apiErr(t, b)
			if resp.StatusCode != tc.status || e.Status != tc.status || e.ErrorType != tc.kind || !strings.Contains(e.Error, tc.says) {
				t.Fatalf("%s: %d %+v, want %d %s mentioning %q", tc.path, resp.StatusCode, e, tc.status, tc.kind, tc.says)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			if strings.Contains(string(b), "/tmp") || strings.Contains(string(b), f.st.Root()) {
				t.Errorf("the error leaks a path: %s", b)
			}
		})
	}
	// The API is read-only.
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(m, f.http.URL+"/v1/datasets/votes/versions/1/data", nil)
		req.Header.Set("Authorization", "Bearer "+tokenAll)
		resp, err := f.http.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d", m, resp.StatusCode)
		}
	}
}

// TestRevokedInCatalog: a revocation recorded in the catalog stops serving
// at the next refresh, and latest falls back to the previous version.
func TestRevokedInCatalog(t *testing.T) {
	f := newFixture(t, serve.Config{})
	ctx := context.Background()
	if err := f.st.PutRevocation(ctx, "votes", 2, store.RevocationRecord{Backend: "registry", Reason: "poisoned price feed", RevokedBy: "[]"}); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/rows/3")
	if e := apiErr(t, b); resp.StatusCode != 403 || e.ErrorType != "revoked" || !strings.Contains(e.Error, "poisoned price feed") {
		t.Fatalf("revoked: %d %s", resp.StatusCode, b)
	}
	if resp, _ := f.get(t, tokenAll, "/v1/datasets/votes/versions/latest"); resp.Header.Get(api.HeaderVersion) != "1" {
		t.Fatalf("latest after revocation: %v", resp.Header)
	}
}

// TestRateLimit: a token's burst is served, the next request is 429 with
// Retry-After.
func TestRateLimit(t *testing.T) {
	f := newFixture(t, serve.Config{Tokens: []serve.Token{{Name: "slow", SHA256: serve.HashToken("slow"), Scope: serve.Scope{Datasets: []string{"*"}, Rate: 0.5, Burst: 2}}}})
	for i := 0; i < 2; i++ {
		if resp, b := f.get(t, "slow", "/v1/datasets"); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, b)
		}
	}
	resp, b := f.get(t, "slow", "/v1/datasets")
	if e := apiErr(t, b); resp.StatusCode != 429 || e.ErrorType != "rate_limited" || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("third request: %d %s Retry-After %q", resp.StatusCode, b, resp.Header.Get("Retry-After"))
	}
}

// TestAnonymousAndCORS: without configuration there is no anonymous access
// and no CORS header; with it, the scope and the origin apply.
func TestAnonymousAndCORS(t *testing.T) {
	off := newFixture(t, serve.Config{})
	resp, _ := off.get(t, tokenAll, "/v1/datasets", "Origin", "https://agent.example")
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS headers without configured origins")
	}
	on := newFixture(t, serve.Config{CORSOrigins: []string{"https://agent.example"}, Anonymous: &serve.Scope{Datasets: []string{"votes"}}})
	resp, _ = on.get(t, "", "/v1/datasets/votes/versions/1", "Origin", "https://agent.example")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://agent.example" ||
		!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), api.HeaderRoot) {
		t.Fatalf("anonymous CORS request: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := on.get(t, "", "/v1/datasets/votes/versions/1", "Origin", "https://evil.example"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS allowed an unlisted origin")
	}
	req, _ := http.NewRequest(http.MethodOptions, on.http.URL+"/v1/datasets", nil)
	req.Header.Set("Origin", "https://agent.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	pre, err := on.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pre.Body.Close()
	if pre.StatusCode != 204 || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", pre.StatusCode, pre.Header)
	}
	if resp, _ := on.get(t, "", "/v1/datasets/other/versions/1"); resp.StatusCode != 404 {
		t.Fatalf("anonymous out of scope: %d", resp.StatusCode)
	}
}

// TestRunServesAndStops runs the server actor on a listener and stops it.
func TestRunServesAndStops(t *testing.T) {
	f := newFixture(t, serve.Config{})
	ln := listen(t)
	srv, err := serve.New(context.Background(), serve.Config{Catalog: f.st, Listener: ln, Interval: 20 * time.Millisecond, CacheDir: t.TempDir(),
		Anonymous: &serve.Scope{Datasets: []string{"*"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	done := make(chan error, 1)
	go func() { done <- srv.Run() }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/v1/datasets")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	srv.Interrupt(nil)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after Interrupt")
	}
}

var _ = url.Values{}
var _ = attest.StatusAttested
