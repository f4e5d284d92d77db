package snapshot

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// conflicting returns the hub's votes with a second, different version of
// the vote at index at (same id and created second, another choice and vp:
// a split view), and the forged vote's id.
func conflicting(at int) (fakeapi.HubData, string) {
	data := fakeapi.Generate(fakeapi.GenOptions{Votes: 40, Burst: 3, Pending: -1})
	var final []fakeapi.Item
	for _, it := range data.Votes {
		if string(it["vp_state"]) == `"final"` {
			final = append(final, it)
		}
	}
	data.Votes = final
	forged := fakeapi.Item{}
	for k, v := range final[at] {
		forged[k] = v
	}
	forged["choice"], forged["vp"], forged["reason"] = json.RawMessage(`2`), json.RawMessage(`999999`), json.RawMessage(`"forged"`)
	data.Votes = append(data.Votes, forged)
	var id string
	json.Unmarshal(forged["id"], &id)
	return data, id
}

// TestConflictingDuplicateKept serves two different votes with one id (F17)
// on one page, across a page boundary and across fetches: the source emits
// both versions once each, and poisoning.duplicates flags the second as
// poisoning.conflicting_duplicate naming the earlier one and the fields
// that differ.
func TestConflictingDuplicateKept(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pageSize int
		maxPages int
		apart    bool // the two versions come in different fetches
	}{
		{"one page", 1000, 10, false},
		{"pages of 2", 2, 100, false},
		{"pages of 6, one page a fetch", 6, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, id := conflicting(9)
			hub := fakeapi.StartHub(data, fakeapi.HubOptions{})
			defer hub.Close()
			cfg := testConfig(hub.URL, TableVotes, "groundtruth.eth", tc.pageSize)
			cfg.MaxPages = tc.maxPages
			s := mustNew(t, "snap", cfg, testDeps(t, nil))
			var recs []arrow.RecordBatch
			fetchOf := map[string][]int{} // vp of the forged id's versions → fetch
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			var cur []byte
			for i := range 200 {
				n := 0
				res, err := s.Fetch(context.Background(), cur, func(rec arrow.RecordBatch) error {
					for _, r := range rowsOf(rec) {
						if r["id"] == id {
							fetchOf[r["vp"]] = append(fetchOf[r["vp"]], i)
						}
					}
					rec.Retain()
					recs, n = append(recs, rec), n+int(rec.NumRows())
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if cur = res.Cursor; n == 0 {
					break
				}
			}
			if f := fetchOf["999999"]; tc.apart && (len(f) != 1 || slices.Equal(f, fetchOf[firstVP(fetchOf)])) {
				t.Fatalf("fetches of the two versions: %v, want different fetches", fetchOf)
			}
			var rows []row
			for _, r := range recs {
				rows = append(rows, rowsOf(r)...)
			}
			if len(rows) != len(data.Votes) {
				t.Fatalf("%d rows emitted, the hub holds %d items (one id twice)", len(rows), len(data.Votes))
			}
			var versions []string
			for _, r := range rows {
				if r["id"] == id {
					versions = append(versions, r["vp"])
				}
			}
			if len(versions) != 2 || versions[0] == versions[1] {
				t.Fatalf("versions of %s emitted: vp %v, want both", id, versions)
			}
			dup, err := poisoning.NewDuplicates("", poisoning.DefaultDuplicatesConfig())
			if err != nil {
				t.Fatal(err)
			}
			c := validatorstest.Case{Name: tc.name, Dataset: "votes", Schema: s.Schema(), Records: recs}
			var got []validators.Finding
			for _, f := range validatorstest.Run(t, dup, c) {
				if !f.Passed {
					got = append(got, f)
				}
			}
			if len(got) != 1 || got[0].Code != poisoning.CodeConflictingDuplicate || len(got[0].Rows) != 1 ||
				!strings.Contains(got[0].Message, "the earlier row "+id) || !strings.Contains(got[0].Message, `→"forged"`) {
				t.Fatalf("findings %+v, want one %s naming the earlier row and the forged reason", got, poisoning.CodeConflictingDuplicate)
			}
		})
	}
}

// firstVP is the vp of the genuine version among the forged id's versions.
func firstVP(m map[string][]int) string {
	for vp := range m {
		if vp != "999999" {
			return vp
		}
	}
	return ""
}
