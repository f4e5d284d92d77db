package poisoning

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the drift validator.
const (
	CodeDriftPSI  validators.Code = "poisoning.drift_psi"
	CodeDriftJS   validators.Code = "poisoning.drift_js"
	CodeDriftLInf validators.Code = "poisoning.drift_linf"
)

// DriftKind is the configuration kind of the drift validator.
const DriftKind = "poisoning.drift"

// DriftConfig configures distribution drift against the last good version.
type DriftConfig struct {
	// Columns to compare; empty means every column the baseline has a
	// sketch (numeric) or categories for, except provenance columns.
	Columns []string `yaml:"columns" json:"columns"`
	// PSI, JS and LInf are the thresholds of the population stability
	// index, the Jensen–Shannon divergence (base 2, 0..1) and the largest
	// difference of a category's share.
	PSI  float64 `yaml:"psi" json:"psi"`
	JS   float64 `yaml:"js" json:"js"`
	LInf float64 `yaml:"linf" json:"linf"`
	// MinRows is the smallest run compared (small runs are noisy).
	MinRows int `yaml:"min_rows" json:"min_rows"`
}

// DefaultDriftConfig returns the defaults.
func DefaultDriftConfig() DriftConfig {
	return DriftConfig{PSI: 0.25, JS: 0.1, LInf: 0.2, MinRows: 100}
}

// Drift compares the distribution of the run's values with the metrics of
// the last good version (attested, or sealed while nothing is attested).
type Drift struct {
	name string
	cfg  DriftConfig
}

// NewDrift returns a drift validator.
func NewDrift(name string, cfg DriftConfig) (*Drift, error) {
	if cfg.PSI <= 0 || cfg.JS <= 0 || cfg.LInf <= 0 || cfg.MinRows < 1 {
		return nil, fmt.Errorf("%w: %s: psi, js, linf and min_rows must be positive", validators.ErrConfig, name)
	}
	return &Drift{name: cmp.Or(name, DriftKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (d *Drift) Name() string { return d.name }

// Codes implements validators.Validator.
func (d *Drift) Codes() []validators.CodeInfo { return driftCodes }

var driftCodes = []validators.CodeInfo{
	{Code: CodeDriftPSI, Severity: validators.Warn, Action: validators.Keep, Summary: "The population stability index of a numeric column against the baseline's quantile bins exceeds psi."},
	{Code: CodeDriftJS, Severity: validators.Warn, Action: validators.Keep, Summary: "The Jensen–Shannon divergence of a numeric column against the baseline's quantile bins exceeds js."},
	{Code: CodeDriftLInf, Severity: validators.Warn, Action: validators.Keep, Summary: "A category's share of a column differs from the baseline's by more than linf."},
}

// Validate implements validators.Validator.
func (d *Drift) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Rows() < d.cfg.MinRows {
		return nil, nil
	}
	bs, err := in.History.Baselines(ctx, in.Dataset, 1)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	base := bs[0]
	cur, err := validators.ComputeMetrics(ctx, in.Dataset, in.Table, nil)
	if err != nil {
		return nil, err
	}
	var out []validators.Finding
	for _, col := range d.columns(base) {
		bm, cm := base.Columns[col], cur.Columns[col]
		if bm == nil || cm == nil {
			continue
		}
		if bm.Sketch != nil && len(bm.Sketch.Quantiles) > 1 {
			vals, err := in.Table.Floats(col)
			if err != nil {
				return nil, err
			}
			out = append(out, d.numeric(col, bm.Sketch, vals)...)
		}
		if bm.Categories != nil && cm.Categories != nil {
			out = append(out, d.categorical(col, bm.Categories, cm.Categories))
		}
	}
	return out, nil
}

func (d *Drift) columns(base *validators.Metrics) []string {
	if len(d.cfg.Columns) > 0 {
		return d.cfg.Columns
	}
	var out []string
	for c := range base.Columns {
		if c != "" && c[0] != '_' {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// numeric bins the run's values by the baseline's quantile edges.
func (d *Drift) numeric(col string, sk *validators.Sketch, vals *validators.Col[float64]) []validators.Finding {
	edges := distinctEdges(sk.Quantiles)
	if len(edges) < 2 {
		return nil
	}
	nb := len(edges) + 1
	p, q := make([]float64, nb), make([]float64, nb)
	// the baseline's mass per bin follows from the quantile points
	step := 1.0 / float64(len(sk.Quantiles)-1)
	for i := 0; i+1 < len(sk.Quantiles); i++ {
		p[binOf(edges, float64(sk.Quantiles[i]+sk.Quantiles[i+1])/2)] += step
	}
	n := 0.0
	for i, v := range vals.Values {
		if vals.Valid(i) {
			q[binOf(edges, v)]++
			n++
		}
	}
	if n == 0 {
		return nil
	}
	for i := range q {
		q[i] /= n
	}
	psi, js := PSI(p, q), JensenShannon(p, q)
	return []validators.Finding{
		d.result(CodeDriftPSI, col, psi, d.cfg.PSI, "population stability index"),
		d.result(CodeDriftJS, col, js, d.cfg.JS, "Jensen–Shannon divergence"),
	}
}

func (d *Drift) categorical(col string, base, cur map[string]validators.Number) validators.Finding {
	worst, at := 0.0, ""
	keys := map[string]bool{}
	for k := range base {
		keys[k] = true
	}
	for k := range cur {
		keys[k] = true
	}
	for _, k := range sortedStrings(keys) {
		if diff := math.Abs(float64(base[k] - cur[k])); diff > worst {
			worst, at = diff, k
		}
	}
	f := d.result(CodeDriftLInf, col, worst, d.cfg.LInf, "largest change of a category's share")
	if at != "" {
		f.Message += fmt.Sprintf(" (value %q: %.3f → %.3f)", clip(at), float64(base[at]), float64(cur[at]))
	}
	return f
}

func (d *Drift) result(code validators.Code, col string, v, thr float64, what string) validators.Finding {
	msg := fmt.Sprintf("column %s: %s %.4f against the last good version (threshold %g)", col, what, v, thr)
	if v <= thr {
		f := validators.Pass(d.name, code, v, thr, msg)
		f.Subject = "column:" + col
		return f
	}
	return validators.Finding{Code: code, Severity: validators.Warn, Validator: d.name, Subject: "column:" + col, Value: v, Threshold: thr, Message: msg}
}

// PSI is the population stability index of q against p (bins with a zero
// share are smoothed with 1e-4).
func PSI(p, q []float64) float64 {
	s := 0.0
	for i := range p {
		a, b := math.Max(p[i], 1e-4), math.Max(q[i], 1e-4)
		s += (b - a) * math.Log(b/a)
	}
	return s
}

// JensenShannon is the Jensen–Shannon divergence of two distributions in
// bits (0 equal, 1 disjoint).
func JensenShannon(p, q []float64) float64 {
	kl := func(a, m []float64) float64 {
		s := 0.0
		for i := range a {
			if a[i] > 0 && m[i] > 0 {
				s += a[i] * math.Log2(a[i]/m[i])
			}
		}
		return s
	}
	m := make([]float64, len(p))
	for i := range p {
		m[i] = (p[i] + q[i]) / 2
	}
	return (kl(p, m) + kl(q, m)) / 2
}

func distinctEdges(qs []validators.Number) []float64 {
	var out []float64
	for _, q := range qs[1 : len(qs)-1] {
		if len(out) == 0 || float64(q) > out[len(out)-1] {
			out = append(out, float64(q))
		}
	}
	return out
}

// binOf returns the bin of v: 0 below the first edge, len(edges) above the last.
func binOf(edges []float64, v float64) int {
	return sort.SearchFloat64s(edges, v)
}

func sortedStrings(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
