package validatorstest_test

import (
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/erc20"
	"github.com/groundtruth-dao/groundtruth/sources/governor"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestSchemasMatchSources checks that the chain schemas the validators are
// tested with are projections of what the governor and erc20 sources
// emit: every column with the same name, type and nullability, and the
// same key. A source that renames a column fails here, not in production.
func TestSchemasMatchSources(t *testing.T) {
	gov := func(table string) *datasets.Schema {
		cfg := governor.DefaultConfig()
		cfg.RPC.URL, cfg.Addresses, cfg.Family, cfg.Table = "http://127.0.0.1:1", []string{"0x0000000000000000000000000000000000000001"}, governor.FamilyOZ, table
		src, err := governor.New("gov", cfg, sources.Deps{})
		if err != nil {
			t.Fatal(err)
		}
		return src.Schema()
	}
	cfg := erc20.DefaultConfig()
	cfg.RPC.URL, cfg.Addresses = "http://127.0.0.1:1", []string{"0x0000000000000000000000000000000000000002"}
	tok, err := erc20.New("tok", cfg, sources.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		test, real *datasets.Schema
	}{
		{"votes", vt.VotesSchema(), gov(governor.TableVotes)},
		{"proposals", vt.ProposalsSchema(), gov(governor.TableProposals)},
		{"states", vt.StatesSchema(), gov(governor.TableStates)},
		{"erc20", vt.TokenEventsSchema(), tok.Schema()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			real := map[string]datasets.Column{}
			for _, c := range tc.real.Columns {
				real[c.Name] = c
			}
			for _, c := range tc.test.Columns {
				r, ok := real[c.Name]
				switch {
				case !ok:
					t.Errorf("column %s: the source has no such column", c.Name)
				case r.Type != c.Type || r.Nullable != c.Nullable:
					t.Errorf("column %s: %s (nullable %v), the source emits %s (nullable %v)", c.Name, c.Type, c.Nullable, r.Type, r.Nullable)
				}
			}
			if len(tc.test.Key) != len(tc.real.Key) {
				t.Fatalf("key %v, the source's is %v", tc.test.Key, tc.real.Key)
			}
			for i := range tc.test.Key {
				if tc.test.Key[i] != tc.real.Key[i] {
					t.Errorf("key %v, the source's is %v", tc.test.Key, tc.real.Key)
				}
			}
		})
	}
}
