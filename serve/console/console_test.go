package console_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/console"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

const (
	stewardToken = "gt_steward"
	agentToken   = "gt_agent"
)

// fixture is a console over a store holding two pending quarantine
// entries, with a steward set of two keys; outsider is not a steward.
type fixture struct {
	srv      *httptest.Server
	st       *store.Store
	steward  *ecdsa.PrivateKey
	outsider *ecdsa.PrivateKey
	now      time.Time
}

func newFixture(t *testing.T, withAttestation bool, mods ...func(*console.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, now: time.Now()}
	f.steward, _ = crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	f.outsider, _ = crypto.GenerateKey()
	run := &store.ValidationRun{ID: "run-1", Job: "prices", Dataset: "prices", Outcome: store.RunSealed, ReportJSON: []byte("{}"),
		Findings: []store.FindingRecord{{Code: "poisoning.jump", Severity: "error", Validator: "poisoning.jump", Action: "quarantine",
			Message: "price 70 at 2026-01-01T00:00:00Z jumped 30%", Value: 0.3, Threshold: 0.2, RowKeys: []string{"k1"}}},
		Quarantine: []store.QuarantineEntry{
			{ID: "q10001", RowKey: "k1", RowJSON: rowJSON(t, 70), RowIPC: rowIPC(t, 70), Codes: []string{"poisoning.jump"}, Reasons: []string{"poisoning.jump: price 70 jumped"}},
			{ID: "q20002", RowKey: "k2", RowJSON: rowJSON(t, 71), RowIPC: rowIPC(t, 71), Codes: []string{"gaps.stale"}, Reasons: []string{"gaps.stale: stale"}},
		}}
	if err := st.SaveValidationRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	cfg := console.Config{Store: st, Now: func() time.Time { return f.now },
		Auth: serve.NewTokenAuth([]serve.Token{
			{Name: "steward", SHA256: serve.HashToken(stewardToken), Scope: serve.Scope{Datasets: []string{"*"}, Steward: true}},
			{Name: "agent", SHA256: serve.HashToken(agentToken), Scope: serve.Scope{Datasets: []string{"*"}, Admin: true}}})}
	if withAttestation {
		col := &attest.Collector{Backend: registry.New(registry.Config{ChainID: testDeployment.ChainID, Address: testDeployment.Contract}),
			Policy: attest.Policy{Stewards: []common.Address{crypto.PubkeyToAddress(f.steward.PublicKey), crypto.PubkeyToAddress(other.PublicKey)}, Threshold: 2}}
		cfg.Attestation = func(context.Context) (*attest.Collector, error) { return col, nil }
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := console.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(c)
	t.Cleanup(f.srv.Close)
	return f
}

// testDeployment is the chain and registry of the fixture's attestation:
// the console's decisions are bound to it.
var testDeployment = attest.Deployment{ChainID: 1337, Contract: common.HexToAddress("0x1678F1042acd9cbA62e7DDD87918a0CD3306D377")}

// rowIPC is a one-row price record as the quarantine holds it.
func rowIPC(t *testing.T, price float64) []byte {
	t.Helper()
	rec := validatorstest.PriceRecord("prices", []validatorstest.Point{{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), V: price}})
	defer rec.Release()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowJSON is rowIPC's row as the quarantine renders it (row_json).
func rowJSON(t *testing.T, price float64) []byte {
	t.Helper()
	values, _, err := pipeline.EntryRow(&store.QuarantineEntry{ID: "fixture", RowIPC: rowIPC(t, price), RowJSON: []byte("{}")}, nil)
	if values == nil {
		t.Fatal(err)
	}
	return values
}

// call sends a request with a token and decodes the JSON answer.
func (f *fixture) call(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc
}

// sign signs typed data as a wallet does: geth's own EIP-712 hashing of
// the JSON the server handed out, not the server's digest.
func sign(t *testing.T, key *ecdsa.PrivateKey, typed any) string {
	t.Helper()
	b, _ := json.Marshal(typed)
	var td apitypes.TypedData
	if err := json.Unmarshal(b, &td); err != nil {
		t.Fatal(err)
	}
	digest, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return hexutil.Encode(sig)
}

func TestConsoleAuthAndHeaders(t *testing.T) {
	f := newFixture(t, true)
	tests := []struct {
		name, path, token string
		want              int
	}{
		{"page without a token", "/console/", "", http.StatusOK},
		{"script without a token", "/console/app.js", "", http.StatusOK},
		{"api without a token", "/console/api/overview", "", http.StatusUnauthorized},
		{"api with an unknown token", "/console/api/overview", "gt_nobody", http.StatusUnauthorized},
		{"api with a token without the steward scope", "/console/api/quarantine", agentToken, http.StatusForbidden},
		{"api with a steward token", "/console/api/overview", stewardToken, http.StatusOK},
		{"unknown api endpoint", "/console/api/nothing", stewardToken, http.StatusNotFound},
		{"unknown query parameter", "/console/api/quarantine?sort=x", stewardToken, http.StatusBadRequest},
		{"unknown entry", "/console/api/quarantine/q99999", stewardToken, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, f.srv.URL+tt.path, nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || resp.Header.Get("Set-Cookie") != "" {
				t.Fatalf("headers: CSP %q, Set-Cookie %q", csp, resp.Header.Get("Set-Cookie"))
			}
		})
	}
	resp, err := http.Post(f.srv.URL+"/console/index.html", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST to a page: %d", resp.StatusCode)
	}
}

func TestConsoleQueueFilters(t *testing.T) {
	f := newFixture(t, true)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"q10001", "q20002"}},
		{"?code=poisoning.jump", []string{"q10001"}},
		{"?code=gaps.", []string{"q20002"}},
		{"?severity=error", []string{"q10001"}},
		{"?dataset=other", nil},
		{"?status=approved", nil},
	}
	for _, tt := range tests {
		code, doc := f.call(t, http.MethodGet, "/console/api/quarantine"+tt.query, stewardToken, nil)
		if code != http.StatusOK {
			t.Fatalf("%s: %d %v", tt.query, code, doc)
		}
		var got []string
		for _, e := range doc["entries"].([]any) {
			got = append(got, e.(map[string]any)["id"].(string))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%q: entries %v, want %v", tt.query, got, tt.want)
		}
	}
	_, doc := f.call(t, http.MethodGet, "/console/api/quarantine/q10001", stewardToken, nil)
	fs, _ := doc["findings"].([]any)
	if len(fs) != 1 || fs[0].(map[string]any)["threshold"].(float64) != 0.2 {
		t.Fatalf("findings of q1: %v", doc["findings"])
	}
}

func TestConsoleDecision(t *testing.T) {
	f := newFixture(t, true)
	steward := crypto.PubkeyToAddress(f.steward.PublicKey).Hex()
	outsider := crypto.PubkeyToAddress(f.outsider.PublicKey).Hex()
	ask := map[string]any{"decision": "approved", "reason": "checked", "steward": steward}
	code, td := f.call(t, http.MethodPost, "/console/api/quarantine/q10001/typed-data", stewardToken, ask)
	if code != http.StatusOK {
		t.Fatalf("typed data: %d %v", code, td)
	}
	at := uint64(td["decidedAt"].(float64))
	held, err := f.st.QuarantineGet(context.Background(), "q10001")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := pipeline.EntryLeaf(held, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := attest.Decision{Dataset: "prices", Entry: "q10001", RowKey: "k1", Leaf: leaf, Decision: "approved", Reason: "checked",
		Steward: common.HexToAddress(steward), DecidedAt: at, Deployment: testDeployment}
	if td["digest"] != want.Digest().Hex() {
		t.Fatalf("digest %v, want the CLI's %s", td["digest"], want.Digest().Hex())
	}
	good := sign(t, f.steward, td["typedData"])
	post := func(mod func(map[string]any)) map[string]any {
		b := map[string]any{"decision": "approved", "reason": "checked", "steward": steward, "decidedAt": at, "signature": good}
		if mod != nil {
			mod(b)
		}
		return b
	}
	tests := []struct {
		name  string
		token string
		body  map[string]any
		want  int
	}{
		{"without the steward scope", agentToken, post(nil), http.StatusForbidden},
		{"signed by someone else", stewardToken, post(func(b map[string]any) { b["signature"] = sign(t, f.outsider, td["typedData"]) }), http.StatusForbidden},
		{"by a non-steward", stewardToken, post(func(b map[string]any) {
			b["steward"] = outsider
			b["signature"] = signDecision(t, f.outsider, want, outsider)
		}), http.StatusForbidden},
		{"signed for another deployment", stewardToken, post(func(b map[string]any) {
			other := want
			other.Deployment.ChainID = 1
			b["signature"] = signDecision(t, f.steward, other, steward)
		}), http.StatusForbidden},
		{"signed over other row values", stewardToken, post(func(b map[string]any) {
			other := want
			other.Leaf[0] ^= 1
			b["signature"] = signDecision(t, f.steward, other, steward)
		}), http.StatusForbidden},
		{"reason changed after signing", stewardToken, post(func(b map[string]any) { b["reason"] = "other" }), http.StatusForbidden},
		{"turned into a rejection", stewardToken, post(func(b map[string]any) { b["decision"] = "rejected" }), http.StatusForbidden},
		{"not a decision", stewardToken, post(func(b map[string]any) { b["decision"] = "maybe" }), http.StatusBadRequest},
		{"short signature", stewardToken, post(func(b map[string]any) { b["signature"] = "0x1234" }), http.StatusBadRequest},
		{"unknown field", stewardToken, post(func(b map[string]any) { b["extra"] = 1 }), http.StatusBadRequest},
		{"stale time", stewardToken, post(func(b map[string]any) { b["decidedAt"] = at - 3600 }), http.StatusBadRequest},
		{"signed", stewardToken, post(nil), http.StatusOK},
		{"again", stewardToken, post(nil), http.StatusConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, doc := f.call(t, http.MethodPost, "/console/api/quarantine/q10001/decision", tt.token, tt.body); code != tt.want {
				t.Fatalf("status %d, want %d: %v", code, tt.want, doc)
			}
		})
	}
	e, err := f.st.QuarantineGet(context.Background(), "q10001")
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != store.QuarantineApproved || e.Steward != steward || e.Note != "checked" {
		t.Fatalf("recorded: %+v", e)
	}
	if err := pipeline.VerifyEntry(e); err != nil {
		t.Fatalf("the recorded decision does not verify: %v", err)
	}
	if code, doc := f.call(t, http.MethodPost, "/console/api/quarantine/q20002/typed-data", stewardToken,
		map[string]any{"decision": "rejected", "steward": outsider}); code != http.StatusForbidden {
		t.Fatalf("typed data for a non-steward: %d %v", code, doc)
	}
}

// signDecision signs a decision naming steward with key.
func signDecision(t *testing.T, key *ecdsa.PrivateKey, d attest.Decision, steward string) string {
	t.Helper()
	d.Steward = common.HexToAddress(steward)
	b, err := attest.TypedDataJSON(d.TypedData())
	if err != nil {
		t.Fatal(err)
	}
	var td any
	json.Unmarshal(b, &td)
	return sign(t, key, td)
}

func TestConsoleWithoutAttestation(t *testing.T) {
	f := newFixture(t, false)
	code, doc := f.call(t, http.MethodPost, "/console/api/quarantine/q10001/typed-data", stewardToken,
		map[string]any{"decision": "approved", "steward": crypto.PubkeyToAddress(f.steward.PublicKey).Hex()})
	if code != http.StatusServiceUnavailable || !strings.Contains(doc["error"].(string), "no attestation") {
		t.Fatalf("decision without a steward set: %d %v", code, doc)
	}
	if code, doc := f.call(t, http.MethodGet, "/console/api/overview", stewardToken, nil); code != http.StatusOK || doc["attestationError"] == "" {
		t.Fatalf("overview: %d %v", code, doc)
	}
}

func TestConsoleReadOnly(t *testing.T) {
	f := newFixture(t, true, func(c *console.Config) { c.ReadOnly = true })
	steward := crypto.PubkeyToAddress(f.steward.PublicKey).Hex()
	for _, tt := range []struct{ method, path string }{
		{http.MethodPost, "/console/api/quarantine/q10001/typed-data"},
		{http.MethodPost, "/console/api/quarantine/q10001/decision"},
		{http.MethodGet, "/console/api/versions/prices/1/typed-data"},
	} {
		var body any
		if tt.method == http.MethodPost {
			body = map[string]any{"decision": "approved", "steward": steward}
		}
		if code, doc := f.call(t, tt.method, tt.path, stewardToken, body); code != http.StatusConflict || !strings.Contains(doc["error"].(string), "read-only") {
			t.Errorf("%s %s on a read-only store: %d %v", tt.method, tt.path, code, doc)
		}
	}
	if code, _ := f.call(t, http.MethodGet, "/console/api/quarantine", stewardToken, nil); code != http.StatusOK {
		t.Errorf("reading on a read-only console: %d", code)
	}
}

// TestReportLinks names a run's pages under the console's address, the
// run's id escaped as the page's router decodes it.
func TestReportLinks(t *testing.T) {
	tests := []struct{ base, id, report, validation string }{
		{"http://127.0.0.1:8484", "comp-usd-20261207T010203Z-ab12", "http://127.0.0.1:8484/console/#/run/comp-usd-20261207T010203Z-ab12",
			"http://127.0.0.1:8484/console/#/run/comp-usd-20261207T010203Z-ab12?section=validation"},
		{"http://[::1]:9/", "a b/c", "http://[::1]:9/console/#/run/a%20b%2Fc", "http://[::1]:9/console/#/run/a%20b%2Fc?section=validation"},
	}
	for _, tt := range tests {
		rep, val := console.ReportLinks(tt.base)(tt.id)
		if rep != tt.report || val != tt.validation {
			t.Errorf("ReportLinks(%q)(%q) = %q, %q; want %q, %q", tt.base, tt.id, rep, val, tt.report, tt.validation)
		}
	}
}
