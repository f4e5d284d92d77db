package poisoning

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the series validator.
const (
	CodeMADOutlier    validators.Code = "poisoning.mad_outlier"
	CodeHampelOutlier validators.Code = "poisoning.hampel_outlier"
	CodeJump          validators.Code = "poisoning.jump"
	CodeConfirmedMove validators.Code = "poisoning.confirmed_move"
	CodePinnedBound   validators.Code = "poisoning.pinned_bound"
)

// SeriesKind is the configuration kind of the series validator.
const SeriesKind = "poisoning.series"

// SeriesConfig configures robust checks of one numeric series (a price).
type SeriesConfig struct {
	// Value is the numeric column checked; Time orders it (input order
	// when empty); Group splits the rows into independent series.
	Value string           `yaml:"value" json:"value" config:"required"`
	Time  string           `yaml:"time" json:"time"`
	Group string           `yaml:"group" json:"group"`
	Where validators.Where `yaml:"where" json:"where"`
	// Window is the number of trailing accepted returns the MAD check
	// compares a new return with; MADK the robust z above which a return
	// is an outlier; MinMove the smallest |log return| ever flagged; Persist
	// how many following points must stay at a new level for a move to be
	// a level shift rather than a spike.
	Window  int     `yaml:"window" json:"window"`
	MADK    float64 `yaml:"mad_k" json:"mad_k"`
	MinMove float64 `yaml:"min_move" json:"min_move"`
	Persist int     `yaml:"persist" json:"persist"`
	// HampelHalf is the half width of the centred Hampel window and
	// HampelK its threshold in scaled MADs.
	HampelHalf int     `yaml:"hampel_half" json:"hampel_half"`
	HampelK    float64 `yaml:"hampel_k" json:"hampel_k"`
	// WindowSpan, PersistSpan and HampelSpan are the same three windows
	// measured in time, so that a feed sampled every 5 minutes, 30 minutes
	// or an hour is judged over the same stretch of market. They apply
	// when Time is set and they are positive (0 selects the point counts
	// Window, Persist and HampelHalf).
	WindowSpan  validators.Duration `yaml:"window_span" json:"window_span"`
	PersistSpan validators.Duration `yaml:"persist_span" json:"persist_span"`
	HampelSpan  validators.Duration `yaml:"hampel_span" json:"hampel_span"`
	// Jump is the largest |log return| accepted without confirmation (0
	// disables the jump guard).
	Jump float64 `yaml:"jump" json:"jump"`
	// Min and Max are the bounds of valid values (Chainlink's minAnswer and
	// maxAnswer); values at or beyond them are pinned.
	Min *float64 `yaml:"min" json:"min"`
	Max *float64 `yaml:"max" json:"max"`
	// Peers confirm moves: a flagged value within Band (relative) of the
	// median of at least ConfirmQuorum peers observed within Tolerance is a
	// confirmed move, not an outlier.
	Peers         []Peer              `yaml:"peers" json:"peers"`
	Band          float64             `yaml:"band" json:"band"`
	Tolerance     validators.Duration `yaml:"tolerance" json:"tolerance"`
	ConfirmQuorum int                 `yaml:"confirm_quorum" json:"confirm_quorum"`
	// MaxHold is how long the pipeline holds back rows newer than what
	// every peer has observed (see HoldCut); 0 never holds.
	MaxHold validators.Duration `yaml:"max_hold" json:"max_hold"`
	// HistoryRows is how many of the latest sealed rows are read to warm
	// the windows up.
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
}

// DefaultSeriesConfig returns the defaults.
func DefaultSeriesConfig() SeriesConfig {
	return SeriesConfig{Window: 48, MADK: 8, MinMove: 0.03, Persist: 3, HampelHalf: 6, HampelK: 8,
		Jump: 0.3, Band: 0.02, Tolerance: validators.Duration(30 * 60e9), HistoryRows: 1000,
		WindowSpan: validators.Duration(48 * time.Hour), PersistSpan: validators.Duration(3 * time.Hour),
		HampelSpan: validators.Duration(6 * time.Hour), MaxHold: validators.Duration(DefaultMaxHold)}
}

// Validate checks the configuration.
func (c *SeriesConfig) Validate() error {
	switch {
	case c.Window < 5:
		return fmt.Errorf("window must be at least 5, got %d", c.Window)
	case c.MADK <= 0 || c.HampelK <= 0:
		return fmt.Errorf("mad_k and hampel_k must be positive")
	case c.HampelHalf < 2:
		return fmt.Errorf("hampel_half must be at least 2, got %d", c.HampelHalf)
	case c.Persist < 1:
		return fmt.Errorf("persist must be at least 1, got %d", c.Persist)
	case c.Band <= 0 || c.Band >= 1:
		return fmt.Errorf("band must be between 0 and 1, got %g", c.Band)
	case c.WindowSpan < 0 || c.PersistSpan < 0 || c.HampelSpan < 0 || c.MaxHold < 0:
		return fmt.Errorf("window_span, persist_span, hampel_span and max_hold must not be negative")
	case c.ConfirmQuorum > len(c.Peers):
		return fmt.Errorf("confirm_quorum %d exceeds the %d peers", c.ConfirmQuorum, len(c.Peers))
	}
	return nil
}

// Series runs robust outlier checks on a numeric series.
type Series struct {
	name string
	cfg  SeriesConfig
}

// NewSeries returns a series validator.
func NewSeries(name string, cfg SeriesConfig) (*Series, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", validators.ErrConfig, name, err)
	}
	if cfg.ConfirmQuorum == 0 {
		cfg.ConfirmQuorum = len(cfg.Peers)
	}
	return &Series{name: cmp.Or(name, SeriesKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (s *Series) Name() string { return s.name }

// Codes implements validators.Validator.
func (s *Series) Codes() []validators.CodeInfo { return seriesCodes }

var seriesCodes = []validators.CodeInfo{
	{Code: CodeMADOutlier, Severity: validators.Error, Action: validators.Quarantine, Summary: "A value's log return is more than mad_k scaled MADs from the median of the trailing window of accepted returns, and the series does not stay at the new level."},
	{Code: CodeHampelOutlier, Severity: validators.Error, Action: validators.Quarantine, Summary: "A value is more than hampel_k scaled MADs from the median of its centred window (Hampel filter)."},
	{Code: CodeJump, Severity: validators.Error, Action: validators.Quarantine, Summary: "A value moved more than the jump guard (|log return| > jump) from the last accepted value without confirmation."},
	{Code: CodeConfirmedMove, Severity: validators.Info, Action: validators.Keep, Summary: "An outlier or jump that the peers confirm (within band of their median): a real move, kept."},
	{Code: CodePinnedBound, Severity: validators.Error, Action: validators.Quarantine, Summary: "A value sits at or beyond the configured min or max (an oracle answer pinned at its bound)."},
}

// Validate implements validators.Validator.
func (s *Series) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	groups, err := s.load(ctx, in)
	if err != nil {
		return nil, err
	}
	var peers []peerSeries
	if len(s.cfg.Peers) > 0 && in.Rows() > 0 {
		from, to := runSpan(groups)
		tol := int64(s.cfg.Tolerance.D() / 1000)
		if peers, err = loadPeers(ctx, in, s.cfg.Peers, s.cfg.Value, s.cfg.Time, from-tol, to+tol); err != nil {
			return nil, err
		}
	}
	d := &detector{cfg: &s.cfg, name: s.name, peers: peers, maxVal: map[validators.Code]float64{}, moves: make([]float64, in.Rows())}
	for _, k := range sortedGroupKeys(groups) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d.run(groups[k])
	}
	return d.finish(in.Rows() > 0), nil
}

// point is one observation; row is -1 for history.
type point struct {
	t   int64
	v   float64
	row int
}

// load builds the series (history tail then run rows) of every group.
func (s *Series) load(ctx context.Context, in *validators.Input) (map[string][]point, error) {
	groups := map[string][]point{}
	hist, err := validators.HistoryTable(ctx, in, in.Dataset, uint64(s.cfg.HistoryRows))
	if err != nil {
		return nil, err
	}
	if hist != nil {
		flagged, err := in.History.Flagged(ctx, in.Dataset)
		if err != nil {
			return nil, err
		}
		if err := s.collect(hist, -1, flagged, groups); err != nil {
			return nil, err
		}
	}
	if err := s.collect(in.Table, 0, nil, groups); err != nil {
		return nil, err
	}
	for k, pts := range groups {
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].t < pts[j].t })
		groups[k] = pts
	}
	return groups, nil
}

// addUnsealed adds the dataset's own unsealed rows as history points.
func (s *Series) addUnsealed(ctx context.Context, in *validators.Input, groups map[string][]point) error {
	u, err := validators.UnsealedTable(ctx, in, in.Dataset)
	if err != nil || u == nil {
		return err
	}
	if err := s.collect(u.Table, -1, nil, groups); err != nil {
		return err
	}
	for k, pts := range groups {
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].t < pts[j].t })
		groups[k] = pts
	}
	return nil
}

// collect appends the points of t; rowBase -1 marks history points.
func (s *Series) collect(t *validators.Table, rowBase int, flagged map[string]bool, groups map[string][]point) error {
	if err := s.cfg.Where.Check(t); err != nil {
		return err
	}
	rows, err := s.cfg.Where.Rows(t)
	if err != nil {
		return err
	}
	vals, err := t.Floats(s.cfg.Value)
	if err != nil {
		return err
	}
	var times *validators.Col[int64]
	if s.cfg.Time != "" {
		if times, err = t.Ints(s.cfg.Time); err != nil {
			return err
		}
	}
	var grp *validators.Col[string]
	if s.cfg.Group != "" {
		if grp, err = t.Strings(s.cfg.Group); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if !vals.Valid(r) || (times != nil && !times.Valid(r)) || math.IsNaN(vals.Values[r]) {
			continue
		}
		if len(flagged) > 0 && flagged[t.Key(r)] {
			continue
		}
		p := point{v: vals.Values[r], row: r, t: int64(r)}
		if rowBase < 0 {
			p.row, p.t = -1, int64(r)-1<<40
		}
		if times != nil {
			p.t = times.Values[r]
		}
		g := ""
		if grp != nil {
			g = grp.Values[r]
		}
		groups[g] = append(groups[g], p)
	}
	return nil
}

func runSpan(groups map[string][]point) (from, to int64) {
	from, to = math.MaxInt64, math.MinInt64
	for _, pts := range groups {
		for _, p := range pts {
			if p.row >= 0 {
				from, to = min(from, p.t), max(to, p.t)
			}
		}
	}
	return from, to
}

func sortedGroupKeys(m map[string][]point) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
