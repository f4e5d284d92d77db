package serve_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileSandboxFunctions: the sandbox's own functions called with
// NULL or odd arguments (the attack: gt_version(NULL, 1) aborted the whole
// process inside DuckDB's bind) are refused as a query error before DuckDB
// binds them, in every spelling; the server answers afterwards.
func TestHostileSandboxFunctions(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{}, serve.QueryLimits{})
	cs := h.mcpSession(t, "a")
	for _, sql := range []string{
		`select * from gt_version(NULL, 1)`,
		`select * from gt_version('votes', NULL)`,
		`select * from gt_version(NULL, NULL)`,
		`select * from gt_version(CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT))`,
		`select * from gt_version('votes', 'x')`,
		`select * from gt_version(1, 1)`,
		`select * from gt_version('votes')`,
		`select * from GT_VERSION(NULL, 1)`,
		`select * from "gt_version"(NULL, 1)`,
		`select * from main.gt_version(NULL, 1)`,
		`select * from votes where _row in (select _row from gt_version(NULL, 1))`,
		`with x as (select * from gt_version('votes', NULL)) select * from x`,
		`select gt_guard(NULL)`,
		`select gt_guard('x')`,
		`select 1 where gt_guard(NULL)`,
		`select * from query('select * from gt_version(NULL, 1)')`,
		`select * from query_table('votes')`,
		// The black-box attack's bypass (F12): a text smuggled past the
		// walk through DuckDB's serialized-SQL functions.
		`select * from json_execute_serialized_sql(json_serialize_sql('select count(*) from gt_version(NULL, 1)'))`,
		`select * from JSON_EXECUTE_SERIALIZED_SQL(json_serialize_sql('select 42'))`,
		`select json_serialize_plan('select count(*) from gt_version(NULL, 1)')`,
		`select * from gt_version_0()`,
		`select count(*) from gt_version_0(NULL)`,
	} {
		text, failed := query(t, cs, sql)
		if !failed || !strings.Contains(text, "internal to the query sandbox") {
			t.Errorf("%s: failed=%v %q, want a refusal naming the internal function", sql, failed, text)
		}
	}
	// json_serialize_sql only parses: allowed, and harmless.
	if text, failed := query(t, cs, `select json_serialize_sql('select 1') is not null as ok`); failed || !strings.Contains(text, "true") {
		t.Errorf("json_serialize_sql: failed=%v %s", failed, text)
	}
	if text, failed := query(t, cs, `select count(*) as n from votes`); failed || !strings.Contains(text, "100") {
		t.Fatalf("the views still work: failed=%v %s", failed, text)
	}
	if resp, body := h.request(t, http.MethodGet, "a", "/v1/datasets", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("server after the attack: %d %s", resp.StatusCode, body)
	}
}

// TestHostileVerifyFlood: one token fires 8 verify_version calls at once
// (the attack ran 30, 1.46 GB RSS, every one over 30 s). verify_version
// shares the query bounds: beyond queries_per_token the calls are refused
// at once, the admitted ones wait for one of the shared query_slots (held
// here by another token's heavy query) and give up after query_max_wait
// with a busy error; once the slot is free a verify runs and succeeds.
func TestHostileVerifyFlood(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{QuerySlots: 1, QueriesPerToken: 2, QueryMaxWait: 500 * time.Millisecond}, serve.QueryLimits{Timeout: 4 * time.Second})
	a, b, c := h.mcpSession(t, "a"), h.mcpSession(t, "b"), h.mcpSession(t, "c")
	done := make(chan struct{})
	go func() { defer close(done); query(t, b, heavy) }()
	waitFor(t, 3*time.Second, "token b's heavy query to hold the only slot", func() bool {
		text, failed := query(t, c, "select 42")
		return failed && strings.Contains(text, "server busy")
	})
	const n = 8
	texts := make([]string, n)
	fails := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			texts[i], fails[i] = toolText(t, a, "verify_version", map[string]any{"dataset": "votes", "version": 1})
		}()
	}
	wg.Wait()
	limited, busy := 0, 0
	for i, s := range texts {
		switch {
		case !fails[i]:
			t.Errorf("verify %d ran while the only slot was held: %s", i, s)
		case strings.Contains(s, "serve.limits.queries_per_token"):
			limited++
		case strings.Contains(s, "server busy") && strings.Contains(s, "serve.limits.query_max_wait"):
			busy++
		default:
			t.Errorf("verify %d: unexpected error %s", i, s)
		}
	}
	if limited != n-2 || busy != 2 {
		t.Errorf("%d refused by queries_per_token (want %d), %d gave up waiting (want 2): %q", limited, n-2, busy, texts)
	}
	<-done
	if text, failed := toolText(t, a, "verify_version", map[string]any{"dataset": "votes", "version": 1}); failed || !strings.Contains(text, "verified") {
		t.Fatalf("verify with the slot free: failed=%v %s", failed, text)
	}
}

// TestHostileStalledBodies: at a cap of 16 connections, 40 connections send
// headers announcing a 100,000-byte body and then one byte, and nothing
// more: tokenless GETs whose handler never reads the body, and MCP POSTs
// with a token whose handler waits for it (32 of them, twice the cap on their
// own; the attack: a valid client was
// shut out for the whole body timeout). A probe with a token still gets
// in at once, and each unread body's connection is closed after its
// response instead of waiting to drain it.
func TestHostileStalledBodies(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{MaxConnections: 16, BodyTimeout: 20 * time.Second}, serve.QueryLimits{})
	var gets []net.Conn
	for i := range 40 {
		c, err := net.DialTimeout("tcp", h.addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if i%5 == 0 {
			fmt.Fprintf(c, "GET /v1/datasets HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
			gets = append(gets, c)
		} else {
			fmt.Fprintf(c, "POST /mcp HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 100000\r\n\r\n{", h.addr, hostileTokens["b"])
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	for i := range 3 {
		start := time.Now()
		resp, body := h.request(t, http.MethodGet, "a", "/v1/datasets", nil)
		if took := time.Since(start); resp.StatusCode != http.StatusOK || took > 2*time.Second {
			t.Fatalf("probe %d: %d in %s: %.200s", i, resp.StatusCode, took, body)
		}
	}
	// A GET that was answered (not displaced) is closed right after its
	// response, long before the 20 s body timeout.
	for i, c := range gets {
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		if _, err := io.Copy(io.Discard, c); err != nil && isTimeout(err) {
			t.Errorf("stalled GET %d still open after 3s", i)
		}
	}
}

// TestQueryWaitFollowsTimeout: an unset query_max_wait is at least the
// query timeout, so a tenant's light query waiting behind one running query
// is not refused as busy before that query can end (the attack: wait 5s,
// timeout 10s, select 42 refused after 5.04s); a set one is kept.
func TestQueryWaitFollowsTimeout(t *testing.T) {
	for _, tc := range []struct {
		name          string
		wait, timeout time.Duration
		want          time.Duration
	}{
		{"defaults", 0, 0, 10 * time.Second},
		{"unset wait follows a longer timeout", 0, 25 * time.Second, 25 * time.Second},
		{"unset wait keeps its default over a shorter timeout", 0, 3 * time.Second, 10 * time.Second},
		{"a set wait is kept", 300 * time.Millisecond, 4 * time.Second, 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHostile(t, 10, serve.Limits{QueryMaxWait: tc.wait}, serve.QueryLimits{Timeout: tc.timeout})
			if got := h.srv.Limits().QueryMaxWait; got != tc.want {
				t.Fatalf("query_max_wait %s, want %s", got, tc.want)
			}
		})
	}
}

// TestHostileForeignSession: an MCP session answers only the token that
// opened it (the attack: token b's calls ran in token a's session). Another
// token's POST, GET and DELETE with its id get 404, as for an unknown
// session, and the session lives on for its owner.
func TestHostileForeignSession(t *testing.T) {
	h := newHostile(t, 10, serve.Limits{}, serve.QueryLimits{})
	resp, body := h.initialize(t, "a")
	id := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("initialize: %d %q %s", resp.StatusCode, id, body)
	}
	const note = `{"jsonrpc":"2.0","method":"notifications/initialized"}`
	mcpHeaders := []string{"Content-Type", "application/json", "Accept", "application/json, text/event-stream", "Mcp-Session-Id", id, "Mcp-Protocol-Version", "2025-06-18"}
	for _, tc := range []struct {
		name, method, tok string
		body              string
		status            int
	}{
		{"another token's POST", http.MethodPost, "b", note, http.StatusNotFound},
		{"a tokenless POST", http.MethodPost, "", note, http.StatusUnauthorized},
		{"another token's GET", http.MethodGet, "b", "", http.StatusNotFound},
		{"another token's DELETE", http.MethodDelete, "b", "", http.StatusNotFound},
		{"the owner's POST", http.MethodPost, "a", note, http.StatusAccepted},
		{"the owner's DELETE", http.MethodDelete, "a", "", http.StatusNoContent},
		{"after the DELETE", http.MethodPost, "a", note, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := h.request(t, tc.method, tc.tok, "/mcp", []byte(tc.body), mcpHeaders...)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d, want %d: %.300s", resp.StatusCode, tc.status, body)
			}
			if tc.status == http.StatusNotFound && tc.tok != "a" && !strings.Contains(string(body), "does not exist for this token") {
				t.Fatalf("404 body %.300s", body)
			}
		})
	}
}
