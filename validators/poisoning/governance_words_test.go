package poisoning

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// TestVoterWordsEquivalence: on the real Compound Bravo and Aave v2
// exports (voter and contract typed address), the words the governance
// check hashes for voters and groups through the shared address column
// are byte for byte Table.Words' words, the layout it hashed before, so
// duplicate detection and grouping find the same rows.
func TestVoterWordsEquivalence(t *testing.T) {
	for _, name := range []string{"compound_governor_bravo.csv", "aave_governance_v2.csv"} {
		t.Run(name, func(t *testing.T) {
			path := shareddata.SharedData(t, filepath.Join("governance", name))
			cfg := file.DefaultConfig()
			cfg.Path, cfg.Header = filepath.Base(path), true
			cfg.Columns = []file.Column{{Name: "voter", Type: "address", Nullable: true}, {Name: "contract_address", Type: "address", Nullable: true}}
			src, err := file.New("g", cfg, sources.Deps{BaseDir: filepath.Dir(path)})
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
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			tb := validators.NewTable(src.Schema(), recs)
			g := &Governance{cfg: GovernanceConfig{GroupBy: "contract_address"}}
			group, err := g.groupOf(tb, &govState{groups: map[string]int{}})
			if err != nil {
				t.Fatal(err)
			}
			voters, err := voterWords(tb, "voter")
			if err != nil {
				t.Fatal(err)
			}
			wv, err := tb.Words("voter")
			if err != nil {
				t.Fatal(err)
			}
			wg, err := tb.Words("contract_address")
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for r := 0; r < tb.Len(); r++ {
				if voters.valid(r) != wv.Valid(r) {
					t.Fatalf("row %d: valid %v, Words says %v", r, voters.valid(r), wv.Valid(r))
				}
				if wg.Valid(r) && group(r) != wg.Values[r] {
					t.Fatalf("row %d: group %x, Words %x", r, group(r), wg.Values[r])
				}
				if !wv.Valid(r) {
					continue
				}
				var got [32]byte
				voters.put(r, got[:])
				if got != wv.Values[r] {
					t.Fatalf("row %d: voter word %x, Words %x", r, got, wv.Values[r])
				}
				n++
			}
			if n < 1000 {
				t.Fatalf("only %d votes compared", n)
			}
		})
	}
}
