package scenarios

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/validators"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// washConfig is the wash-trading check of an http_prices job, with its
// defaults for hourly points.
const washConfig = `version: 1
jobs:
  - name: comp-venue
    dataset: comp_venue
    source: {kind: file, path: unused.csv, columns: [{name: ts, type: timestamp}]}
    validation:
      checks:
        - kind: gaming.wash_volume
          group: source
%s`

// washSettings are the configurations scored: the defaults, and a
// sensitive one (three times the volume) where honest surges of volume
// reach the ratio and the volatility gate is what keeps them out (without
// it, 17 honest hours are flagged).
var washSettings = []struct{ name, yaml string }{
	{"defaults", ""},
	{"ratio 3", "          ratio: 3\n"},
}

// Wash-trading attacks, as the table prints them.
const (
	washBig    = "wash: 8x the usual volume added for 36 hours on a calm market"
	washLong   = "wash: 5.5x the usual volume added for 3 days"
	washRepeat = "wash: one fixed volume reported every hour for a day"
)

// washAttack adds self-traded volume to a stretch of the series.
type washAttack struct {
	name  string
	start time.Time
	hours int
	add   float64 // volume added, in multiples of the baseline median
	fixed bool    // the reported volume is one constant (a bot's lot)
}

var washAttacks = []washAttack{
	{washBig, time.Date(2022, 8, 10, 0, 0, 0, 0, time.UTC), 36, 8, false},
	{washLong, time.Date(2021, 11, 20, 0, 0, 0, 0, time.UTC), 72, 5.5, false},
	{washRepeat, time.Date(2022, 11, 20, 0, 0, 0, 0, time.UTC), 24, 6, true},
}

// syntheticVolume gives the real COMP/USD series an hourly volume: the
// shared data have prices only. Volume follows the market's activity, the
// relation wash trading breaks: a slowly wandering level, a daily cycle,
// log-normal noise, and terms proportional to the volatility of the last
// hours (an EWMA of absolute log returns) and to the hour's own (so the
// May 2021 crash and the January 2023 +23% hour come with days of high
// volume). The check's precision is measured against this model,
// not against a real venue's volume.
func syntheticVolume(pts []vt.Point) []vt.VolumePoint {
	rng := rand.New(rand.NewPCG(21, 5))
	rets := make([]float64, len(pts))
	for i := 1; i < len(pts); i++ {
		rets[i] = math.Abs(math.Log(pts[i].V / pts[i-1].V))
	}
	sigma := validators.Median(rets[1:])
	level, activity := 0.0, 1.0
	out := make([]vt.VolumePoint, len(pts))
	for i, p := range pts {
		if i%24 == 0 {
			level += 0.05 * rng.NormFloat64()
		}
		activity += (rets[i]/sigma - activity) / 6 // the volatility of the last hours (EWMA)
		hour := float64(p.T.Hour())
		v := 2e6 * math.Exp(level) * (1 + 0.25*math.Sin(2*math.Pi*hour/24)) * math.Exp(0.35*rng.NormFloat64()) *
			(0.3 + 0.7*activity + 0.8*rets[i]/sigma)
		out[i] = vt.VolumePoint{T: p.T, Price: p.V, Volume: math.Round(v*100) / 100}
	}
	return out
}

// TestWashScenarios runs the wash-trading check on the real COMP/USD
// prices with the synthetic volume, three wash-trading stretches mixed in,
// and scores rows.
func TestWashScenarios(t *testing.T) {
	pts := syntheticVolume(loadCOMP(t))
	bad := map[int]string{}
	for _, a := range washAttacks {
		first := -1
		for i, p := range pts {
			if !p.T.Before(a.start) && first < 0 {
				first = i
			}
		}
		base := make([]float64, 0, 48)
		for _, p := range pts[first-48 : first] {
			base = append(base, p.Volume)
		}
		med := validators.Median(base)
		for i := first; i < first+a.hours; i++ {
			if a.fixed {
				pts[i].Volume = math.Round(a.add * med)
			} else {
				pts[i].Volume += a.add * med
			}
			bad[i] = a.name
		}
	}
	rec := vt.PriceVolumeRecord("venue", pts)
	defer rec.Release()
	for _, set := range washSettings {
		cfg, err := config.Parse("wash.yaml", []byte(fmt.Sprintf(washConfig, set.yaml)), nil)
		if err != nil {
			t.Fatal(err)
		}
		out := run(t, buildSuite(t, &cfg.Jobs[0]), "comp_venue", vt.PriceVolumeSchema(), []arrow.RecordBatch{rec}, validators.NoHistory{}, time.Now())
		scoreWash(t, set.name, out, pts, bad)
	}
}

// scoreWash records the rows each attack had flagged and the honest hours
// flagged.
func scoreWash(t *testing.T, setting string, out *validators.Outcome, pts []vt.VolumePoint, bad map[int]string) {
	flagged := map[int][]string{}
	for _, f := range failing(out, "gaming") {
		for _, r := range f.Rows {
			flagged[r] = append(flagged[r], fmt.Sprintf("%s: %s", f.Code, f.Message))
		}
	}
	byAttack := map[string]*score{}
	for _, a := range washAttacks {
		byAttack[a.name] = &score{}
	}
	fp := 0
	for r := range pts {
		switch atk := bad[r]; {
		case atk != "" && flagged[r] != nil:
			byAttack[atk].tp++
		case atk != "":
			byAttack[atk].fn++
		case flagged[r] != nil:
			fp++
			t.Logf("false alarm: %s: %v", pts[r].T.Format(time.RFC3339), flagged[r])
		}
	}
	for _, a := range washAttacks {
		s := byAttack[a.name]
		record(t, "wash", a.name+" ("+setting+")", s.tp, 0, s.fn)
	}
	record(t, "wash", fmt.Sprintf("real COMP/USD prices, synthetic volume: %d honest hours (%s; false alarms)", len(pts)-len(bad), setting), 0, fp, 0)
}
