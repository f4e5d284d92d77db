package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/console"
)

const votesSteward = "gt_votes_steward"

// TestHostileConsoleScope is the black-box attack F1: a steward token
// scoped to one dataset ("votes") must not see another dataset ("prices",
// with its quarantine entries, its run and a version) through the console
// API: it is left out of the overview, the queue and the run list, and is
// 404 for entries, their typed data and decisions, runs and versions, as
// /v1 answers. A steward token for "*" sees it (the control).
func TestHostileConsoleScope(t *testing.T) {
	f := newFixture(t, true, func(c *console.Config) {
		c.Auth = serve.NewTokenAuth([]serve.Token{
			{Name: "steward", SHA256: serve.HashToken(stewardToken), Scope: serve.Scope{Datasets: []string{"*"}, Steward: true}},
			{Name: "votes-steward", SHA256: serve.HashToken(votesSteward), Scope: serve.Scope{Datasets: []string{"votes"}, Steward: true}}})
	})
	ctx := context.Background()
	w, err := f.st.Begin(ctx, "prices", datasetstest.VotesSchema(), store.WriteOptions{})
	must(t, err)
	rec := datasetstest.VotesBatch(nil, 0, 10)
	must(t, w.Write(rec))
	rec.Release()
	_, err = w.Commit()
	must(t, err)
	must(t, f.st.SetVersionStatus(ctx, "prices", 1, "pending"))
	must(t, f.st.StartRun(ctx, &store.RunRecord{ID: "r-prices", Job: "prices", Dataset: "prices", Started: time.Now(), Trigger: "schedule", Attempt: 1}))
	must(t, f.st.FinishRun(ctx, &store.RunRecord{ID: "r-prices", Outcome: "sealed"}))

	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/console/api/quarantine/q10001", nil},
		{"GET", "/console/api/quarantine?dataset=prices", nil},
		{"POST", "/console/api/quarantine/q10001/typed-data", map[string]any{"decision": "approved", "steward": "0x0000000000000000000000000000000000000001"}},
		{"POST", "/console/api/quarantine/q10001/decision", map[string]any{"decision": "approved", "steward": "0x0000000000000000000000000000000000000001", "decidedAt": 1, "signature": "0x00"}},
		{"GET", "/console/api/runs/r-prices", nil},
		{"GET", "/console/api/versions/prices/1/typed-data", nil},
		{"POST", "/console/api/versions/prices/1/signature", map[string]any{"signature": "0x00"}},
	} {
		if code, doc := f.call(t, tc.method, tc.path, votesSteward, tc.body); code != http.StatusNotFound {
			t.Errorf("%s %s with a votes-only steward token: %d %v, want 404", tc.method, tc.path, code, doc)
		}
		if code, doc := f.call(t, tc.method, tc.path, stewardToken, tc.body); code == http.StatusNotFound {
			t.Errorf("%s %s with a * steward token: 404 %v", tc.method, tc.path, doc)
		}
	}

	lists := []struct{ path, field string }{
		{"/console/api/overview", "datasets"},
		{"/console/api/overview", "jobs"},
		{"/console/api/quarantine", "entries"},
		{"/console/api/quarantine", "datasets"},
		{"/console/api/runs", "runs"},
	}
	for _, l := range lists {
		for _, tok := range []string{votesSteward, stewardToken} {
			code, doc := f.call(t, http.MethodGet, l.path, tok, nil)
			if code != http.StatusOK {
				t.Fatalf("%s: %d %v", l.path, code, doc)
			}
			items, _ := doc[l.field].([]any)
			seen := strings.Contains(strings.ToLower(fmtAny(items)), "prices")
			if seen != (tok == stewardToken) {
				t.Errorf("%s %s with token %s: %v", l.path, l.field, tok, items)
			}
		}
	}
	if _, doc := f.call(t, http.MethodGet, "/console/api/overview", votesSteward, nil); doc["pendingQuarantine"].(float64) != 0 {
		t.Errorf("overview for votes-only: pending %v, want 0", doc["pendingQuarantine"])
	}
}

func fmtAny(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				b.WriteString(k + "=")
				walk(e)
				b.WriteString(" ")
			}
		default:
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(toString(x), "\n", " "), "\t", " ")))
		}
	}
	walk(v)
	return b.String()
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestHostileConsoleCSP is the black-box attack F7: the console's
// Content-Security-Policy lets scripts connect to the console's own origin
// only (no ws:/wss: to any host, which would let an injected script carry
// the token away).
func TestHostileConsoleCSP(t *testing.T) {
	f := newFixture(t, false)
	for _, path := range []string{"/console/", "/console/api/overview"} {
		resp, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		var connect string
		for _, d := range strings.Split(csp, ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, "connect-src") {
				connect = d
			}
		}
		if connect != "connect-src 'self'" {
			t.Fatalf("%s: %q in CSP %q, want connect-src 'self'", path, connect, csp)
		}
	}
}
