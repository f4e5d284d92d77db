package gaps

import (
	"cmp"
	"context"
	"fmt"
	"math"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeRowCount is the code of the row-count validator.
const CodeRowCount validators.Code = "gaps.row_count"

// RowCountKind is the configuration kind of the row-count validator.
const RowCountKind = "gaps.row_count"

// RowCountConfig configures row-count anomalies: the run's row count is
// compared, on a log scale, with the counts of recent good versions
// (runs of a scheduled job cover comparable spans).
type RowCountConfig struct {
	// Versions is how many good versions form the baseline; MinVersions
	// how many are needed before the check runs.
	Versions    int `yaml:"versions" json:"versions"`
	MinVersions int `yaml:"min_versions" json:"min_versions"`
	// K is the robust z above which a count is anomalous.
	K float64 `yaml:"k" json:"k"`
	// Min is an absolute floor on the rows of a run (0: none).
	Min int `yaml:"min" json:"min"`
}

// DefaultRowCountConfig returns the defaults.
func DefaultRowCountConfig() RowCountConfig {
	return RowCountConfig{Versions: 30, MinVersions: 5, K: 4}
}

// RowCount reports runs with anomalously many or few rows.
type RowCount struct {
	name string
	cfg  RowCountConfig
}

// NewRowCount returns a row-count validator.
func NewRowCount(name string, cfg RowCountConfig) (*RowCount, error) {
	if cfg.Versions < cfg.MinVersions || cfg.MinVersions < 3 || cfg.K <= 0 {
		return nil, fmt.Errorf("%w: %s: want 3 <= min_versions <= versions and k > 0", validators.ErrConfig, name)
	}
	return &RowCount{name: cmp.Or(name, RowCountKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (r *RowCount) Name() string { return r.name }

// Codes implements validators.Validator.
func (r *RowCount) Codes() []validators.CodeInfo { return rowCountCodes }

var rowCountCodes = []validators.CodeInfo{{Code: CodeRowCount, Severity: validators.Warn, Action: validators.Keep,
	Summary: "The run's row count is more than k scaled MADs (log scale) from the counts of recent good versions, or below the configured minimum."}}

// Validate implements validators.Validator.
func (r *RowCount) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := in.Rows()
	if r.cfg.Min > 0 && n < r.cfg.Min {
		return []validators.Finding{{Code: CodeRowCount, Severity: validators.Warn, Validator: r.name, Subject: "rows",
			Value: float64(n), Threshold: float64(r.cfg.Min), Message: fmt.Sprintf("%d rows, below the minimum %d", n, r.cfg.Min)}}, nil
	}
	bs, err := in.History.Baselines(ctx, in.Dataset, r.cfg.Versions)
	if err != nil || len(bs) < r.cfg.MinVersions {
		return nil, err
	}
	xs := make([]float64, len(bs))
	for i, m := range bs {
		xs[i] = math.Log1p(float64(m.Input))
	}
	med, mad := validators.MedianMAD(xs)
	z := validators.RobustZ(math.Log1p(float64(n)), med, mad, 0.1)
	msg := fmt.Sprintf("%d rows; the last %d good versions had a median of %.0f (robust z %.1f, threshold %g)", n, len(bs), math.Expm1(med), z, r.cfg.K)
	if z <= r.cfg.K {
		return []validators.Finding{validators.Pass(r.name, CodeRowCount, z, r.cfg.K, msg)}, nil
	}
	return []validators.Finding{{Code: CodeRowCount, Severity: validators.Warn, Validator: r.name, Subject: "rows", Value: z, Threshold: r.cfg.K, Message: msg}}, nil
}
