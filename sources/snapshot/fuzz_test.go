package snapshot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// fuzzDecode checks that decoding a hub answer never panics and either
// fails or yields items whose rows build records matching the schema.
func fuzzDecode(f *testing.F, table, recording string) {
	s, err := New("fuzz", testConfig("http://127.0.0.1:1/graphql", table, "gtdao.eth", 1000), sources.Deps{})
	if err != nil {
		f.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "internal", "fakeapi", "testdata", "snapshot", recording)); err == nil {
		f.Add(b)
	}
	for _, seed := range []string{
		`{"data":{"votes":[{"id":"0x1","voter":"0xa","created":"1690000000","choice":{"1":0.5},"vp":"1e3","vp_by_strategy":[1000],"vp_state":"final","space":{"id":"s"},"proposal":null}]}}`,
		`{"data":{"votes":[{"id":"0x1","created":1,"choice":"0xenc","vp":null,"vp_state":"final"}]}}`,
		`{"data":{"proposals":[{"id":"p","created":1,"start":2,"end":3,"snapshot":"17e6","scores_total":"x","scores_state":"final"}]}}`,
		`{"data":{"proposals":[{"id":"p","created":1,"start":2,"end":3,"snapshot":-1}]}}`,
		`{"errors":[{"message":"request failed"}],"data":{"votes":null}}`,
		`{"data":{"spaces":[{"id":"s.eth","created":"1690000000","strategies":null,"filters":{"minScore":"1e3","onlyMembers":null},"voting":{"delay":null,"period":"86400","quorum":"0.5","type":null},"followersCount":null,"verified":null}]}}`,
		`{"data":{"spaces":[{"id":"s.eth","created":1,"voting":{"delay":-1}}]}}`,
		`{"data":{"spaces":[{"id":"s.eth","created":1,"filters":{"onlyMembers":"yes"},"votesCount":1.5}]}}`,
		`{"data":{"spaces":[{"id":"","created":1}]}}`,
		`{"data":{"votes":{}}}`, `[]`, `{"data": {"rows": @@@ not json`,
	} {
		f.Add([]byte(seed))
	}
	req := &httpfetch.Request{URL: "http://127.0.0.1:1/graphql"}
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := &httpfetch.Response{Request: req, Status: 200, Body: body}
		items, err := s.decode(resp)
		if err != nil {
			return
		}
		var rows [][]any
		for _, it := range items {
			if len(it.values) != len(s.table.schema.Columns)-2 {
				t.Fatalf("item %s has %d values for %d columns", it.id, len(it.values), len(s.table.schema.Columns)-2)
			}
			if it.state == "final" {
				rows = append(rows, it.values)
			}
			for i, c := range s.table.schema.Columns[:len(it.values)] {
				if it.values[i] == nil && !c.Nullable {
					t.Fatalf("item %s: null in column %s", it.id, c.Name)
				}
			}
			if it.values[5] != nil && table == TableVotes && !json.Valid([]byte(it.values[5].(string))) {
				t.Fatalf("choice %q is not JSON", it.values[5])
			}
		}
		if len(rows) == 0 {
			return
		}
		err = s.emitRows(rows, datasets.Hash{}, func(rec arrow.RecordBatch) error {
			return s.table.schema.CheckArrow(rec.Schema())
		})
		if err != nil {
			t.Fatalf("rows do not build a record of the schema: %v", err)
		}
	})
}

func FuzzDecodeVotes(f *testing.F)     { fuzzDecode(f, TableVotes, "votes.json") }
func FuzzDecodeProposals(f *testing.F) { fuzzDecode(f, TableProposals, "proposals.json") }
func FuzzDecodeSpaces(f *testing.F)    { fuzzDecode(f, TableSpaces, "spaces.json") }
