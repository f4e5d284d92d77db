package snapshot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/sources"
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
