package gaps

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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
	// GroupBy names a column that splits the sequence (contract_address:
	// two governors in one dataset each have their own ids).
	GroupBy string `yaml:"group_by" json:"group_by"`
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
	{Code: CodeSequenceGap, Severity: validators.Error, Action: validators.Keep, Summary: "Values of a sequence (proposal ids, message indexes) are missing between the values seen (per group with group_by); the rows on both sides of the gap that the run holds are referenced."},
	{Code: CodeOrphanReference, Severity: validators.Warn, Action: validators.Keep, Summary: "Rows refer to a sequence value that never appeared (a vote for a proposal whose creation is missing)."},
}

// Validate implements validators.Validator.
func (s *Sequence) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	seen := map[string]map[int64]bool{}
	runRows := map[string]map[int64][]int{}
	// The history streams one batch at a time: only the set of sequence
	// values seen per group is kept.
	err := validators.ScanHistory(ctx, in.History, in.Dataset, uint64(max(s.cfg.HistoryRows, 0)), func(hist *validators.Table) error {
		return s.values(hist, func(g string, v int64, _ int) { groupSet(seen, g)[v] = true })
	})
	if err != nil {
		return nil, err
	}
	if err := s.values(in.Table, func(g string, v int64, r int) { groupSet(runRows, g)[v] = append(runRows[g][v], r) }); err != nil {
		return nil, err
	}
	var out []validators.Finding
	for _, g := range groupKeys(seen, runRows) {
		out = append(out, s.gaps(g, seen[g], runRows[g])...)
		for v := range runRows[g] {
			groupSet(seen, g)[v] = true
		}
	}
	if len(out) == 0 && len(runRows) > 0 {
		out = append(out, validators.Pass(s.name, CodeSequenceGap, 0, 0, fmt.Sprintf("%d groups of %s, no gap", len(runRows), s.cfg.Column)))
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

// groupSet returns m[g], creating it.
func groupSet[V any](m map[string]map[int64]V, g string) map[int64]V {
	if m[g] == nil {
		m[g] = map[int64]V{}
	}
	return m[g]
}

func groupKeys[A, B any](a map[string]A, b map[string]B) []string {
	all := map[string]bool{}
	for k := range a {
		all[k] = true
	}
	for k := range b {
		all[k] = true
	}
	out := make([]string, 0, len(all))
	for k := range all {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// groupOf returns each row's group ("" without group_by).
func (s *Sequence) groupOf(t *validators.Table) func(int) string {
	if s.cfg.GroupBy == "" {
		return func(int) string { return "" }
	}
	return func(r int) string { return t.Value(r, s.cfg.GroupBy) }
}

// values calls fn with each selected value of the sequence column.
func (s *Sequence) values(t *validators.Table, fn func(g string, v int64, row int)) error {
	rows, err := selected(t, s.cfg.Where)
	if err != nil {
		return err
	}
	col, err := t.Ints(s.cfg.Column)
	if err != nil {
		return err
	}
	if s.cfg.GroupBy != "" && !t.Has(s.cfg.GroupBy) {
		return fmt.Errorf("%w: %s: group_by column %q does not exist", validators.ErrConfig, s.name, s.cfg.GroupBy)
	}
	group := s.groupOf(t)
	for _, r := range rows {
		if col.Valid(r) {
			fn(group(r), col.Values[r], r)
		}
	}
	return nil
}

// gaps reports holes next to at least one value of the run; the rows of
// both values around a hole that the run holds are referenced.
func (s *Sequence) gaps(group string, hist map[int64]bool, run map[int64][]int) []validators.Finding {
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
	prefix := ""
	if group != "" {
		prefix = group + "/"
	}
	for i := 1; i < len(vals); i++ {
		a, b := vals[i-1], vals[i]
		if b-a <= step || (run[a] == nil && run[b] == nil) {
			continue
		}
		missing := (b-a)/step - 1
		if (b-a)%step != 0 {
			missing++
		}
		rows := append(append([]int(nil), run[a]...), run[b]...)
		sort.Ints(rows)
		rows = slices.Compact(rows)
		before := "sealed before"
		if run[a] != nil {
			before = "in this run"
		}
		after := "sealed before"
		if run[b] != nil {
			after = "in this run"
		}
		out = append(out, validators.Finding{Code: CodeSequenceGap, Severity: validators.Error, Validator: s.name, Rows: rows,
			Subject: fmt.Sprintf("%s%s:%d..%d", prefix, s.cfg.Column, a+step, b-step), Value: float64(missing), Threshold: 0,
			Message: fmt.Sprintf("%s%d value(s) of %s missing between %d (%s) and %d (%s)", prefix, missing, s.cfg.Column, a, before, b, after)})
	}
	return out
}

// orphans reports referencing rows whose value is not in their group's
// sequence.
func (s *Sequence) orphans(t *validators.Table, ref Reference, seen map[string]map[int64]bool) ([]validators.Finding, error) {
	rows, err := selected(t, ref.Where)
	if err != nil {
		return nil, err
	}
	col, err := t.Ints(ref.Column)
	if err != nil {
		return nil, err
	}
	group := s.groupOf(t)
	type gv struct {
		g string
		v int64
	}
	missing := map[gv][]int{}
	var order []gv
	for _, r := range rows {
		if !col.Valid(r) {
			continue
		}
		k := gv{group(r), col.Values[r]}
		if !seen[k.g][k.v] {
			if missing[k] == nil {
				order = append(order, k)
			}
			missing[k] = append(missing[k], r)
		}
	}
	slices.SortFunc(order, func(a, b gv) int { return cmp.Or(cmp.Compare(a.g, b.g), cmp.Compare(a.v, b.v)) })
	var out []validators.Finding
	for _, k := range order {
		rs := missing[k]
		prefix := ""
		if k.g != "" {
			prefix = k.g + "/"
		}
		out = append(out, validators.Finding{Code: CodeOrphanReference, Severity: validators.Warn, Validator: s.name, Rows: rs,
			Subject: fmt.Sprintf("%s%s:%d", prefix, s.cfg.Column, k.v), Value: float64(len(rs)), Threshold: 0,
			Message: fmt.Sprintf("%d row(s) refer through %s to %s%s %d, which never appeared", len(rs), ref.Column, prefix, s.cfg.Column, k.v)})
	}
	return out, nil
}
