package serve_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
	"github.com/groundtruth-dao/groundtruth/serve/client"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
)

// The hostile-client suite: each test is one attack on the integrity of
// what the server hands out, against the real server on 127.0.0.1.

// TestHostileRevokeMidDownload revokes a version on-chain while a JSONL
// download of it is in progress: the raw HTTP reader must see an error
// (not a clean, short body) and the Go client ErrIncomplete.
func TestHostileRevokeMidDownload(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	st := servetest.OpenStore(t, t.TempDir())
	m := servetest.Seal(t, st, "votes", 0, 20000)
	servetest.Attest(t, env, st, m)
	eth, err := ethclient.Dial(env.Chain.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	w := serve.NewWatcher(serve.WatcherConfig{Chain: eth, Backend: attest.KindRegistry, Contract: env.Registry, Checker: servetest.Registry(env)})
	r := runServer(t, serve.Config{Catalog: st, Watcher: w, Interval: 100 * time.Millisecond, CacheDir: t.TempDir(),
		Listener: smallBufListener{listen(t)}})
	hc := slowClient(t)
	raw := openStream(t, hc, r.base+"/v1/datasets/votes/versions/1/data?format=jsonl")

	ver, closeVer, err := client.NewRegistryVerifier(context.Background(), env.Chain.RPCURL(), env.Registry, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeVer()
	c, err := client.New(client.Config{BaseURL: r.base, Verifier: ver, HTTP: hc})
	if err != nil {
		t.Fatal(err)
	}
	body, _, err := c.Data(context.Background(), "votes", 1, client.DataOptions{Format: "jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	if _, err := io.ReadFull(body, make([]byte, 32<<10)); err != nil {
		t.Fatal(err)
	}

	servetest.Revoke(t, env, m, "revoked mid-download")
	waitFor(t, 5*time.Second, "the revocation stops serving", func() bool {
		code, _ := r.status(t, "/v1/datasets/votes/versions/1")
		return code == 403
	})
	rest, err := io.ReadAll(raw.Body)
	if err == nil {
		t.Fatalf("the download of a version revoked mid-stream ended cleanly after %d more bytes", len(rest))
	}
	if raw.Trailer.Get(api.TrailerSHA256) != "" {
		t.Fatalf("a cut download carries the completion trailer")
	}
	if _, err := io.ReadAll(body); !errors.Is(err, client.ErrIncomplete) {
		t.Fatalf("the Go client read a revoked, cut download without ErrIncomplete: %v", err)
	}
}

// TestHostileMissingSegmentMidStream deletes a segment file while a JSONL
// download of its version is in progress: the body must end in an error.
func TestHostileMissingSegmentMidStream(t *testing.T) {
	st := servetest.OpenStore(t, t.TempDir())
	m := servetest.Seal(t, st, "votes", 0, 6000)
	servetest.MarkAttested(t, st, m)
	r := runServer(t, serve.Config{Catalog: st, CacheDir: t.TempDir(), Listener: smallBufListener{listen(t)}})
	resp := openStream(t, slowClient(t), r.base+"/v1/datasets/votes/versions/1/data?format=jsonl")
	last := m.Segments[len(m.Segments)-1]
	if err := os.Remove(filepath.Join(st.Root(), filepath.FromSlash(last.Path))); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("a download missing its last segment ended cleanly after %d more bytes", len(rest))
	}
	// After a sweep (every poll) the next request is refused before its
	// status line.
	r.srv.Poll(context.Background())
	if code, e := r.status(t, "/v1/datasets/votes/versions/1/data?format=jsonl"); code != 503 || e.ErrorType != "corrupt" {
		t.Fatalf("after the segment went missing: %d %+v", code, e)
	}
}

// TestHostileOverwrittenSegment overwrites a served segment of votes@1
// (shared by votes@2, which appends to it) with the bytes of a segment only
// votes@2 has: JSONL, the Arrow stream, the segment, rows with proofs, SQL
// and MCP all refuse with 503 corrupt for both versions (no path of the
// data directory in any message), and serve again once the file is
// restored.
func TestHostileOverwrittenSegment(t *testing.T) {
	f := newFixture(t, serve.Config{})
	ctx := context.Background()
	v2segs := f.m["votes@2"].Segments
	v1, v2 := f.m["votes@1"].Segments[0], v2segs[len(v2segs)-1]
	if v1.SHA256 == v2.SHA256 || v2segs[0].SHA256 != v1.SHA256 {
		t.Fatal("the fixture's votes@2 no longer appends to votes@1")
	}
	base := "/v1/datasets/votes/versions/1"
	paths := []string{base + "/data?format=jsonl", base + "/data", base + "/segments/" + v1.SHA256.Hex(), base + "/rows/0", base + "/rows/5"}
	for _, p := range paths {
		if resp, b := f.get(t, tokenAll, p); resp.StatusCode != 200 {
			t.Fatalf("%s before: %d %s", p, resp.StatusCode, b)
		}
	}
	cs := mcpSession(t, f.srv, tokenAll)
	query := map[string]any{"sql": `SELECT count(*) AS n FROM "votes@1"`}
	if text, isErr := toolText(t, cs, "query", query); isErr {
		t.Fatalf("MCP query before: %s", text)
	}

	file := filepath.Join(f.st.Root(), filepath.FromSlash(v1.Path))
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile(filepath.Join(f.st.Root(), filepath.FromSlash(v2.Path)))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // past the file system's timestamp granularity
	if err := os.WriteFile(file, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	f.srv.Poll(ctx) // the sweep notices the change without waiting for a request

	for _, p := range paths {
		resp, b := f.get(t, tokenAll, p)
		if resp.StatusCode != 503 {
			t.Fatalf("%s after the overwrite: %d (%d bytes)", p, resp.StatusCode, len(b))
		}
		if e := apiErr(t, b); e.ErrorType != "corrupt" || !strings.Contains(e.Error, v1.SHA256.String()) {
			t.Fatalf("%s after the overwrite: %+v", p, e)
		}
		if strings.Contains(string(b), f.st.Root()) {
			t.Fatalf("%s names the data directory: %s", p, b)
		}
	}
	_, err = f.srv.Query(ctx, serve.LocalPrincipal(), `SELECT count(*) FROM "votes@1"`)
	if !errors.Is(err, serve.ErrCorrupt) {
		t.Fatalf("SQL over the overwritten segment: %v", err)
	}
	for _, c := range []struct {
		tool string
		args any
	}{{"query", query}, {"get_rows", map[string]any{"dataset": "votes", "version": 1, "indexes": []int{0}}}} {
		text, isErr := toolText(t, cs, c.tool, c.args)
		if !isErr || !strings.Contains(text, "corrupt") || strings.Contains(text, f.st.Root()) {
			t.Fatalf("MCP %s after the overwrite: error %v: %s", c.tool, isErr, text)
		}
	}
	// votes@2 holds the same segment: refused too, even for a row of a
	// segment that is intact.
	if resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/rows/1200"); resp.StatusCode != 503 {
		t.Fatalf("votes@2: %d %s", resp.StatusCode, b)
	}

	time.Sleep(20 * time.Millisecond)
	if err := os.WriteFile(file, good, 0o644); err != nil {
		t.Fatal(err)
	}
	f.srv.Poll(ctx)
	for _, p := range paths {
		if resp, b := f.get(t, tokenAll, p); resp.StatusCode != 200 {
			t.Fatalf("%s after the restore: %d %s", p, resp.StatusCode, b)
		}
	}
}

// TestHostileSQLErrorPaths makes a query fail inside the table function
// (its segment deleted): neither SQL nor MCP names the data directory.
func TestHostileSQLErrorPaths(t *testing.T) {
	f := newFixture(t, serve.Config{})
	seg := f.m["votes@1"].Segments[1]
	if err := os.Remove(filepath.Join(f.st.Root(), filepath.FromSlash(seg.Path))); err != nil {
		t.Fatal(err)
	}
	_, err := f.srv.Query(context.Background(), serve.LocalPrincipal(), `SELECT max(_row) FROM "votes@1"`)
	if err == nil || strings.Contains(err.Error(), f.st.Root()) || !errors.Is(err, serve.ErrCorrupt) {
		t.Fatalf("SQL over a missing segment: %v", err)
	}
	cs := mcpSession(t, f.srv, tokenAll)
	text, isErr := toolText(t, cs, "query", map[string]any{"sql": `SELECT max(_row) FROM "votes@1"`})
	if !isErr || strings.Contains(text, f.st.Root()) || strings.Contains(text, "/segments/") {
		t.Fatalf("MCP query over a missing segment: %s", text)
	}
}

// TestHostileCacheHeaders checks that no revocable, token-scoped response
// may be kept by a shared cache or reused without asking the server.
func TestHostileCacheHeaders(t *testing.T) {
	f := newFixture(t, serve.Config{})
	base := "/v1/datasets/votes/versions/1"
	seg := f.m["votes@1"].Segments[0].SHA256.Hex()
	for _, p := range []string{"/v1/datasets", "/v1/datasets/votes", base, base + "/manifest", base + "/evidence", base + "/data",
		base + "/data?format=csv", base + "/segments/" + seg, base + "/rows/3", "/v1/datasets/votes/versions/3"} {
		resp, _ := f.get(t, tokenVotes, p)
		cc := resp.Header.Get("Cache-Control")
		if !strings.Contains(cc, "private") || strings.Contains(cc, "public") || strings.Contains(cc, "immutable") || strings.Contains(cc, "max-age") {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
		if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Authorization") {
			t.Errorf("%s: Vary %q lacks Authorization", p, resp.Header.Values("Vary"))
		}
	}
	// Revalidation still answers 304 while the version is served.
	resp, _ := f.get(t, tokenVotes, base+"/data")
	if r2, _ := f.get(t, tokenVotes, base+"/data", "If-None-Match", resp.Header.Get("ETag")); r2.StatusCode != 304 {
		t.Fatalf("revalidation: %d", r2.StatusCode)
	}
}

// TestHostileChainUnreachable unplugs the chain: once revocations could
// not be checked for longer than MaxChainStaleness, attested data answers
// 503 and /readyz is not ready; both recover when the chain answers.
func TestHostileChainUnreachable(t *testing.T) {
	env := attesttest.StartEnv(t, 3, 2)
	st := servetest.OpenStore(t, t.TempDir())
	m := servetest.Seal(t, st, "votes", 0, 500)
	servetest.Attest(t, env, st, m)
	px := startProxy(t, env.Chain.RPCURL())
	eth, err := ethclient.Dial(px.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	w := serve.NewWatcher(serve.WatcherConfig{Chain: eth, Backend: attest.KindRegistry, Contract: env.Registry, Checker: servetest.Registry(env)})
	const stale = 500 * time.Millisecond
	r := runServer(t, serve.Config{Catalog: st, Watcher: w, Interval: 50 * time.Millisecond, MaxChainStaleness: stale, CacheDir: t.TempDir()})
	ready := httptest.NewServer(r.srv.ReadyHandler())
	defer ready.Close()
	readyz := func() (int, string) {
		resp, err := http.Get(ready.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Ready  bool   `json:"ready"`
			Reason string `json:"reason"`
		}
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Reason
	}
	const row = "/v1/datasets/votes/versions/1/rows/7"
	if code, e := r.status(t, row); code != 200 {
		t.Fatalf("chain up: %d %+v", code, e)
	}
	if code, reason := readyz(); code != 200 {
		t.Fatalf("readyz with the chain up: %d %s", code, reason)
	}

	px.setDown(true)
	down := time.Now()
	waitFor(t, stale+3*time.Second, "serving stops after max_chain_staleness", func() bool {
		code, _ := r.status(t, row)
		return code == 503
	})
	// The bound counts from the last poll that read the chain, up to one
	// interval (more on a loaded machine) before the unplugging: serving
	// must not stop long before it.
	if took := time.Since(down); took < stale/2 {
		t.Fatalf("serving stopped %v after the chain went away, long before the %v bound", took, stale)
	}
	for _, p := range []string{row, "/v1/datasets/votes/versions/latest/data?format=jsonl", "/v1/datasets/votes/versions/1/manifest"} {
		if code, e := r.status(t, p); code != 503 || e.ErrorType != "chain_unreachable" || !strings.Contains(e.Error, "max_chain_staleness") {
			t.Fatalf("%s with the chain away: %d %+v", p, code, e)
		}
	}
	if _, err := r.srv.Query(context.Background(), serve.LocalPrincipal(), `SELECT 1`); !errors.Is(err, serve.ErrChainStale) {
		t.Fatalf("SQL with the chain away: %v", err)
	}
	if code, reason := readyz(); code != 503 || !strings.Contains(reason, "could not be checked") {
		t.Fatalf("readyz with the chain away: %d %q", code, reason)
	}

	px.setDown(false)
	waitFor(t, 5*time.Second, "serving resumes when the chain answers", func() bool {
		code, _ := r.status(t, row)
		return code == 200
	})
	if code, reason := readyz(); code != 200 {
		t.Fatalf("readyz after the chain came back: %d %s", code, reason)
	}
}

// TestHostileCSVInjection serves cells that a spreadsheet would run as
// formulas: the API's CSV escapes them (a leading '), leaves numbers
// alone, and JSONL keeps the values as they are.
func TestHostileCSVInjection(t *testing.T) {
	st := servetest.OpenStore(t, t.TempDir())
	cells := []string{"=cmd|' /C calc'!A0", `=HYPERLINK("http://evil.example","click")`, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'quoted", "-5", "plain"}
	m := sealNotes(t, st, cells)
	servetest.MarkAttested(t, st, m)
	r := runServer(t, serve.Config{Catalog: st, CacheDir: t.TempDir()})
	resp, err := http.Get(r.base + "/v1/datasets/notes/versions/1/data?format=csv&columns=note,amount")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	recs, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(recs) != len(cells)+1 {
		t.Fatalf("CSV: %d records, %v", len(recs), err)
	}
	want := []string{"'=cmd|' /C calc'!A0", `'=HYPERLINK("http://evil.example","click")`, "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "''quoted", "-5", "plain"}
	for i, rec := range recs[1:] {
		if rec[0] != want[i] {
			t.Errorf("cell %d: %q, want %q", i, rec[0], want[i])
		}
		if amount := fmt.Sprint(-int64(i) - 1); rec[1] != amount {
			t.Errorf("amount %d: %q, want %s: a negative number stays a number", i, rec[1], amount)
		}
	}
	// JSONL (like rows and Arrow) keeps the values as they are.
	resp2, err := http.Get(r.base + "/v1/datasets/notes/versions/1/data?format=jsonl&columns=note")
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	dec := json.NewDecoder(resp2.Body)
	for i := range cells {
		var row struct{ Note string }
		if err := dec.Decode(&row); err != nil || row.Note != cells[i] {
			t.Fatalf("JSONL row %d: %q %v", i, row.Note, err)
		}
	}
}

// TestHostileHTTP2Abort cuts a JSONL download over HTTP/2 (TLS) by
// deleting its last segment mid-stream: the client sees a stream error,
// not a clean end.
func TestHostileHTTP2Abort(t *testing.T) {
	st := servetest.OpenStore(t, t.TempDir())
	m := servetest.Seal(t, st, "votes", 0, 8000)
	servetest.MarkAttested(t, st, m)
	srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: t.TempDir(), Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Listener = smallBufListener{hs.Listener}
	hs.EnableHTTP2 = true
	hs.StartTLS()
	defer hs.Close()
	hc := hs.Client()
	defer hc.CloseIdleConnections()
	tr := hc.Transport.(*http.Transport) // small windows: the server blocks early
	tr.HTTP2 = &http.HTTP2Config{MaxReceiveBufferPerStream: 64 << 10, MaxReceiveBufferPerConnection: 64 << 10}
	tr.DialContext = slowClient(t).Transport.(*http.Transport).DialContext
	resp := openStream(t, hc, hs.URL+"/v1/datasets/votes/versions/1/data?format=jsonl")
	if resp.ProtoMajor != 2 {
		t.Fatalf("protocol %s, want HTTP/2", resp.Proto)
	}
	last := m.Segments[len(m.Segments)-1]
	if err := os.Remove(filepath.Join(st.Root(), filepath.FromSlash(last.Path))); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("an HTTP/2 download missing its last segment ended cleanly after %d more bytes", len(rest))
	}
	t.Logf("HTTP/2 client error: %v", err)
}
