package fakeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// post sends a GraphQL request and returns the status, headers and body.
func post(t *testing.T, c *http.Client, url, query string, vars map[string]any, hdr map[string]string) (int, http.Header, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func recorded(t *testing.T) fakeapi.HubData {
	t.Helper()
	dir := filepath.Join("testdata", "snapshot")
	d, err := fakeapi.LoadHubResponses(filepath.Join(dir, "spaces.json"), filepath.Join(dir, "proposals.json"), filepath.Join(dir, "votes.json"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

const votesQuery = `query Votes($space: String!, $first: Int!, $skip: Int, $created_gte: Int) {
  votes(first: $first, skip: $skip, where: {space: $space, created_gte: $created_gte}, orderBy: "created", orderDirection: asc) {
    id created choice vp_state proposal { id type } space { id }
  }
}`

func TestHubAnswers(t *testing.T) {
	hub := fakeapi.StartHub(recorded(t), fakeapi.HubOptions{})
	defer hub.Close()
	c := newClient(t)
	tests := []struct {
		name   string
		query  string
		vars   map[string]any
		status int
		want   string // a substring of the body
	}{
		{"ordered by created then id", votesQuery, map[string]any{"space": "gtdao.eth", "first": 2, "created_gte": 1690003605}, 200,
			`{"data":{"votes":[{"id":"0x0270da4daac514f30bece5788a87ad7b800f59476d0d7e6f70d4b61fbc4f5e9e","created":1690003605,"choice":1,"vp_state":"final","proposal":{"id":"0x169b5b823c62b64ca7e5f8456a13c8d5d06f4ece522a58bc2b8a784dcf3609b0","type":"single-choice"},"space":{"id":"gtdao.eth"}}`},
		{"choice kept verbatim", votesQuery, map[string]any{"space": "gtdao.eth", "first": 1, "skip": 1, "created_gte": 1690176400}, 200, `"choice":{"2":3,"10":1}`},
		{"first above the cap", votesQuery, map[string]any{"space": "gtdao.eth", "first": 1001}, 200,
			`{"errors":[{"message":"The ` + "`first`" + ` argument must not be greater than 1000","locations":[{"line":2,"column":3}],"path":["votes"]}],"data":{"votes":null}}`},
		{"skip above the cap", votesQuery, map[string]any{"space": "gtdao.eth", "first": 10, "skip": 5001}, 200, "The `skip` argument must not be greater than 5000"},
		{"unknown field", `{ votes { id nope } }`, nil, 400, `Cannot query field \"nope\" on type \"Vote\".`},
		{"unknown filter", `{ votes(where: {nope: 1}) { id } }`, nil, 400, `Field \"nope\" is not defined by type \"VoteWhere\".`},
		{"syntax error", `{ votes(first: ) { id } }`, nil, 400, `Syntax Error`},
		{"proposals snapshot as recorded", `{ proposals(first: 2, orderBy: "created", orderDirection: asc) { id snapshot scores_state } }`, nil, 200, `"snapshot":17796010`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := post(t, c, hub.URL, tc.query, tc.vars, nil)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Fatalf("HTTP %d %s\nwant HTTP %d containing %s", status, body, tc.status, tc.want)
			}
		})
	}
	if hub.MaxFirst() != 1001 || hub.MaxSkip() != 5001 {
		t.Fatalf("max first %d, max skip %d: rejected calls must be recorded too", hub.MaxFirst(), hub.MaxSkip())
	}
}

const spacesQuery = `query Spaces($created_gte: Int, $first: Int!, $skip: Int!) {
  spaces(first: $first, skip: $skip, where: {created_gte: $created_gte}, orderBy: "created", orderDirection: asc) {
    id created voting { delay type quorum } filters { minScore } strategies { name network } followersCount verified
  }
}`

// TestHubSpaces queries the recorded spaces: the SpaceWhere filters, the
// ordering by created (ties by id), nested objects and the spaces caps.
func TestHubSpaces(t *testing.T) {
	hub := fakeapi.StartHub(recorded(t), fakeapi.HubOptions{})
	defer hub.Close()
	c := newClient(t)
	byID := `query Spaces($space: String!, $first: Int!, $skip: Int!) {
  spaces(first: $first, skip: $skip, where: {id: $space}, orderBy: "created", orderDirection: asc) { id name }
}`
	tests := []struct {
		name   string
		query  string
		vars   map[string]any
		status int
		want   string // a substring of the body
	}{
		{"every space, ordered by created then id", spacesQuery, map[string]any{"first": 2, "skip": 0}, 200,
			`{"data":{"spaces":[{"id":"gt-council.eth","created":1689000000,"voting":{"delay":null,"type":"ranked-choice","quorum":2},"filters":{"minScore":0},"strategies":[{"name":"whitelist","network":"1"}],"followersCount":null,"verified":null},{"id":"gt-grants.eth"`},
		{"created_gte", spacesQuery, map[string]any{"first": 10, "skip": 0, "created_gte": 1689086400}, 200,
			`{"data":{"spaces":[{"id":"old-gtdao.eth","created":1689086400,"voting":{"delay":null,"type":null,"quorum":null}`},
		{"skip within a second", spacesQuery, map[string]any{"first": 1, "skip": 2}, 200, `{"data":{"spaces":[{"id":"gtdao.eth",`},
		{"one space by id (case-insensitive)", byID, map[string]any{"space": "GTDAO.eth", "first": 10, "skip": 0}, 200,
			`{"data":{"spaces":[{"id":"gtdao.eth","name":"GT DAO"}]}}`},
		{"id_in", `{ spaces(where: {id_in: ["gt-treasury.eth", "nope.eth"]}) { id } }`, nil, 200, `{"data":{"spaces":[{"id":"gt-treasury.eth"}]}}`},
		{"first above the cap", spacesQuery, map[string]any{"first": 1001, "skip": 0}, 200, "The `first` argument must not be greater than 1000"},
		{"skip above the cap", spacesQuery, map[string]any{"first": 1, "skip": 100001}, 200, "The `skip` argument must not be greater than 100000"},
		{"unknown field", `{ spaces { id nope } }`, nil, 400, `Cannot query field \"nope\" on type \"Space\".`},
		{"unknown voting field", `{ spaces { voting { nope } } }`, nil, 400, `Cannot query field \"nope\" on type \"SpaceVoting\".`},
		{"unknown filter", `{ spaces(where: {space: "x"}) { id } }`, nil, 400, `Field \"space\" is not defined by type \"SpaceWhere\".`},
		{"voting needs a selection", `{ spaces { voting } }`, nil, 400, `Field \"voting\" of type \"SpaceVoting\" must have a selection of subfields.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := post(t, c, hub.URL, tc.query, tc.vars, nil)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Fatalf("HTTP %d %s\nwant HTTP %d containing %s", status, body, tc.status, tc.want)
			}
		})
	}
}

func TestHubKeycard(t *testing.T) {
	hub := fakeapi.StartHub(recorded(t), fakeapi.HubOptions{APIKey: "k-123", KeyLimit: 2, KeyPeriod: time.Hour})
	defer hub.Close()
	c := newClient(t)
	q := `{ votes(first: 1) { id } }`
	if st, _, body := post(t, c, hub.URL, q, nil, map[string]string{"x-api-key": "wrong"}); st != 401 || !strings.Contains(body, "invalid api key") {
		t.Fatalf("wrong key: HTTP %d %s", st, body)
	}
	for i, want := range []string{"1", "0"} {
		st, h, _ := post(t, c, hub.URL, q, nil, map[string]string{"x-api-key": "k-123"})
		if st != 200 || h.Get("X-Api-Key-Remaining") != want || h.Get("X-Api-Key-Reset") == "" {
			t.Fatalf("request %d: HTTP %d, remaining %q", i+1, st, h.Get("X-Api-Key-Remaining"))
		}
	}
	if st, _, body := post(t, c, hub.URL, q, nil, map[string]string{"x-api-key": "k-123"}); st != 429 || !strings.Contains(body, "too many requests") {
		t.Fatalf("over quota: HTTP %d %s", st, body)
	}
	if st, _, _ := post(t, c, hub.URL, q, nil, nil); st != 200 {
		t.Fatalf("keyless: HTTP %d", st)
	}
}

func TestHubFaults(t *testing.T) {
	hub := fakeapi.StartHub(recorded(t), fakeapi.HubOptions{})
	defer hub.Close()
	hub.SetFaults(fakeapi.Sequence(fakeapi.TooMany("7"), fakeapi.Status(502), fakeapi.Garbage(), fakeapi.Truncate(), fakeapi.CutOff(), fakeapi.Hang()))
	c := newClient(t)
	q := `{ votes(first: 3) { id } }`
	st, h, body := post(t, c, hub.URL, q, nil, nil)
	if st != 429 || h.Get("Retry-After") != "7" || !strings.Contains(body, "too many requests") {
		t.Fatalf("429: HTTP %d %v %s", st, h, body)
	}
	if st, _, _ := post(t, c, hub.URL, q, nil, nil); st != 502 {
		t.Fatalf("502: HTTP %d", st)
	}
	_, _, body = post(t, c, hub.URL, q, nil, nil)
	var v any
	var se *json.SyntaxError
	if err := json.Unmarshal([]byte(body), &v); !errors.As(err, &se) || se.Offset != 19 {
		t.Fatalf("garbage: %q gives %v", body, err)
	}
	_, _, body = post(t, c, hub.URL, q, nil, nil)
	if err := json.Unmarshal([]byte(body), &v); err == nil {
		t.Fatalf("truncated body %q parses", body)
	}
	req, _ := http.NewRequest(http.MethodPost, hub.URL, strings.NewReader(`{"query":"{ votes(first: 3) { id } }"}`))
	resp, err := c.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut-off body: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, hub.URL, strings.NewReader(`{"query":"{ votes { id } }"}`))
	if _, err := c.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hang: %v", err)
	}
	if st, _, _ := post(t, c, hub.URL, q, nil, nil); st != 200 {
		t.Fatalf("after the faults: HTTP %d", st)
	}
}

func TestGenerate(t *testing.T) {
	d := fakeapi.Generate(fakeapi.GenOptions{Votes: 30, Burst: 4, Pending: 2})
	if len(d.Votes) != 30 || len(d.Proposals) != 6 {
		t.Fatalf("%d votes, %d proposals", len(d.Votes), len(d.Proposals))
	}
	shapes := map[byte]bool{}
	for _, v := range d.Votes {
		shapes[v["choice"][0]] = true
	}
	if !shapes['['] || !shapes['{'] || !shapes['1'] && !shapes['2'] && !shapes['3'] {
		t.Fatalf("choice shapes %v", shapes)
	}
	if len(d.Spaces) != 3 || string(d.Spaces[0]["id"]) != `"groundtruth.eth"` || string(d.Spaces[2]["id"]) != `"`+fakeapi.GenSpaceID(2)+`"` {
		t.Fatalf("default spaces: %d, first %s", len(d.Spaces), d.Spaces[0]["id"])
	}
	// Spaces vary: null voting values, missing counts, null flags; a larger
	// count only adds spaces.
	more := fakeapi.Generate(fakeapi.GenOptions{Spaces: 12})
	seen := map[string]bool{}
	for i, sp := range more.Spaces {
		if i < len(d.Spaces) && !bytes.Equal(sp["voting"], d.Spaces[i]["voting"]) {
			t.Fatalf("space %d changed with the count", i)
		}
		seen["null delay"] = seen["null delay"] || bytes.Contains(sp["voting"], []byte(`"delay":null`))
		seen["delay"] = seen["delay"] || bytes.Contains(sp["voting"], []byte(`"delay":3600`))
		seen["no counts"] = seen["no counts"] || sp["votesCount"] == nil
		seen["null verified"] = seen["null verified"] || string(sp["verified"]) == "null"
		seen["shutter"] = seen["shutter"] || bytes.Contains(sp["voting"], []byte(`"privacy":"shutter"`))
	}
	if !seen["null delay"] || !seen["delay"] || !seen["no counts"] || !seen["null verified"] || !seen["shutter"] {
		t.Fatalf("generated spaces do not vary: %v", seen)
	}
}
