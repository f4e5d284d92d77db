package gaps

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
	"github.com/groundtruth-dao/groundtruth/validators"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestSequenceGroupBy: two governors in one file, A with ids 1, 2, 4 and
// B with 3, 5. Together the ids look complete; per contract, A lacks 3
// and B lacks 4.
func TestSequenceGroupBy(t *testing.T) {
	dir := t.TempDir()
	csv := "contract,id\n0x00000000000000000000000000000000000000aa,1\n0x00000000000000000000000000000000000000aa,2\n" +
		"0x00000000000000000000000000000000000000bb,3\n0x00000000000000000000000000000000000000aa,4\n0x00000000000000000000000000000000000000bb,5\n"
	if err := os.WriteFile(filepath.Join(dir, "p.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := file.DefaultConfig()
	cfg.Path, cfg.Header = "p.csv", true
	cfg.Columns = []file.Column{{Name: "contract", Type: "address"}, {Name: "id", Type: "uint64"}}
	src, err := file.New("p", cfg, sources.Deps{BaseDir: dir})
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
	c := vt.Case{Name: "two governors", Dataset: "p", Schema: src.Schema(), Records: recs}
	for _, tt := range []struct {
		group string
		want  []string
	}{
		{"", nil},
		{"contract", []string{"0x00000000000000000000000000000000000000aa/id:3..3", "0x00000000000000000000000000000000000000bb/id:4..4"}},
	} {
		t.Run("group_by="+tt.group, func(t *testing.T) {
			v, err := NewSequence("", SequenceConfig{Column: "id", GroupBy: tt.group, Step: 1})
			if err != nil {
				t.Fatal(err)
			}
			vt.Conformance(t, v, c)
			var got []string
			for _, f := range vt.Run(t, v, c) {
				if f.Code == CodeSequenceGap && !f.Passed {
					got = append(got, f.Subject)
				}
			}
			if len(got) != len(tt.want) || (len(got) > 0 && (got[0] != tt.want[0] || got[1] != tt.want[1])) {
				t.Fatalf("gaps %v, want %v", got, tt.want)
			}
		})
	}
}

// TestFreshnessModes: a historical import is stale at run time (error
// beyond three heartbeats), not in backfill mode or as of its own end.
func TestFreshnessModes(t *testing.T) {
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	pts := make([]vt.Point, 48)
	for i := range pts {
		pts[i] = vt.Point{T: start.Add(time.Duration(i) * time.Hour), V: 100 + float64(i)}
	}
	rec := vt.PriceRecord("a", pts)
	defer rec.Release()
	c := vt.Case{Name: "2021 import", Dataset: "p", Schema: vt.PriceSchema(), Records: []arrow.RecordBatch{rec}, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		mode, asOf string
		stale      bool
	}{
		{"", "", true},
		{ModeBackfill, "", false},
		{"", "2021-05-03T00:30:00Z", false},
		{"", "2021-05-04T00:00:00Z", true},
	} {
		t.Run(tt.mode+tt.asOf, func(t *testing.T) {
			v, err := NewFreshness("", FreshnessConfig{Time: "ts", Heartbeat: validators.Duration(90 * time.Minute), Mode: tt.mode, AsOf: tt.asOf})
			if err != nil {
				t.Fatal(err)
			}
			stale := false
			for _, f := range vt.Run(t, v, c) {
				stale = stale || (f.Code == CodeStale && !f.Passed)
			}
			if stale != tt.stale {
				t.Errorf("stale %v, want %v", stale, tt.stale)
			}
		})
	}
}
