package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// at injects f into the n-th request only.
func at(n int, f fakeapi.Fault) fakeapi.Injector {
	return func(i int, _ *http.Request) fakeapi.Fault {
		if i == n {
			return f
		}
		return fakeapi.Fault{}
	}
}

func ingest(ctx context.Context, st *store.Store, src sources.Source) (*pipeline.IngestResult, error) {
	return pipeline.Ingest(ctx, st, pipeline.Job{Name: "votes-job", Dataset: "votes", Source: src}, time.Unix(1700000000, 0))
}

// requestFailed is the hub's answer when its database fails.
var requestFailed = fakeapi.Fault{Garbage: true, Body: []byte(`{"errors":[{"message":"request failed","locations":[{"line":2,"column":3}],"path":["votes"]}],"data":{"votes":null}}`)}

// TestFaults ingests votes through pipeline.Ingest while the hub
// misbehaves: transient faults leave the data complete and exact, the
// others fail the ingest and leave the store unchanged.
func TestFaults(t *testing.T) {
	data := fakeapi.Generate(fakeapi.GenOptions{Votes: 120, Burst: 4})
	want := finalIDs(data.Votes, "vp_state")
	const clean = 5 // requests of a clean ingest (pages of 30, each starting at the last second read)
	tests := []struct {
		name     string
		inject   fakeapi.Injector
		opts     fakeapi.HubOptions
		timeout  time.Duration
		wantErr  error
		wantMsg  string
		requests int
		atLeast  bool // requests is a minimum (a slow machine may time out more)
		minTime  time.Duration
	}{
		{name: "429 with Retry-After", inject: at(2, fakeapi.TooMany("0.3")), requests: clean + 1, minTime: 300 * time.Millisecond},
		{name: "500 then success", inject: at(3, fakeapi.Status(500)), requests: clean + 1},
		{name: "timeout then success", inject: at(2, fakeapi.Hang()), timeout: 300 * time.Millisecond, requests: clean + 1, atLeast: true},
		{name: "cut-off body then success", inject: at(4, fakeapi.CutOff()), requests: clean + 1},
		{name: "GraphQL request failed then success", inject: at(2, requestFailed), requests: clean + 1},
		{name: "no fault", requests: clean},
		{name: "key quota exhausted: wait for the reset", opts: fakeapi.HubOptions{APIKey: "k-1", KeyLimit: 2, KeyPeriod: 300 * time.Millisecond}, requests: clean, minTime: 300 * time.Millisecond},
		{name: "garbage JSON", inject: at(2, fakeapi.Garbage()), wantErr: sources.ErrBadInput, wantMsg: "the body is not valid JSON at byte offset 19", requests: 2},
		{name: "truncated body", inject: at(3, fakeapi.Truncate()), wantErr: sources.ErrBadInput, wantMsg: "ends in the middle of a JSON document", requests: 3},
		{name: "persistent 503", inject: fakeapi.Always(fakeapi.Status(503)), wantErr: sources.ErrTransient, wantMsg: "after 4 attempts", requests: 4},
		{name: "wrong API key", opts: fakeapi.HubOptions{APIKey: "another"}, wantErr: sources.ErrConfig, wantMsg: "invalid api key", requests: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hub := fakeapi.StartHub(data, tc.opts)
			defer hub.Close()
			hub.SetFaults(tc.inject)
			st := openStore(t)
			cfg := testConfig(hub.URL, TableVotes, "groundtruth.eth", 30)
			cfg.APIKey = "k-1"
			if tc.timeout > 0 {
				cfg.HTTP.Timeout = tc.timeout
			}
			s := mustNew(t, "snap", cfg, testDeps(t, st.Raw()))
			began := time.Now()
			_, err := ingest(context.Background(), st, s)
			took := time.Since(began)
			if got := hub.Requests(); got != tc.requests && !(tc.atLeast && got > tc.requests) {
				t.Errorf("the hub saw %d requests, want %d", hub.Requests(), tc.requests)
			}
			for _, c := range hub.Calls() {
				if c.APIKey != "k-1" {
					t.Fatalf("a call without the API key: %+v", c)
				}
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("transient fault: %v", err)
				}
				if took < tc.minTime {
					t.Errorf("took %v, the hub asked to wait %v", took, tc.minTime)
				}
				rows, _ := storedRows(t, st, "votes")
				checkIDs(t, rows, want)
				return
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v\nwant %v containing %q", err, tc.wantErr, tc.wantMsg)
			}
			for _, part := range []string{`source "snap"`, "POST http://127.0.0.1:", "/graphql", "votes page "} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("the error does not name the request (%q): %v", part, err)
				}
			}
			if strings.Contains(err.Error(), "k-1") {
				t.Errorf("the API key is in the error: %v", err)
			}
			if _, verr := st.Versions(context.Background(), "votes"); !errors.Is(verr, store.ErrNotFound) {
				t.Fatalf("the store changed after a failed ingest: %v", verr)
			}
			if cp, _ := st.Checkpoint(context.Background(), "votes-job"); cp != nil {
				t.Fatalf("checkpoint %s after a failed ingest", cp)
			}
		})
	}
}

// TestIngestExact ingests a large generated space (every choice shape,
// bursts of votes in one second larger than a page) through
// pipeline.Ingest and checks every stored value against the hub's items,
// and that the hub never saw first > 1000 or skip > 5000.
func TestIngestExact(t *testing.T) {
	data := fakeapi.Generate(fakeapi.GenOptions{Votes: 9000, Burst: 1500, Proposals: 6, Pending: 0})
	hub := fakeapi.StartHub(data, fakeapi.HubOptions{})
	defer hub.Close()
	hub.SetFaults(fakeapi.Every(5, fakeapi.TooMany("0.01")))
	st := openStore(t)
	for _, table := range []string{TableProposals, TableVotes} {
		cfg := testConfig(hub.URL, table, "groundtruth.eth", 1000)
		cfg.MaxPages = 3 // several versions
		s := mustNew(t, "snap-"+table, cfg, testDeps(t, st.Raw()))
		job := pipeline.Job{Name: table, Dataset: table, Source: s}
		for {
			res, err := pipeline.Ingest(context.Background(), st, job, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows == 0 {
				break
			}
		}
		rows, m := storedRows(t, st, table)
		items, state := data.Votes, "vp_state"
		if table == TableProposals {
			items, state = data.Proposals, "scores_state"
		}
		checkIDs(t, rows, finalIDs(items, state))
		byID := map[string]fakeapi.Item{}
		for _, it := range items {
			var id string
			json.Unmarshal(it["id"], &id)
			byID[id] = it
		}
		for _, r := range rows {
			checkValues(t, table, r, byID[r["id"]])
		}
		t.Logf("%s: %d rows in %d versions, exact", table, m.RowCount, m.Version)
	}
	if hub.MaxFirst() > MaxFirst || hub.MaxSkip() > MaxSkip || hub.MaxSkip() == 0 {
		t.Fatalf("the hub saw first up to %d, skip up to %d", hub.MaxFirst(), hub.MaxSkip())
	}
}

// checkValues compares a stored row with the hub's item field by field.
func checkValues(t testing.TB, table string, r row, it fakeapi.Item) {
	t.Helper()
	get := func(f string) any {
		var v any
		json.Unmarshal(it[f], &v)
		return v
	}
	num := func(f string) string { return strconv.FormatFloat(get(f).(float64), 'g', -1, 64) }
	ts := func(f string) string { return time.Unix(int64(get(f).(float64)), 0).UTC().Format(time.RFC3339) }
	want := map[string]string{"id": get("id").(string), "created": ts("created"), "space": get("space").(map[string]any)["id"].(string)}
	if table == TableVotes {
		want["voter"], want["vp"], want["vp_state"] = get("voter").(string), num("vp"), "final"
		want["proposal"] = get("proposal").(map[string]any)["id"].(string)
		if c, ok := get("choice").(float64); ok {
			want["choice_num"], want["choice"] = num("choice"), strconv.FormatFloat(c, 'g', -1, 64)
		}
	} else {
		want["start"], want["end"], want["scores_total"] = ts("start"), ts("end"), num("scores_total")
		want["title"], want["body"] = get("title").(string), get("body").(string)
		switch sn := get("snapshot").(type) {
		case string:
			want["snapshot"] = sn
		case float64:
			want["snapshot"] = strconv.FormatFloat(sn, 'f', -1, 64)
		}
	}
	for k, v := range want {
		if r[k] != v {
			t.Fatalf("%s %s: %s = %q, want %q", table, want["id"], k, r[k], v)
		}
	}
	if table == TableVotes {
		if _, isNum := get("choice").(float64); !isNum && r["choice_num"] != "" {
			t.Fatalf("vote %s: choice_num %q for a non-numeric choice", want["id"], r["choice_num"])
		}
		if vp, _ := strconv.ParseFloat(r["vp"], 64); math.IsNaN(vp) {
			t.Fatal("NaN vp")
		}
	}
}
