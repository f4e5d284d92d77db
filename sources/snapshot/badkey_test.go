package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// TestFetchBadIDAndCreated serves the recorded hub answers with one final
// item's id replaced by a number and another's created by a word: every
// final item must still be emitted once (a re-read from the returned
// cursors adds nothing), the two corrupted ones as rows of placeholders
// reported as bad values naming the column, the raw value and the hub URL
// with the item index; the corrupted id's row gets a bad-value: key.
func TestFetchBadIDAndCreated(t *testing.T) {
	for _, tt := range []struct {
		table, state string
	}{{TableVotes, "vp_state"}, {TableProposals, "scores_state"}} {
		t.Run(tt.table, func(t *testing.T) {
			data := recorded(t)
			items := &data.Votes
			if tt.table == TableProposals {
				items = &data.Proposals
			}
			var final []int
			for i, it := range *items {
				if string(it[tt.state]) == `"final"` {
					final = append(final, i)
				}
			}
			if len(final) < 4 {
				t.Fatalf("the recording has %d final %s, want at least 4", len(final), tt.table)
			}
			want := len(finalIDs(*items, tt.state))
			badID, badCreated := final[1], final[len(final)-2]
			var keptID string
			json.Unmarshal((*items)[badCreated]["id"], &keptID)
			(*items)[badID] = copyItem((*items)[badID], "id", `12345`)
			(*items)[badCreated] = copyItem((*items)[badCreated], "created", `"soon"`)
			hub := fakeapi.StartHub(data, fakeapi.HubOptions{})
			defer hub.Close()
			s := mustNew(t, "gtdao", testConfig(hub.URL, tt.table, "gtdao.eth", 3), testDeps(t, nil))
			var rows []row
			var bad []sources.BadValue
			var cur sources.Cursor
			for range 100 {
				got, res, err := fetchAll(t, s, cur)
				if err != nil {
					t.Fatalf("a bad id or created failed the fetch: %v", err)
				}
				for _, b := range res.BadValues {
					b.Row += len(rows)
					bad = append(bad, b)
				}
				rows, cur = append(rows, got...), res.Cursor
				if len(got) == 0 {
					break
				}
			}
			if len(rows) != want {
				t.Fatalf("%d rows, want every one of the %d final items once", len(rows), want)
			}
			if len(bad) != 2 {
				t.Fatalf("bad values %+v, want 2", bad)
			}
			for _, b := range bad {
				t.Logf("%+v", b)
				if !strings.HasPrefix(b.Locator, hub.URL) || !strings.Contains(b.Locator, " item ") {
					t.Errorf("locator %q, want the hub URL and the item index", b.Locator)
				}
				id := rows[b.Row]["id"]
				switch b.Column {
				case "id":
					if b.Raw != "12345" || !strings.HasPrefix(id, badIDPrefix) {
						t.Errorf("bad id: %+v, row id %q", b, id)
					}
				case "created":
					if b.Raw != `"soon"` || id != keptID {
						t.Errorf("bad created: %+v, row id %q, want %q", b, id, keptID)
					}
				default:
					t.Errorf("bad value of column %s", b.Column)
				}
			}
		})
	}
}

// copyItem returns it with field set to raw JSON.
func copyItem(it fakeapi.Item, field, raw string) fakeapi.Item {
	out := fakeapi.Item{}
	for k, v := range it {
		out[k] = v
	}
	out[field] = json.RawMessage(raw)
	return out
}

// TestIngestBadID ingests the recorded votes with one id replaced by a
// number through pipeline.Ingest: by default the other votes are sealed and
// the bad one is quarantined as poisoning.bad_value naming the column and
// the hub's URL with the item index; with on_bad_value: fail the run fails
// with ErrBadInput and nothing is sealed.
func TestIngestBadID(t *testing.T) {
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("fail=%v", fail), func(t *testing.T) {
			data := recorded(t)
			want := len(finalIDs(data.Votes, "vp_state"))
			for i, it := range data.Votes {
				if string(it["vp_state"]) == `"final"` {
					data.Votes[i] = copyItem(it, "id", `12345`)
					break
				}
			}
			hub := fakeapi.StartHub(data, fakeapi.HubOptions{})
			defer hub.Close()
			st := openStore(t)
			suite, err := validators.NewSuite(nil, nil, validators.SuiteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s := mustNew(t, "gtdao", testConfig(hub.URL, TableVotes, "gtdao.eth", 100), testDeps(t, nil))
			ctx := context.Background()
			res, err := pipeline.Ingest(ctx, st, pipeline.Job{Name: "votes", Dataset: "votes", Source: s, Validation: suite, FailOnBadValue: fail}, time.Unix(1700000000, 0))
			if fail {
				if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "12345") {
					t.Fatalf("err = %v, want ErrBadInput naming the raw id", err)
				}
				if vs, _ := st.Versions(ctx, "votes"); len(vs) != 0 {
					t.Fatalf("%d versions sealed after a failed run", len(vs))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Manifest == nil || int(res.Manifest.RowCount) != want-1 {
				t.Fatalf("sealed %+v, want the %d good votes", res.Manifest, want-1)
			}
			found := false
			for _, f := range res.Validation.Report.Findings {
				if f.Code == validators.CodeBadValue {
					found = strings.Contains(f.Message, "column id") && strings.Contains(f.Message, hub.URL) && strings.Contains(f.Message, " item ")
					t.Log(f.Message)
				}
			}
			es, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "votes"})
			if err != nil {
				t.Fatal(err)
			}
			if !found || len(es) != 1 {
				t.Fatalf("bad-value finding naming the column and locator %v, quarantine %d entries; want both", found, len(es))
			}
		})
	}
}
