package gaps

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeTimeBucket is the code of the time-bucket validator.
const CodeTimeBucket validators.Code = "gaps.time_bucket"

// TimeBucketsKind is the configuration kind of the time-bucket validator.
const TimeBucketsKind = "gaps.time_buckets"

// TimeBucketsConfig configures time-bucket coverage.
type TimeBucketsConfig struct {
	Time  string           `yaml:"time" json:"time" config:"required"`
	Where validators.Where `yaml:"where" json:"where"`
	// Interval is the bucket width; every bucket between the first and the
	// last observation should hold at least one row.
	Interval validators.Duration `yaml:"interval" json:"interval" config:"required"`
	// MinMissing is the number of consecutive empty buckets reported as a
	// gap (1: every empty bucket).
	MinMissing int `yaml:"min_missing" json:"min_missing"`
	// HistoryRows are read to find the last observation before the run.
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
}

// DefaultTimeBucketsConfig returns the defaults.
func DefaultTimeBucketsConfig() TimeBucketsConfig {
	return TimeBucketsConfig{MinMissing: 1, HistoryRows: 1000}
}

// TimeBuckets reports runs of empty time buckets.
type TimeBuckets struct {
	name string
	cfg  TimeBucketsConfig
}

// NewTimeBuckets returns a time-bucket validator.
func NewTimeBuckets(name string, cfg TimeBucketsConfig) (*TimeBuckets, error) {
	if cfg.Interval.D() <= 0 || cfg.MinMissing < 1 {
		return nil, fmt.Errorf("%w: %s: interval must be positive and min_missing at least 1", validators.ErrConfig, name)
	}
	return &TimeBuckets{name: cmp.Or(name, TimeBucketsKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (b *TimeBuckets) Name() string { return b.name }

// Codes implements validators.Validator.
func (b *TimeBuckets) Codes() []validators.CodeInfo { return bucketCodes }

var bucketCodes = []validators.CodeInfo{{Code: CodeTimeBucket, Severity: validators.Warn, Action: validators.Keep,
	Summary: "At least min_missing consecutive time buckets of the interval hold no row (the observations on both sides of the gap that the run holds are referenced; the message gives their times)."}}

// Validate implements validators.Validator.
func (b *TimeBuckets) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	width := b.cfg.Interval.D().Microseconds()
	spans := map[int64]bucketSpan{} // bucket → earliest and latest run row in it
	if in.Rows() > 0 {
		var err error
		if spans, err = b.runBuckets(in, width); err != nil {
			return nil, err
		}
	}
	if len(spans) == 0 {
		return nil, nil
	}
	buckets := make([]int64, 0, len(spans)+1)
	for k := range spans {
		buckets = append(buckets, k)
	}
	last, err := b.lastBefore(ctx, in)
	if err != nil {
		return nil, err
	}
	// sealed is the latest sealed observation's bucket, when no run row
	// is in it
	sealedK, sealed := int64(0), obsAt{}
	if last != math.MinInt64 {
		k := floorDiv(last, width)
		buckets = append(buckets, k)
		if s, ok := spans[k]; !ok {
			sealedK, sealed = k, obsAt{row: -1, t: last}
		} else if last > s.latest.t {
			s.latest = obsAt{row: -1, t: last}
			spans[k] = s
		}
	}
	latest := func(k int64) obsAt {
		if s, ok := spans[k]; ok {
			return s.latest
		}
		if k == sealedK && sealed.row == -1 {
			return sealed
		}
		return obsAt{}
	}
	slices.Sort(buckets)
	var out []validators.Finding
	worst := int64(0)
	for i := 1; i < len(buckets); i++ {
		missing := buckets[i] - buckets[i-1] - 1
		worst = max(worst, missing)
		if missing < int64(b.cfg.MinMissing) {
			continue
		}
		from, to := (buckets[i-1]+1)*width, buckets[i]*width
		before, after := latest(buckets[i-1]), spans[buckets[i]].first
		f := validators.Finding{Code: CodeTimeBucket, Severity: validators.Warn, Validator: b.name,
			Subject: interval(from, to), Value: float64(missing), Threshold: float64(b.cfg.MinMissing - 1),
			Message: fmt.Sprintf("%d empty %s buckets from %s to %s, between the observations at %s (%s) and %s (%s)", missing, b.cfg.Interval.D(),
				validators.FormatTime(from), validators.FormatTime(to), validators.FormatTime(before.t), before.where(), validators.FormatTime(after.t), after.where())}
		for _, o := range []obsAt{before, after} {
			if o.row >= 0 && !slices.Contains(f.Rows, o.row) {
				f.Rows = append(f.Rows, o.row)
			}
		}
		slices.Sort(f.Rows)
		out = append(out, f)
	}
	if len(out) == 0 {
		out = append(out, validators.Pass(b.name, CodeTimeBucket, float64(worst), float64(b.cfg.MinMissing-1), fmt.Sprintf("longest run of empty buckets: %d", worst)))
	}
	return out, nil
}

// obsAt is an observation next to a gap: a run row, or -1 for history.
type obsAt struct {
	row int
	t   int64
}

func (o obsAt) where() string {
	if o.row < 0 {
		return "sealed before"
	}
	return fmt.Sprintf("run row %d", o.row)
}

// bucketSpan is the earliest and the latest run row of a bucket.
type bucketSpan struct{ first, latest obsAt }

// runBuckets returns the earliest and latest run row of every bucket that
// holds one (one map entry per bucket, sized from the run's time span).
func (b *TimeBuckets) runBuckets(in *validators.Input, width int64) (map[int64]bucketSpan, error) {
	rows, err := selected(in.Table, b.cfg.Where)
	if err != nil {
		return nil, err
	}
	ts, err := in.Table.Ints(b.cfg.Time)
	if err != nil {
		return nil, err
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, r := range rows {
		if ts.Valid(r) {
			lo, hi = min(lo, ts.Values[r]), max(hi, ts.Values[r])
		}
	}
	hint := 0
	if lo <= hi {
		hint = int(min(uint64(len(rows)), uint64(floorDiv(hi, width)-floorDiv(lo, width))+1))
	}
	spans := make(map[int64]bucketSpan, hint)
	for _, r := range rows {
		if !ts.Valid(r) {
			continue
		}
		t := ts.Values[r]
		k := floorDiv(t, width)
		s, ok := spans[k]
		if !ok {
			spans[k] = bucketSpan{obsAt{r, t}, obsAt{r, t}}
			continue
		}
		if t < s.first.t || (t == s.first.t && r < s.first.row) {
			s.first = obsAt{r, t}
		}
		if t > s.latest.t || (t == s.latest.t && r < s.latest.row) {
			s.latest = obsAt{r, t}
		}
		spans[k] = s
	}
	return spans, nil
}

// lastBefore returns the latest observation time in history.
func (b *TimeBuckets) lastBefore(ctx context.Context, in *validators.Input) (int64, error) {
	return lastTime(ctx, in, b.cfg.Time, b.cfg.Where, b.cfg.HistoryRows)
}

func lastTime(ctx context.Context, in *validators.Input, col string, w validators.Where, n int) (int64, error) {
	last := int64(math.MinInt64)
	hist, release, err := historyTable(ctx, in, n)
	if err != nil {
		return last, err
	}
	defer release()
	u, err := unsealedTable(ctx, in)
	if err != nil {
		return last, err
	}
	for _, t := range []*validators.Table{hist, u} {
		if t == nil {
			continue
		}
		rows, err := selected(t, w)
		if err != nil {
			return last, err
		}
		ts, err := t.Ints(col)
		if err != nil {
			return last, err
		}
		for _, r := range rows {
			if ts.Valid(r) {
				last = max(last, ts.Values[r])
			}
		}
	}
	return last, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// interval renders [from, to) as an ISO 8601 interval.
func interval(from, to int64) string {
	return time.UnixMicro(from).UTC().Format(time.RFC3339) + "/" + time.UnixMicro(to).UTC().Format(time.RFC3339)
}
