package snapshot

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// TestSpaces ingests generated spaces through pipeline.Ingest into a store
// (several versions, max_pages pages each) and checks every stored value
// against the hub's items, the order, the hub's caps and the where filter
// of every call: every space on the hub, or the configured one.
func TestSpaces(t *testing.T) {
	tests := []struct {
		name          string
		spaces, burst int
		space         string
		pageSize      int
		wantMaxSkip   int64
	}{
		{name: "every space, bursts larger than a page", spaces: 2500, burst: 1200, pageSize: 1000, wantMaxSkip: 1000},
		{name: "every space, small pages", spaces: 40, burst: 3, pageSize: 4, wantMaxSkip: 0},
		{name: "one space", spaces: 40, burst: 3, space: fakeapi.GenSpaceID(17), pageSize: 4},
		{name: "the first space", spaces: 40, burst: 3, space: "groundtruth.eth", pageSize: 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := fakeapi.Generate(fakeapi.GenOptions{Spaces: tc.spaces, Burst: tc.burst})
			hub := fakeapi.StartHub(data, fakeapi.HubOptions{})
			defer hub.Close()
			hub.SetFaults(fakeapi.Every(5, fakeapi.TooMany("0.01")))
			st := openStore(t)
			cfg := testConfig(hub.URL, TableSpaces, tc.space, tc.pageSize)
			cfg.MaxPages = 2 // several versions
			s := mustNew(t, "snap-spaces", cfg, testDeps(t, st.Raw()))
			job := pipeline.Job{Name: "spaces", Dataset: "spaces", Source: s}
			for {
				res, err := pipeline.Ingest(context.Background(), st, job, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				if res.Rows == 0 {
					break
				}
			}
			rows, m := storedRows(t, st, "spaces")
			byID := map[string]fakeapi.Item{}
			var items []fakeapi.Item
			for _, it := range data.Spaces {
				var id string
				json.Unmarshal(it["id"], &id)
				if tc.space == "" || id == tc.space {
					byID[id] = it
					items = append(items, it)
				}
			}
			checkIDs(t, rows, finalIDs(items, ""))
			for _, r := range rows {
				checkSpace(t, r, byID[r["id"]])
			}
			t.Logf("%d spaces in %d versions, exact", m.RowCount, m.Version)
			if hub.MaxFirst() > MaxFirst || hub.MaxSkip() > MaxSkip {
				t.Fatalf("the hub saw first up to %d, skip up to %d", hub.MaxFirst(), hub.MaxSkip())
			}
			if tc.space == "" && hub.MaxSkip() != tc.wantMaxSkip {
				t.Errorf("max skip %d, want %d", hub.MaxSkip(), tc.wantMaxSkip)
			}
			for _, c := range hub.Calls() {
				id, hasID := c.Where["id"]
				if c.Field != "spaces" || c.OrderBy != "created" || c.OrderDirection != "asc" || hasID != (tc.space != "") || hasID && id != tc.space {
					t.Fatalf("call %+v", c)
				}
			}
		})
	}
}

// spaceJSONColumns maps the JSON columns of the spaces table to their
// fields of the hub's Space.
var spaceJSONColumns = map[string]string{
	"strategies": "strategies", "admins": "admins", "moderators": "moderators", "members": "members",
	"plugins": "plugins", "validation": "validation", "vote_validation": "voteValidation",
}

// checkSpace compares a stored row with the hub's space column by column:
// JSON columns as JSON values, the others as text, nulls as nulls.
func checkSpace(t testing.TB, r row, it fakeapi.Item) {
	t.Helper()
	get := func(field string, sub ...string) any {
		var v any
		json.Unmarshal(it[field], &v)
		for _, k := range sub {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	want := row{}
	put := func(col string, v any) {
		switch v := v.(type) {
		case string:
			want[col] = v
		case bool:
			want[col] = strconv.FormatBool(v)
		case float64:
			want[col] = strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	for _, f := range []string{"id", "name", "about", "network", "symbol"} {
		put(f, get(f))
	}
	want["created"] = time.Unix(int64(get("created").(float64)), 0).UTC().Format(time.RFC3339)
	put("min_score", get("filters", "minScore"))
	put("only_members", get("filters", "onlyMembers"))
	for _, f := range []string{"delay", "period", "type", "quorum", "privacy"} {
		put("voting_"+f, get("voting", f))
	}
	put("voting_quorum_type", get("voting", "quorumType"))
	for col, f := range map[string]string{"followers_count": "followersCount", "proposals_count": "proposalsCount", "votes_count": "votesCount"} {
		put(col, get(f))
	}
	for _, f := range []string{"verified", "flagged", "hibernated"} {
		put(f, get(f))
	}
	for _, c := range SpacesSchema().Columns {
		if c.Name == ColSource || c.Name == ColRaw {
			continue
		}
		got, has := r[c.Name]
		if f, ok := spaceJSONColumns[c.Name]; ok {
			var g any
			if err := json.Unmarshal([]byte(got), &g); err != nil || !reflect.DeepEqual(g, get(f)) {
				t.Fatalf("space %s: %s = %s, want %s", r["id"], c.Name, got, it[f])
			}
			continue
		}
		w, wantHas := want[c.Name]
		if has != wantHas || got != w {
			t.Fatalf("space %s: %s = %q (present %t), want %q (present %t)", r["id"], c.Name, got, has, w, wantHas)
		}
	}
}
