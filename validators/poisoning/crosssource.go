package poisoning

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the cross-source validator.
const (
	CodeCrossDeviation    validators.Code = "poisoning.cross_source_deviation"
	CodeCrossDisagreement validators.Code = "poisoning.cross_source_disagreement"
	CodeCrossBias         validators.Code = "poisoning.cross_source_bias"
	CodeCrossQuorum       validators.Code = "poisoning.cross_source_quorum"
)

// CrossSourceKind is the configuration kind of the cross-source validator.
const CrossSourceKind = "poisoning.cross_source"

// CrossSourceConfig configures the multi-source median check.
type CrossSourceConfig struct {
	Value string           `yaml:"value" json:"value" config:"required"`
	Time  string           `yaml:"time" json:"time" config:"required"`
	Where validators.Where `yaml:"where" json:"where"`
	// Peers are the other sources of the same quantity.
	Peers []Peer `yaml:"peers" json:"peers" config:"required"`
	// Quorum is the number of sources (this one included, at least three:
	// a median of two cannot tell which is wrong) that must have observed
	// within Tolerance for a deviation or a bias to be attributed to this
	// source; with fewer, a deviation is a disagreement.
	Quorum    int                 `yaml:"quorum" json:"quorum"`
	Band      float64             `yaml:"band" json:"band"`
	Tolerance validators.Duration `yaml:"tolerance" json:"tolerance"`
	// Bias is the largest accepted rolling median of the log ratio to the
	// peers' median over BiasWindow points: a slow drift of one source.
	Bias       float64 `yaml:"bias" json:"bias"`
	BiasWindow int     `yaml:"bias_window" json:"bias_window"`
	// BiasSpan is the bias window measured in time (the attributable
	// points of the last BiasSpan), so that feeds sampled at any interval
	// are judged over the same stretch; 0 selects BiasWindow points. The
	// median is taken once the window holds at least three points and
	// reaches back half the span.
	BiasSpan validators.Duration `yaml:"bias_span" json:"bias_span"`
	// HistoryRows warms the bias window up from the latest sealed rows.
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
	// MaxHold is how long the pipeline holds back rows newer than what
	// every peer has observed (see HoldCut); 0 never holds.
	MaxHold validators.Duration `yaml:"max_hold" json:"max_hold"`
}

// DefaultCrossSourceConfig returns the defaults.
func DefaultCrossSourceConfig() CrossSourceConfig {
	return CrossSourceConfig{Band: 0.02, Tolerance: validators.Duration(30 * 60e9), Bias: 0.0075, BiasWindow: 6,
		BiasSpan: validators.Duration(6 * time.Hour), HistoryRows: 200, MaxHold: validators.Duration(DefaultMaxHold)}
}

// Validate checks the configuration.
func (c *CrossSourceConfig) Validate() error {
	switch {
	case len(c.Peers) == 0:
		return fmt.Errorf("at least one peer is required")
	case c.Quorum != 0 && (c.Quorum < 2 || c.Quorum > len(c.Peers)+1):
		return fmt.Errorf("quorum must be between 2 and %d (this source and its peers), got %d", len(c.Peers)+1, c.Quorum)
	case c.Band <= 0 || c.Band >= 1:
		return fmt.Errorf("band must be between 0 and 1, got %g", c.Band)
	case c.Bias < 0 || c.BiasWindow < 1 || c.BiasSpan < 0 || c.MaxHold < 0:
		return fmt.Errorf("bias, bias_span and max_hold must not be negative and bias_window at least 1")
	}
	return nil
}

// CrossSource compares each value with the median of all sources.
type CrossSource struct {
	name string
	cfg  CrossSourceConfig
}

// NewCrossSource returns a cross-source validator; the quorum defaults to
// min(3, sources).
func NewCrossSource(name string, cfg CrossSourceConfig) (*CrossSource, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", validators.ErrConfig, name, err)
	}
	if cfg.Quorum == 0 {
		cfg.Quorum = min(3, len(cfg.Peers)+1)
	}
	return &CrossSource{name: cmp.Or(name, CrossSourceKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (c *CrossSource) Name() string { return c.name }

// Codes implements validators.Validator.
func (c *CrossSource) Codes() []validators.CodeInfo { return crossCodes }

var crossCodes = []validators.CodeInfo{
	{Code: CodeCrossDeviation, Severity: validators.Error, Action: validators.Quarantine, Summary: "With a quorum of sources present, the value is off the band around the median of all sources: this source alone is wrong."},
	{Code: CodeCrossDisagreement, Severity: validators.Warn, Action: validators.Keep, Summary: "Only two sources observed and they differ by more than the band: the deviation cannot be attributed."},
	{Code: CodeCrossBias, Severity: validators.Error, Action: validators.Quarantine, Summary: "With a quorum of sources present, the rolling median of this source's log ratio to the median of all sources exceeds the bias limit: a slow drift."},
	{Code: CodeCrossQuorum, Severity: validators.Info, Action: validators.Keep, Summary: "Rows for which fewer than two sources observed within the tolerance: not cross-checked."},
}

// Validate implements validators.Validator.
func (c *CrossSource) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Rows() == 0 {
		return nil, nil
	}
	s := &Series{name: c.name, cfg: SeriesConfig{Value: c.cfg.Value, Time: c.cfg.Time, Where: c.cfg.Where, HistoryRows: c.cfg.HistoryRows}}
	groups, err := s.load(ctx, in)
	if err != nil {
		return nil, err
	}
	// the bias is a property of what this source reports: its own
	// quarantined rows warm the window up too
	if err := s.addUnsealed(ctx, in, groups); err != nil {
		return nil, err
	}
	pts := groups[""]
	from, to := runSpan(groups)
	if len(pts) > 0 {
		from = min(from, pts[0].t)
	}
	tol := int64(c.cfg.Tolerance.D() / 1000)
	peers, err := loadPeers(ctx, in, c.cfg.Peers, c.cfg.Value, c.cfg.Time, from-tol, to+tol)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.check(pts, peers, tol), nil
}

// check walks the points in time order.
func (c *CrossSource) check(pts []point, peers []peerSeries, tol int64) []validators.Finding {
	var out []validators.Finding
	var noQuorum []int
	bias := make([]float64, 0, len(pts))
	bw := biasWindow{span: int64(c.cfg.BiasSpan.D() / time.Microsecond), n: c.cfg.BiasWindow}
	// the rolling median of bias: bias never outgrows its capacity, so
	// the sliding window reads the values appended later in place
	roll := newSlidingWindow(bias[:cap(bias)], 64)
	buf, all := make([]float64, 0, len(peers)), make([]float64, 0, len(peers)+1)
	maxDev, maxBias := 0.0, 0.0
	for _, p := range pts {
		if p.v <= 0 {
			continue
		}
		buf = peerValues(peers, p.t, tol, buf)
		if len(buf) == 0 {
			if p.row >= 0 {
				noQuorum = append(noQuorum, p.row)
			}
			continue
		}
		all = append(append(all[:0], buf...), p.v)
		med := validators.Median(all)
		n := len(all)
		attributable := n >= max(c.cfg.Quorum, 3)
		if attributable {
			// the median of all sources: a drifting peer does not move it
			bias = append(bias, math.Log(p.v/med))
			bw.t = append(bw.t, p.t)
		}
		if p.row < 0 {
			continue
		}
		dev := math.Abs(math.Log(p.v / med))
		maxDev = math.Max(maxDev, dev)
		band, why := c.cfg.Band, ""
		if dev > band {
			// sources observe at different instants: in a fast move
			// they differ by the move between those instants
			if allow := timingAllowance(peers, p.t, tol); allow > 0 {
				band += allow
				why = fmt.Sprintf(" + %.2f%% for the peers' move between the observation times", 100*allow)
			}
		}
		// off is a deviation not explained by when the sources looked:
		// p is not on every peer's path between its readings around p
		off := dev > band && !bracketed(peers, p.t, tol, p.v, c.cfg.Band, 1)
		switch {
		case off && attributable:
			out = append(out, c.finding(CodeCrossDeviation, validators.Error, p, dev, band,
				fmt.Sprintf("%s %.6g at %s is %.2f%% off the median %.6g of %d sources (band %.2f%%%s)", c.cfg.Value, p.v, validators.FormatTime(p.t), 100*dev, med, n, 100*c.cfg.Band, why)))
			continue
		case off:
			out = append(out, c.finding(CodeCrossDisagreement, validators.Warn, p, dev, band,
				fmt.Sprintf("%s %.6g at %s differs by %.2f%% from the only other source (band %.2f%%%s); cannot tell which is wrong", c.cfg.Value, p.v, validators.FormatTime(p.t), 200*dev, 100*c.cfg.Band, why)))
			continue
		}
		if lo, ok := bw.window(bias, p.t); attributable && ok && c.cfg.Bias > 0 {
			roll.slide(lo, len(bias))
			b, win := midpoint(roll.sorted), len(bias)-lo
			own := bias[len(bias)-1]
			maxBias = math.Max(maxBias, math.Abs(b))
			// the point itself must share the bias, so the window's lag does
			// not flag the first good points after a drift ends
			if math.Abs(b) > c.cfg.Bias && own*b > 0 && math.Abs(own) > c.cfg.Bias/2 {
				out = append(out, c.finding(CodeCrossBias, validators.Error, p, math.Abs(b), c.cfg.Bias,
					fmt.Sprintf("%s at %s: rolling median of the log ratio to the median of all sources over %d points is %+.3f%% (limit %.3f%%)", c.cfg.Value, validators.FormatTime(p.t), win, 100*b, 100*c.cfg.Bias)))
			}
		}
	}
	if len(noQuorum) > 0 {
		slices.Sort(noQuorum) // points are in time order, rows in input order
		out = append(out, validators.Finding{Code: CodeCrossQuorum, Severity: validators.Info, Validator: c.name, Rows: noQuorum,
			Value: float64(len(noQuorum)), Threshold: 0, Message: fmt.Sprintf("%d rows had no peer observation within %s", len(noQuorum), c.cfg.Tolerance.D())})
	}
	return append(out, c.passes(out, maxDev, maxBias)...)
}

func (c *CrossSource) finding(code validators.Code, sev validators.Severity, p point, v, thr float64, msg string) validators.Finding {
	return validators.Finding{Code: code, Severity: sev, Validator: c.name, Rows: []int{p.row}, Value: v, Threshold: thr, Message: msg}
}

func (c *CrossSource) passes(out []validators.Finding, maxDev, maxBias float64) []validators.Finding {
	failed := map[validators.Code]bool{}
	for _, f := range out {
		failed[f.Code] = true
	}
	var ps []validators.Finding
	if !failed[CodeCrossDeviation] && !failed[CodeCrossDisagreement] {
		ps = append(ps, validators.Pass(c.name, CodeCrossDeviation, maxDev, c.cfg.Band, fmt.Sprintf("largest deviation from the sources' median %.3f%%", 100*maxDev)))
	}
	if !failed[CodeCrossBias] {
		ps = append(ps, validators.Pass(c.name, CodeCrossBias, maxBias, c.cfg.Bias, fmt.Sprintf("largest rolling bias %.3f%%", 100*maxBias)))
	}
	return ps
}

// biasWindow selects the trailing bias values: those of the last span
// (microseconds; t holds their times) or, with span 0, the last n.
type biasWindow struct {
	span int64
	n    int
	t    []int64
	lo   int
}

// window returns where the window ending at the latest value, at time
// now, starts in bias (it only moves forward), and whether it is full
// enough to judge: n values, or at least three values reaching back half
// the span.
func (w *biasWindow) window(bias []float64, now int64) (int, bool) {
	if w.span <= 0 {
		return max(0, len(bias)-w.n), len(bias) >= w.n
	}
	for w.lo < len(w.t) && w.t[w.lo] <= now-w.span {
		w.lo++
	}
	if len(bias)-w.lo < 3 || (w.lo == 0 && w.t[0] > now-w.span/2) {
		return w.lo, false
	}
	return w.lo, true
}
