package file_test

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
)

// sharedData returns ../shared/data relative to the repository root (the
// folder holding go.mod). Without it the test is skipped, except in CI.
func sharedData(t *testing.T) string {
	t.Helper()
	shareddata.SharedData(t, "governance")
	return shareddata.RepoRoot(t)
}

// exampleSource loads examples/<name>.yaml and builds its only source.
func exampleSource(t *testing.T, root, name string) sources.Source {
	t.Helper()
	reg, err := sources.NewRegistry(file.Factory())
	if err != nil {
		t.Fatal(err)
	}
	_, srcs, err := config.LoadWithSources(filepath.Join(root, "examples", name+".yaml"), nil, reg, sources.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 {
		t.Fatalf("%d sources in %s", len(srcs), name)
	}
	for _, s := range srcs {
		return s
	}
	return nil
}

// table holds every row of a fetch as strings, by column name.
type table struct {
	rows []map[string]string
}

func fetchAll(t *testing.T, s sources.Source) table {
	t.Helper()
	var tb table
	res, err := s.Fetch(context.Background(), nil, func(rec arrow.RecordBatch) error {
		for r := range int(rec.NumRows()) {
			row := map[string]string{}
			for c, f := range rec.Schema().Fields() {
				col := rec.Column(c)
				switch {
				case col.IsNull(r):
				case f.Name == "votes" || f.Name == "voting_power":
					row[f.Name] = new(big.Int).SetBytes(col.(*array.FixedSizeBinary).Value(r)).String()
				default:
					row[f.Name] = col.ValueStr(r)
				}
			}
			tb.rows = append(tb.rows, row)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Provenance.Inputs) != 1 {
		t.Errorf("provenance = %+v", res.Provenance)
	}
	return tb
}

func (tb table) count(col, value string) int {
	n := 0
	for _, r := range tb.rows {
		if r[col] == value {
			n++
		}
	}
	return n
}

func (tb table) first(col, value string) map[string]string {
	for _, r := range tb.rows {
		if r[col] == value {
			return r
		}
	}
	return nil
}

func expect(t *testing.T, row map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if row[k] != v {
			t.Errorf("%s = %q, want %q", k, row[k], v)
		}
	}
}

func TestCompoundBravo(t *testing.T) {
	root := sharedData(t)
	tb := fetchAll(t, exampleSource(t, root, "compound-bravo"))
	if len(tb.rows) != 8002 {
		t.Fatalf("%d rows, want 8002", len(tb.rows))
	}
	if n := tb.count("event_name", "VoteCast"); n != 7733 {
		t.Errorf("%d VoteCast rows, want 7733", n)
	}
	expect(t, tb.first("event_name", "ProposalCreated"), map[string]string{
		"id": "43", "start_block": "12235672", "end_block": "12252952", "_line": "3", "_source": "compound-bravo-csv",
		"timestamp": "2021-04-14T03:00:21Z", "block_number": "12235671", "log_index": "270",
	})
	first := tb.first("event_name", "VoteCast")
	expect(t, first, map[string]string{"proposal_id": "43", "support": "1", "votes": "200000000000000000", "_line": "9"})
	expect(t, tb.rows[3], map[string]string{"votes": "64126463650272834603", "_line": "10"})
	sum := new(big.Int)
	for _, r := range tb.rows {
		if v, ok := r["votes"]; ok {
			n, _ := new(big.Int).SetString(v, 10)
			sum.Add(sum, n)
		}
	}
	if sum.String() != "73047110588630259724950858" {
		t.Errorf("sum of votes = %s", sum)
	}
	expect(t, tb.rows[len(tb.rows)-1], map[string]string{"_line": "10514", "event_name": "ProposalCreated"})
}

func TestCompoundAlpha(t *testing.T) {
	root := sharedData(t)
	tb := fetchAll(t, exampleSource(t, root, "compound-alpha"))
	if len(tb.rows) != 2532 || tb.count("event_name", "VoteCast") != 2416 || tb.count("event_name", "ProposalCreated") != 42 {
		t.Errorf("%d rows, %d VoteCast, %d ProposalCreated", len(tb.rows), tb.count("event_name", "VoteCast"), tb.count("event_name", "ProposalCreated"))
	}
	expect(t, tb.first("event_name", "VoteCast"), map[string]string{"proposal_id": "1", "support": "true", "votes": "24107640000000000000000"})
}

func TestAaveGovernanceV2(t *testing.T) {
	root := sharedData(t)
	tb := fetchAll(t, exampleSource(t, root, "aave-governance-v2"))
	if len(tb.rows) != 16193 || tb.count("event_name", "VoteEmitted") != 15828 || tb.count("event_name", "ProposalCreated") != 130 {
		t.Errorf("%d rows, %d VoteEmitted, %d ProposalCreated", len(tb.rows), tb.count("event_name", "VoteEmitted"), tb.count("event_name", "ProposalCreated"))
	}
	expect(t, tb.first("event_name", "VoteEmitted"), map[string]string{"id": "0", "support": "true", "voting_power": "1062214763095211316"})
	expect(t, tb.first("event_name", "ProposalCreated"), map[string]string{"start_block": "11512328", "end_block": "11531528", "ipfs_hash": "QmNfU4FMdQriJVQeqQTNxgY63iSJVh8yCJf8aFDkQDjaLQ"})
}
