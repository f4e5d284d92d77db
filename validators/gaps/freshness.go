package gaps

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the freshness validator.
const (
	CodeStale      validators.Code = "gaps.stale"
	CodeStaleValue validators.Code = "gaps.stale_value"
)

// FreshnessKind is the configuration kind of the freshness validator.
const FreshnessKind = "gaps.freshness"

// FreshnessConfig configures staleness against a source's heartbeat.
type FreshnessConfig struct {
	Time  string           `yaml:"time" json:"time" config:"required"`
	Where validators.Where `yaml:"where" json:"where"`
	// Heartbeat is the longest a healthy source goes without a new
	// observation; the newest observation must be younger at run time.
	Heartbeat validators.Duration `yaml:"heartbeat" json:"heartbeat" config:"required"`
	// Value, when set, is checked for being frozen: the same value for
	// longer than MaxFlat (default two heartbeats) while time advances.
	Value   string              `yaml:"value" json:"value"`
	MaxFlat validators.Duration `yaml:"max_flat" json:"max_flat"`
	// HistoryRows are read so a frozen stretch crossing runs is seen whole.
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
	// Mode is live (the default: staleness at run time) or backfill
	// (a historical import: staleness is measured at the data's own newest
	// time, so an old import is not stale). AsOf, an RFC 3339 time, sets
	// the time staleness is measured at instead.
	Mode string `yaml:"mode" json:"mode"`
	AsOf string `yaml:"as_of" json:"as_of"`
}

// Freshness modes.
const (
	ModeLive     = "live"
	ModeBackfill = "backfill"
)

// DefaultFreshnessConfig returns the defaults.
func DefaultFreshnessConfig() FreshnessConfig { return FreshnessConfig{HistoryRows: 200} }

// Freshness checks staleness and frozen values.
type Freshness struct {
	name string
	cfg  FreshnessConfig
}

// NewFreshness returns a freshness validator.
func NewFreshness(name string, cfg FreshnessConfig) (*Freshness, error) {
	if cfg.Heartbeat.D() <= 0 {
		return nil, fmt.Errorf("%w: %s: heartbeat must be positive", validators.ErrConfig, name)
	}
	if cfg.MaxFlat == 0 {
		cfg.MaxFlat = 2 * cfg.Heartbeat
	}
	if cfg.Mode != "" && cfg.Mode != ModeLive && cfg.Mode != ModeBackfill {
		return nil, fmt.Errorf("%w: %s: mode must be live or backfill, got %q", validators.ErrConfig, name, cfg.Mode)
	}
	if cfg.AsOf != "" {
		if _, err := time.Parse(time.RFC3339, cfg.AsOf); err != nil {
			return nil, fmt.Errorf("%w: %s: as_of %q is not an RFC 3339 time", validators.ErrConfig, name, cfg.AsOf)
		}
	}
	return &Freshness{name: cmp.Or(name, FreshnessKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (f *Freshness) Name() string { return f.name }

// Codes implements validators.Validator.
func (f *Freshness) Codes() []validators.CodeInfo { return freshCodes }

var freshCodes = []validators.CodeInfo{
	{Code: CodeStale, Severity: validators.Warn, Action: validators.Keep, Summary: "The newest observation is older than the source's heartbeat at run time (error beyond three heartbeats)."},
	{Code: CodeStaleValue, Severity: validators.Error, Action: validators.Quarantine, Summary: "The value stayed exactly the same for longer than max_flat while observations kept coming: a frozen feed (every repeat after the first is referenced)."},
}

type obs struct {
	t   int64
	v   float64
	row int
}

// Validate implements validators.Validator.
func (f *Freshness) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pts, err := f.load(ctx, in)
	if err != nil {
		return nil, err
	}
	var out []validators.Finding
	if len(pts) > 0 {
		out = append(out, f.staleness(pts[len(pts)-1].t, f.at(in, pts[len(pts)-1].t)))
	}
	if f.cfg.Value != "" {
		out = append(out, f.frozen(pts)...)
	}
	return out, nil
}

// load returns history-tail and run observations in time order.
func (f *Freshness) load(ctx context.Context, in *validators.Input) ([]obs, error) {
	var pts []obs
	add := func(t *validators.Table, hist bool) error {
		rows, err := selected(t, f.cfg.Where)
		if err != nil {
			return err
		}
		ts, err := t.Ints(f.cfg.Time)
		if err != nil {
			return err
		}
		var vs *validators.Col[float64]
		if f.cfg.Value != "" {
			if vs, err = t.Floats(f.cfg.Value); err != nil {
				return err
			}
		}
		for _, r := range rows {
			if !ts.Valid(r) || (vs != nil && !vs.Valid(r)) {
				continue
			}
			o := obs{t: ts.Values[r], row: r}
			if vs != nil {
				o.v = vs.Values[r]
			}
			if hist {
				o.row = -1
			}
			pts = append(pts, o)
		}
		return nil
	}
	hist, release, err := historyTable(ctx, in, f.cfg.HistoryRows)
	if err != nil {
		return nil, err
	}
	defer release()
	u, err := unsealedTable(ctx, in)
	if err != nil {
		return nil, err
	}
	for _, t := range []*validators.Table{hist, u} {
		if t != nil {
			if err := add(t, true); err != nil {
				return nil, err
			}
		}
	}
	if err := add(in.Table, false); err != nil {
		return nil, err
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].t < pts[j].t })
	return pts, nil
}

// at returns the time staleness is measured at: as_of, the newest
// observation in backfill mode or in a backfill run (in.Backfill), or the
// run's time.
func (f *Freshness) at(in *validators.Input, newest int64) time.Time {
	if f.cfg.AsOf != "" {
		t, _ := time.Parse(time.RFC3339, f.cfg.AsOf)
		return t
	}
	if f.cfg.Mode == ModeBackfill || in.Backfill {
		return time.UnixMicro(newest)
	}
	return in.Now
}

func (f *Freshness) staleness(newest int64, now time.Time) validators.Finding {
	age := now.Sub(time.UnixMicro(newest))
	hb := f.cfg.Heartbeat.D()
	msg := fmt.Sprintf("newest observation %s is %s old at %s (heartbeat %s)", validators.FormatTime(newest), age.Round(time.Second), now.UTC().Format(time.RFC3339), hb)
	if age <= hb {
		return validators.Pass(f.name, CodeStale, age.Seconds(), hb.Seconds(), msg)
	}
	sev := validators.Warn
	if age > 3*hb {
		sev = validators.Error
	}
	return validators.Finding{Code: CodeStale, Severity: sev, Validator: f.name, Subject: "source", Value: age.Seconds(), Threshold: hb.Seconds(), Message: msg}
}

// frozen reports stretches of an unchanged value longer than MaxFlat.
func (f *Freshness) frozen(pts []obs) []validators.Finding {
	var out []validators.Finding
	limit := f.cfg.MaxFlat.D().Microseconds()
	longest := int64(0)
	for i := 0; i < len(pts); {
		j := i + 1
		for j < len(pts) && pts[j].v == pts[i].v && !math.IsNaN(pts[i].v) {
			j++
		}
		span := pts[j-1].t - pts[i].t
		longest = max(longest, span)
		if span > limit {
			var rows []int
			for _, p := range pts[i+1 : j] {
				if p.row >= 0 {
					rows = append(rows, p.row)
				}
			}
			if len(rows) > 0 {
				sort.Ints(rows)
				out = append(out, validators.Finding{Code: CodeStaleValue, Severity: validators.Error, Validator: f.name, Rows: rows,
					Subject: interval(pts[i].t, pts[j-1].t), Value: time.Duration(span * 1000).Seconds(), Threshold: f.cfg.MaxFlat.D().Seconds(),
					Message: fmt.Sprintf("%s stayed at %g for %s over %d observations from %s (limit %s)", f.cfg.Value, pts[i].v,
						time.Duration(span*1000), j-i, validators.FormatTime(pts[i].t), f.cfg.MaxFlat.D())})
			}
		}
		i = j
	}
	if len(out) == 0 && len(pts) > 0 {
		out = append(out, validators.Pass(f.name, CodeStaleValue, time.Duration(longest*1000).Seconds(), f.cfg.MaxFlat.D().Seconds(), "longest unchanged stretch within the limit"))
	}
	return out
}
