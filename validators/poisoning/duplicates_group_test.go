package poisoning

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// twoGovernorVotes is a votes table of two governors whose proposal ids
// overlap: rows are (tx, contract, proposal_id, voter, support).
func twoGovernorVotes(t *testing.T, rows [][5]string) validatorstest.Case {
	t.Helper()
	s := &datasets.Schema{Columns: []datasets.Column{
		{Name: "tx", Type: datasets.TypeString}, {Name: "contract", Type: datasets.TypeString},
		{Name: "proposal_id", Type: datasets.TypeString}, {Name: "voter", Type: datasets.TypeString},
		{Name: "support", Type: datasets.TypeString},
	}, Key: []string{"tx"}}
	as, err := s.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer b.Release()
	for _, r := range rows {
		for i, v := range r {
			b.Field(i).(*array.StringBuilder).Append(v)
		}
	}
	rec := b.NewRecordBatch()
	t.Cleanup(rec.Release)
	return validatorstest.Case{Name: "two governors", Dataset: "votes", Schema: s, Records: []arrow.RecordBatch{rec}}
}

// TestDuplicatesGroupBy checks that group_by compares natural keys within
// each contract: the same (proposal, voter) on two governors is not a
// repeat, a second vote on one governor still is, and the finding names
// the contract.
func TestDuplicatesGroupBy(t *testing.T) {
	c := twoGovernorVotes(t, [][5]string{
		{"t1", "0xaaa", "1", "0x01", "for"},
		{"t2", "0xbbb", "1", "0x01", "against"}, // the other governor's proposal 1
		{"t3", "0xbbb", "2", "0x02", "for"},
		{"t4", "0xbbb", "2", "0x02", "against"}, // a real second vote
	})
	for _, tc := range []struct {
		name    string
		groupBy string
		rows    []int
		subject string
	}{
		{"without group_by", "", []int{1, 3}, "key:proposal_id,voter"},
		{"group_by contract", "contract", []int{3}, "0xbbb/key:contract,proposal_id,voter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultDuplicatesConfig()
			cfg.Keys, cfg.GroupBy = [][]string{{"proposal_id", "voter"}}, tc.groupBy
			v, err := NewDuplicates("", cfg)
			if err != nil {
				t.Fatal(err)
			}
			var rows []int
			for _, f := range validatorstest.Run(t, v, c) {
				if f.Code == CodeConflictingDuplicate && !f.Passed {
					rows = append(rows, f.Rows...)
					if f.Rows[0] == 3 && f.Subject != tc.subject {
						t.Errorf("subject %q, want %q", f.Subject, tc.subject)
					}
				}
			}
			if len(rows) != len(tc.rows) || (len(rows) > 0 && rows[len(rows)-1] != tc.rows[len(tc.rows)-1]) || rows[0] != tc.rows[0] {
				t.Fatalf("flagged rows %v, want %v", rows, tc.rows)
			}
		})
	}
	validatorstest.Conformance(t, func() validators.Validator {
		cfg := DefaultDuplicatesConfig()
		cfg.Keys, cfg.GroupBy = [][]string{{"proposal_id", "voter"}}, "contract"
		v, _ := NewDuplicates("", cfg)
		return v
	}(), c)
	if _, err := NewDuplicates("", DuplicatesConfig{GroupBy: "contract"}); err == nil {
		t.Fatal("group_by without keys was accepted")
	}
}
