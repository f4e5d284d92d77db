package gaps

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
	"github.com/groundtruth-dao/groundtruth/validators"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// twoTallies: governors A and B each queued their proposal 1; A's votes
// reach the quorum of 100, B's votes (30) do not. Summed over both
// governors proposal 1 passes and B's missing votes are hidden.
const twoTallies = `event_name,contract,id,proposal_id,support,votes
VoteCast,0x00000000000000000000000000000000000000aa,,1,1,80
VoteCast,0x00000000000000000000000000000000000000aa,,1,1,40
VoteCast,0x00000000000000000000000000000000000000bb,,1,1,30
ProposalQueued,0x00000000000000000000000000000000000000aa,1,,,
ProposalQueued,0x00000000000000000000000000000000000000bb,1,,,
`

func fileCase(t *testing.T, csv string, cols []file.Column) vt.Case {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := file.DefaultConfig()
	cfg.Path, cfg.Header, cfg.Columns = "d.csv", true, cols
	src, err := file.New("d", cfg, sources.Deps{BaseDir: dir})
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
	return vt.Case{Name: "two governors", Dataset: "d", Schema: src.Schema(), Records: recs}
}

func TestTallyGroupBy(t *testing.T) {
	c := fileCase(t, twoTallies, []file.Column{{Name: "event_name", Type: "string"}, {Name: "contract", Type: "address"},
		{Name: "id", Type: "uint64", Nullable: true}, {Name: "proposal_id", Type: "uint64", Nullable: true},
		{Name: "support", Type: "uint8", Nullable: true}, {Name: "votes", Type: "float64", Nullable: true}})
	for _, tt := range []struct {
		group string
		want  []string
	}{
		{"", nil},
		{"contract", []string{"0x00000000000000000000000000000000000000bb/proposal:1"}},
	} {
		t.Run("group_by="+tt.group, func(t *testing.T) {
			cfg := DefaultTallyConfig()
			cfg.GroupBy, cfg.Weight, cfg.Quorum = tt.group, "votes", 100
			cfg.Votes = validators.Where{Column: "event_name", In: []string{"VoteCast"}}
			cfg.Passed = validators.Where{Column: "event_name", In: []string{"ProposalQueued"}}
			v, err := NewTally("", cfg)
			if err != nil {
				t.Fatal(err)
			}
			vt.Conformance(t, v, c)
			var got []string
			for _, f := range vt.Run(t, v, c) {
				if !f.Passed {
					got = append(got, f.Subject)
				}
			}
			if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
				t.Fatalf("shortfalls %v, want %v", got, tt.want)
			}
		})
	}
}
