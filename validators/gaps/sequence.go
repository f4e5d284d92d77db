package gaps

import (
	"cmp"
	"context"
	"fmt"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the sequence validator.
const (
	CodeSequenceGap     validators.Code = "gaps.sequence_gap"
	CodeOrphanReference validators.Code = "gaps.orphan_reference"
)

// SequenceKind is the configuration kind of the sequence validator.
const SequenceKind = "gaps.sequence"

// SequenceConfig configures a sequence check.
type SequenceConfig struct {
	// Column holds the sequence (an integer column), over the rows Where
	// selects: GovernorBravo proposal ids on ProposalCreated rows.
	Column string           `yaml:"column" json:"column" config:"required"`
	Where  validators.Where `yaml:"where" json:"where"`
	// Step is the difference of consecutive values (default 1).
	Step int64 `yaml:"step" json:"step"`
	// References are columns whose values must be values of the sequence:
	// proposal_id on VoteCast rows.
	References []Reference `yaml:"references" json:"references"`
	// HistoryRows bounds the history read (0: all of it).
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
}

// Reference is a column that refers to the sequence.
type Reference struct {
	Column string           `yaml:"column" json:"column" config:"required"`
	Where  validators.Where `yaml:"where" json:"where"`
}

// DefaultSequenceConfig returns the defaults.
func DefaultSequenceConfig() SequenceConfig { return SequenceConfig{Step: 1} }

// Sequence reports missing values of a sequence and references to values
// that never appeared.
type Sequence struct {
	name string
	cfg  SequenceConfig
}

// NewSequence returns a sequence validator.
func NewSequence(name string, cfg SequenceConfig) (*Sequence, error) {
	if cfg.Step < 1 {
		return nil, fmt.Errorf("%w: %s: step must be at least 1", validators.ErrConfig, name)
	}
	return &Sequence{name: cmp.Or(name, SequenceKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (s *Sequence) Name() string { return s.name }

// Codes implements validators.Validator.
func (s *Sequence) Codes() []validators.CodeInfo { return seqCodes }

var seqCodes = []validators.CodeInfo{
	{Code: CodeSequenceGap, Severity: validators.Error, Action: validators.Keep, Summary: "Values of a sequence (proposal ids, message indexes) are missing between the values seen; the row after the gap is referenced."},
	{Code: CodeOrphanReference, Severity: validators.Warn, Action: validators.Keep, Summary: "Rows refer to a sequence value that never appeared (a vote for a proposal whose creation is missing)."},
}

// Validate implements validators.Validator.
func (s *Sequence) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	runRows := map[int64][]int{}
	hist, release, err := historyTable(ctx, in, s.cfg.HistoryRows)
	if err != nil {
		return nil, err
	}
	defer release()
	if hist != nil {
		if err := s.values(hist, func(v int64, _ int) { seen[v] = true }); err != nil {
			return nil, err
		}
	}
	if err := s.values(in.Table, func(v int64, r int) { runRows[v] = append(runRows[v], r) }); err != nil {
		return nil, err
	}
	out := s.gaps(seen, runRows)
	for v := range runRows {
		seen[v] = true
	}
	for _, ref := range s.cfg.References {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fs, err := s.orphans(in.Table, ref, seen)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// values calls fn with each selected value of the sequence column.
func (s *Sequence) values(t *validators.Table, fn func(v int64, row int)) error {
	rows, err := selected(t, s.cfg.Where)
	if err != nil {
		return err
	}
	col, err := t.Ints(s.cfg.Column)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if col.Valid(r) {
			fn(col.Values[r], r)
		}
	}
	return nil
}

// gaps reports holes next to at least one value of the run.
func (s *Sequence) gaps(hist map[int64]bool, run map[int64][]int) []validators.Finding {
	all := map[int64]bool{}
	for v := range hist {
		all[v] = true
	}
	for v := range run {
		all[v] = true
	}
	vals := sortedInts(all)
	var out []validators.Finding
	step := s.cfg.Step
	missingTotal := int64(0)
	for i := 1; i < len(vals); i++ {
		a, b := vals[i-1], vals[i]
		if b-a <= step || (run[a] == nil && run[b] == nil) {
			continue
		}
		missing := (b-a)/step - 1
		if (b-a)%step != 0 {
			missing++
		}
		missingTotal += missing
		rows := run[b]
		if rows == nil {
			rows = run[a]
		}
		rows = append([]int(nil), rows...)
		sort.Ints(rows)
		out = append(out, validators.Finding{Code: CodeSequenceGap, Severity: validators.Error, Validator: s.name, Rows: rows,
			Subject: fmt.Sprintf("%s:%d..%d", s.cfg.Column, a+step, b-step), Value: float64(missing), Threshold: 0,
			Message: fmt.Sprintf("%d value(s) of %s missing between %d and %d", missing, s.cfg.Column, a, b)})
	}
	if len(out) == 0 && len(run) > 0 {
		out = append(out, validators.Pass(s.name, CodeSequenceGap, 0, 0, fmt.Sprintf("%d values of %s, no gap", len(vals), s.cfg.Column)))
	}
	return out
}

// orphans reports referencing rows whose value is not in the sequence.
func (s *Sequence) orphans(t *validators.Table, ref Reference, seen map[int64]bool) ([]validators.Finding, error) {
	rows, err := selected(t, ref.Where)
	if err != nil {
		return nil, err
	}
	col, err := t.Ints(ref.Column)
	if err != nil {
		return nil, err
	}
	missing := map[int64][]int{}
	for _, r := range rows {
		if col.Valid(r) && !seen[col.Values[r]] {
			missing[col.Values[r]] = append(missing[col.Values[r]], r)
		}
	}
	var out []validators.Finding
	for _, v := range sortedInts(keys(missing)) {
		rs := missing[v]
		out = append(out, validators.Finding{Code: CodeOrphanReference, Severity: validators.Warn, Validator: s.name, Rows: rs,
			Subject: fmt.Sprintf("%s:%d", s.cfg.Column, v), Value: float64(len(rs)), Threshold: 0,
			Message: fmt.Sprintf("%d row(s) refer through %s to %s %d, which never appeared", len(rs), ref.Column, s.cfg.Column, v)})
	}
	return out, nil
}

func keys[V any](m map[int64]V) map[int64]bool {
	out := make(map[int64]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
