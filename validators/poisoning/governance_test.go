package poisoning

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// twoGovernors is one file with the events of two governors whose
// proposal ids overlap: proposal 1 of A votes in 100..200, proposal 1 of
// B in 300..400. The last vote duplicates the one before it.
const twoGovernors = `event_name,block_number,contract_address,id,start_block,end_block,proposal_id,voter,votes,targets
ProposalCreated,90,0x00000000000000000000000000000000000000aa,1,100,200,,,,['0xc0Da02939E1441F497fd74F78cE7Decb17B66529']
ProposalCreated,290,0x00000000000000000000000000000000000000bb,1,300,400,,,,['0x6B175474E89094C44Da98b954EedeAC495271d0F']
VoteCast,150,0x00000000000000000000000000000000000000aa,,,,1,0x00000000000000000000000000000000000000c1,5,
VoteCast,350,0x00000000000000000000000000000000000000bb,,,,1,0x00000000000000000000000000000000000000c1,5,
VoteCast,360,0x00000000000000000000000000000000000000bb,,,,1,0x00000000000000000000000000000000000000c1,5,
`

func governanceRecords(t *testing.T) ([]arrow.RecordBatch, *file.Source) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "g.csv"), []byte(twoGovernors), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := file.DefaultConfig()
	cfg.Path, cfg.Header = "g.csv", true
	cfg.Columns = []file.Column{{Name: "event_name", Type: "string"}, {Name: "block_number", Type: "uint64"},
		{Name: "contract_address", Type: "address"}, {Name: "id", Type: "uint64", Nullable: true},
		{Name: "start_block", Type: "uint64", Nullable: true}, {Name: "end_block", Type: "uint64", Nullable: true},
		{Name: "proposal_id", Type: "uint64", Nullable: true}, {Name: "voter", Type: "address", Nullable: true},
		{Name: "votes", Type: "float64", Nullable: true}, {Name: "targets", Type: "string", Nullable: true}}
	src, err := file.New("g", cfg, sources.Deps{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var recs []arrow.RecordBatch
	if _, err := src.Fetch(context.Background(), nil, func(r arrow.RecordBatch) error {
		r.Retain()
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	return recs, src
}

// TestGovernanceGroupBy: without group_by the two governors' proposal 1
// are one proposal and B's votes look outside A's window and repeated;
// (the later window wins: the vote on A is outside it) and B votes again;
// with group_by only the real duplicate remains.
func TestGovernanceGroupBy(t *testing.T) {
	recs, src := governanceRecords(t)
	c := validatorstest.Case{Name: "two governors", Dataset: "g", Schema: src.Schema(), Records: recs}
	tests := []struct {
		group string
		want  map[validators.Code][]int
	}{
		{"", map[validators.Code][]int{CodeVoteOutsideWindow: {2}, CodeDuplicateVote: {3, 4}}},
		{"contract_address", map[validators.Code][]int{CodeDuplicateVote: {4}}},
	}
	for _, tt := range tests {
		t.Run("group_by="+tt.group, func(t *testing.T) {
			cfg := DefaultGovernanceConfig()
			cfg.GroupBy, cfg.Addresses = tt.group, []string{"targets"}
			v, err := NewGovernance("", cfg)
			if err != nil {
				t.Fatal(err)
			}
			validatorstest.Conformance(t, v, c)
			got := map[validators.Code][]int{}
			for _, f := range validatorstest.Run(t, v, c) {
				if !f.Passed {
					got[f.Code] = append(got[f.Code], f.Rows...)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("findings %v, want %v", got, tt.want)
			}
			for code, rows := range tt.want {
				if len(got[code]) != len(rows) {
					t.Errorf("%s rows %v, want %v", code, got[code], rows)
				}
			}
		})
	}
}
