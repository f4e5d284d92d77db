package gaming

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the wash-trading validator.
const (
	CodeWashVolume     validators.Code = "gaming.wash_volume"
	CodeRepeatedVolume validators.Code = "gaming.repeated_volume"
)

// WashKind is the configuration kind of the wash-trading validator.
const WashKind = "gaming.wash_volume"

// WashConfig configures the wash-trading check of a price source's volume
// (the http_prices rows: source, ts, price, volume). Real volume comes with
// price activity (the volume-volatility relation of markets); volume a
// trader trades with itself does not move the price. A surge of volume
// that lasts while the price stays as calm as before is reported, and so
// is the same non-zero volume reported again and again (a fixed lot size
// repeated by a bot).
type WashConfig struct {
	Time   string `yaml:"time" json:"time"`
	Value  string `yaml:"value" json:"value"`
	Volume string `yaml:"volume" json:"volume"`
	// Group names a column whose values are separate series (the
	// http_prices source column when several sources share a dataset).
	Group string `yaml:"group" json:"group"`
	// Window is the number of trailing points of the baseline (median
	// volume and median absolute log return).
	Window int `yaml:"window" json:"window"`
	// Ratio is the smallest volume multiple of the baseline median that
	// makes a surge; Persist the fewest consecutive points it lasts.
	Ratio   float64 `yaml:"ratio" json:"ratio"`
	Persist int     `yaml:"persist" json:"persist"`
	// Volatility is the largest median absolute log return over the surge,
	// as a multiple of the baseline's, for the surge to be reported.
	Volatility float64 `yaml:"volatility" json:"volatility"`
	// Repeats is how many points within Window reporting exactly the same
	// non-zero volume are reported (0: not checked).
	Repeats int `yaml:"repeats" json:"repeats"`
	// WindowSpan and PersistSpan are Window and Persist measured in time
	// (the baseline is the points of the last WindowSpan; a surge lasts
	// PersistSpan, counting the typical interval of the baseline's points
	// for its last one), so a feed sampled every 5 minutes, 30 minutes or
	// an hour is judged over the same stretch of market; the repeats are
	// counted within WindowSpan too. A span of 0 selects the point count.
	WindowSpan  validators.Duration `yaml:"window_span" json:"window_span"`
	PersistSpan validators.Duration `yaml:"persist_span" json:"persist_span"`
	// HistoryRows is how many sealed rows of the dataset seed the baseline.
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
}

// DefaultWashConfig returns the defaults: a two-day baseline, five times
// the volume for six hours (the hourly point counts of before, 48 and 6,
// turned into time).
func DefaultWashConfig() WashConfig {
	return WashConfig{Time: "ts", Value: "price", Volume: "volume", Window: 48, Ratio: 5, Persist: 6, Volatility: 1.5, Repeats: 5, HistoryRows: 200,
		WindowSpan: validators.Duration(48 * time.Hour), PersistSpan: validators.Duration(6 * time.Hour)}
}

// Wash finds wash-traded volume in a price series.
type Wash struct {
	name string
	cfg  WashConfig
}

// NewWash returns a wash-trading validator.
func NewWash(name string, cfg WashConfig) (*Wash, error) {
	if cfg.Window < 8 || cfg.Ratio <= 1 || cfg.Persist < 1 || cfg.Volatility <= 0 || cfg.Repeats == 1 || cfg.Repeats < 0 || cfg.WindowSpan < 0 || cfg.PersistSpan < 0 {
		return nil, fmt.Errorf("%w: %s: window >= 8, ratio > 1, persist >= 1, volatility > 0, repeats 0 or >= 2 and spans not negative are required", validators.ErrConfig, name)
	}
	return &Wash{name: cmp.Or(name, WashKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (w *Wash) Name() string { return w.name }

// Codes implements validators.Validator.
func (w *Wash) Codes() []validators.CodeInfo { return washCodes }

var washCodes = []validators.CodeInfo{
	{Code: CodeWashVolume, Severity: validators.Error, Action: validators.Keep,
		Summary: "Volume stayed at ratio times its trailing median (over window_span) for persist_span or longer while the price moved no more than usual (median |log return| within volatility times the baseline's): volume without price impact, wash trading."},
	{Code: CodeRepeatedVolume, Severity: validators.Warn, Action: validators.Keep,
		Summary: "At least repeats points within window_span report exactly the same non-zero volume: a fixed trade size repeated, self-similar volume."},
}

// washPoint is one observation with a volume.
type washPoint struct {
	t          int64
	price, vol float64
	row        int // -1: history
}

// Validate implements validators.Validator.
func (w *Wash) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	groups := map[string][]washPoint{}
	if err := w.collect(in.Table, true, groups); err != nil {
		return nil, err
	}
	hist, err := validators.HistoryTable(ctx, in, in.Dataset, uint64(w.cfg.HistoryRows))
	if err != nil {
		return nil, err
	}
	if hist != nil {
		if err := w.collect(hist, false, groups); err != nil {
			return nil, err
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []validators.Finding
	checked := 0
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pts := groups[k]
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].t < pts[j].t })
		out = append(out, w.surges(k, pts)...)
		out = append(out, w.repeats(k, pts)...)
		checked += len(pts)
	}
	if len(out) == 0 {
		out = append(out, validators.Pass(w.name, CodeWashVolume, 0, w.cfg.Ratio, fmt.Sprintf("%d points with volume checked", checked)))
	}
	return out, nil
}

// collect reads the points with a price and a volume.
func (w *Wash) collect(t *validators.Table, run bool, groups map[string][]washPoint) error {
	ts, err := t.Ints(w.cfg.Time)
	if err != nil {
		return err
	}
	price, err := t.Floats(w.cfg.Value)
	if err != nil {
		return err
	}
	vol, err := t.Floats(w.cfg.Volume)
	if err != nil {
		return err
	}
	var group *validators.Col[string]
	if w.cfg.Group != "" {
		if group, err = t.Strings(w.cfg.Group); err != nil {
			return err
		}
	}
	for r := 0; r < t.Len(); r++ {
		if !ts.Valid(r) || !price.Valid(r) || !vol.Valid(r) || price.Values[r] <= 0 || vol.Values[r] < 0 {
			continue
		}
		g := ""
		if group != nil && group.Valid(r) {
			g = group.Values[r]
		}
		p := washPoint{t: ts.Values[r], price: price.Values[r], vol: vol.Values[r], row: -1}
		if run {
			p.row = r
		}
		groups[g] = append(groups[g], p)
	}
	return nil
}

// surges reports runs of high volume without price activity.
func (w *Wash) surges(group string, pts []washPoint) []validators.Finding {
	absRet := make([]float64, len(pts))
	for i := 1; i < len(pts); i++ {
		absRet[i] = math.Abs(math.Log(pts[i].price / pts[i-1].price))
	}
	var out []validators.Finding
	vols, rets := make([]float64, 0, w.cfg.Window), make([]float64, 0, w.cfg.Window)
	lo := 1
	for i := 1; i < len(pts); {
		var ok bool
		if lo, ok = w.baseline(pts, i, lo); !ok {
			i++
			continue
		}
		vols, rets = vols[:0], rets[:0]
		for _, p := range pts[lo:i] {
			vols = append(vols, p.vol)
		}
		rets = append(rets, absRet[lo:i]...)
		medV, medR := validators.Median(vols), validators.Median(rets)
		if medV <= 0 || pts[i].vol < w.cfg.Ratio*medV {
			i++
			continue
		}
		j := i
		for j < len(pts) && pts[j].vol >= w.cfg.Ratio*medV {
			j++
		}
		step := time.Duration(0)
		if w.cfg.WindowSpan > 0 {
			step = time.Duration(w.cfg.WindowSpan) / time.Duration(i-lo)
		}
		if f := w.surge(group, pts[i:j], absRet[i:j], medV, medR, step); f != nil {
			out = append(out, *f)
		}
		i = j
	}
	return out
}

// baseline returns the first point of the baseline of point i (the
// points before it of the last window_span, or its window points), given
// that of an earlier point; ok is false while the series does not reach
// back a whole window before i (or holds fewer than 8 points there).
func (w *Wash) baseline(pts []washPoint, i, lo int) (int, bool) {
	if w.cfg.WindowSpan <= 0 {
		return i - w.cfg.Window, i > w.cfg.Window
	}
	from := pts[i].t - time.Duration(w.cfg.WindowSpan).Microseconds()
	if pts[0].t >= from {
		return lo, false
	}
	for lo < i && pts[lo].t < from {
		lo++
	}
	return lo, i-lo >= 8
}

// surge judges one run of high volume against the baseline before it.
// step is the typical interval of the baseline's points (0: persist is
// a point count).
func (w *Wash) surge(group string, run []washPoint, rets []float64, medV, medR float64, step time.Duration) *validators.Finding {
	if step > 0 {
		if time.Duration(run[len(run)-1].t-run[0].t)*time.Microsecond+step < time.Duration(w.cfg.PersistSpan) {
			return nil
		}
	} else if len(run) < w.cfg.Persist {
		return nil
	}
	runR := validators.Median(rets)
	if runR > w.cfg.Volatility*math.Max(medR, 1e-6) {
		return nil // the price moved with the volume: real activity
	}
	var rows []int
	mult := make([]float64, len(run))
	for k, p := range run {
		mult[k] = p.vol / medV
		if p.row >= 0 {
			rows = append(rows, p.row)
		}
	}
	if len(rows) == 0 {
		return nil // reported when it was sealed
	}
	sort.Ints(rows) // points are in time order, rows in input order
	m := validators.Median(mult)
	return &validators.Finding{Code: CodeWashVolume, Severity: validators.Error, Validator: w.name, Rows: rows,
		Subject: validators.FormatTime(run[0].t) + "/" + validators.FormatTime(run[len(run)-1].t), Value: m, Threshold: w.cfg.Ratio,
		Message: fmt.Sprintf("%s%d points at %.3g times the trailing median volume while the median |log return| was %.3g (%.2g times the baseline's %.3g)",
			groupPrefix(group), len(run), m, runR, runR/math.Max(medR, 1e-12), medR)}
}

// repeats reports the same non-zero volume at least Repeats times within
// Window consecutive points.
func (w *Wash) repeats(group string, pts []washPoint) []validators.Finding {
	if w.cfg.Repeats == 0 {
		return nil
	}
	at := map[float64][]int{}
	for i, p := range pts {
		if p.vol > 0 {
			at[p.vol] = append(at[p.vol], i)
		}
	}
	vols := make([]float64, 0, len(at))
	for v, pos := range at {
		if len(pos) >= w.cfg.Repeats {
			vols = append(vols, v)
		}
	}
	sort.Float64s(vols)
	var out []validators.Finding
	for _, v := range vols {
		pos, hit := at[v], map[int]bool{}
		for k := 0; k+w.cfg.Repeats-1 < len(pos); k++ {
			if w.within(pts, pos[k], pos[k+w.cfg.Repeats-1]) {
				for _, i := range pos[k : k+w.cfg.Repeats] {
					hit[i] = true
				}
			}
		}
		var rows []int
		for i := range hit {
			if pts[i].row >= 0 {
				rows = append(rows, pts[i].row)
			}
		}
		if len(rows) == 0 {
			continue
		}
		sort.Ints(rows)
		out = append(out, validators.Finding{Code: CodeRepeatedVolume, Severity: validators.Warn, Validator: w.name, Rows: rows,
			Subject: fmt.Sprintf("volume:%g", v), Value: float64(len(hit)), Threshold: float64(w.cfg.Repeats),
			Message: fmt.Sprintf("%svolume %g reported %d times within %s", groupPrefix(group), v, len(hit), w.windowText())})
	}
	return out
}

// within reports whether points a and b (a before b) lie within one
// window: less than window_span apart, or fewer than window points.
func (w *Wash) within(pts []washPoint, a, b int) bool {
	if w.cfg.WindowSpan > 0 {
		return time.Duration(pts[b].t-pts[a].t)*time.Microsecond < time.Duration(w.cfg.WindowSpan)
	}
	return b-a < w.cfg.Window
}

func (w *Wash) windowText() string {
	if w.cfg.WindowSpan > 0 {
		return time.Duration(w.cfg.WindowSpan).String()
	}
	return fmt.Sprintf("%d points", w.cfg.Window)
}

func groupPrefix(g string) string {
	if g == "" {
		return ""
	}
	return g + ": "
}
