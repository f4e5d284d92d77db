package gaps

import (
	"cmp"
	"context"
	"fmt"
	"math"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeNullRate is the code of the completeness validator.
const CodeNullRate validators.Code = "gaps.null_rate"

// CompletenessKind is the configuration kind of the completeness validator.
const CompletenessKind = "gaps.completeness"

// CompletenessConfig lists the columns whose null rate is checked.
type CompletenessConfig struct {
	Columns []NullRule `yaml:"columns" json:"columns" config:"required"`
	// Delta is how far a column's null rate may rise above the baseline's
	// when its rule sets no max_null_rate.
	Delta float64 `yaml:"delta" json:"delta"`
}

// NullRule is the completeness rule of one column over the rows Where
// selects (votes must be set on VoteCast rows).
type NullRule struct {
	Column      string           `yaml:"column" json:"column" config:"required"`
	Where       validators.Where `yaml:"where" json:"where"`
	MaxNullRate *float64         `yaml:"max_null_rate" json:"max_null_rate"`
}

// DefaultCompletenessConfig returns the defaults.
func DefaultCompletenessConfig() CompletenessConfig { return CompletenessConfig{Delta: 0.05} }

// Completeness checks null rates.
type Completeness struct {
	name string
	cfg  CompletenessConfig
}

// NewCompleteness returns a completeness validator.
func NewCompleteness(name string, cfg CompletenessConfig) (*Completeness, error) {
	if len(cfg.Columns) == 0 || cfg.Delta < 0 {
		return nil, fmt.Errorf("%w: %s: at least one column and a non-negative delta are required", validators.ErrConfig, name)
	}
	return &Completeness{name: cmp.Or(name, CompletenessKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (c *Completeness) Name() string { return c.name }

// Codes implements validators.Validator.
func (c *Completeness) Codes() []validators.CodeInfo { return nullCodes }

var nullCodes = []validators.CodeInfo{{Code: CodeNullRate, Severity: validators.Warn, Action: validators.Keep,
	Summary: "A column's null rate over the selected rows exceeds max_null_rate, or the baseline's rate plus delta; the null rows are referenced."}}

// Validate implements validators.Validator.
func (c *Completeness) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var base *validators.Metrics
	if bs, err := in.History.Baselines(ctx, in.Dataset, 1); err != nil {
		return nil, err
	} else if len(bs) > 0 {
		base = bs[0]
	}
	var out []validators.Finding
	for _, rule := range c.cfg.Columns {
		f, err := c.rule(in.Table, rule, base)
		if err != nil {
			return nil, err
		}
		if f != nil {
			out = append(out, *f)
		}
	}
	return out, nil
}

func (c *Completeness) rule(t *validators.Table, rule NullRule, base *validators.Metrics) (*validators.Finding, error) {
	rows, err := selected(t, rule.Where)
	if err != nil {
		return nil, err
	}
	mask, err := t.NullMask(rule.Column)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var nulls []int
	for _, r := range rows {
		if mask != nil && mask[r] {
			nulls = append(nulls, r)
		}
	}
	rate := float64(len(nulls)) / float64(len(rows))
	limit, from := 0.0, "max_null_rate"
	switch {
	case rule.MaxNullRate != nil:
		limit = *rule.MaxNullRate
	case base != nil && base.Columns[rule.Column] != nil && rule.Where.IsZero():
		limit, from = math.Min(1, float64(base.Columns[rule.Column].NullRate)+c.cfg.Delta), "baseline + delta"
	}
	msg := fmt.Sprintf("column %s: %d of %d selected rows are null (%.2f%%, limit %.2f%% from %s)", rule.Column, len(nulls), len(rows), 100*rate, 100*limit, from)
	if rate <= limit {
		f := validators.Pass(c.name, CodeNullRate, rate, limit, msg)
		f.Subject = "column:" + rule.Column
		return &f, nil
	}
	return &validators.Finding{Code: CodeNullRate, Severity: validators.Warn, Validator: c.name, Rows: nulls,
		Subject: "column:" + rule.Column, Value: rate, Threshold: limit, Message: msg}, nil
}
