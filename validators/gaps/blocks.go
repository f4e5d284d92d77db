package gaps

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the block-range validator.
const (
	CodeBlockRange      validators.Code = "gaps.block_range"
	CodeBlockOverlap    validators.Code = "gaps.block_overlap"
	CodeBlockOutOfRange validators.Code = "gaps.block_out_of_range"
)

// BlockRangeKind is the configuration kind of the block-range validator.
const BlockRangeKind = "gaps.block_range"

// BlockRangeConfig configures block-range coverage. The run's block range
// is the one its source declares in the provenance; it must start right
// after the previous version's range.
type BlockRangeConfig struct {
	// Block, when set, names the rows' block column, which must lie inside
	// the declared range.
	Block string `yaml:"block" json:"block"`
}

// DefaultBlockRangeConfig returns the defaults.
func DefaultBlockRangeConfig() BlockRangeConfig { return BlockRangeConfig{} }

// BlockRange checks the coverage of block ranges from version to version.
type BlockRange struct {
	name string
	cfg  BlockRangeConfig
}

// NewBlockRange returns a block-range validator.
func NewBlockRange(name string, cfg BlockRangeConfig) (*BlockRange, error) {
	return &BlockRange{name: cmp.Or(name, BlockRangeKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (b *BlockRange) Name() string { return b.name }

// Codes implements validators.Validator.
func (b *BlockRange) Codes() []validators.CodeInfo { return blockCodes }

var blockCodes = []validators.CodeInfo{
	{Code: CodeBlockRange, Severity: validators.Error, Action: validators.Block, Summary: "The run's declared block range does not start right after the previous version's: blocks were skipped."},
	{Code: CodeBlockOverlap, Severity: validators.Warn, Action: validators.Keep, Summary: "The run's declared block range overlaps the previous version's (blocks read twice)."},
	{Code: CodeBlockOutOfRange, Severity: validators.Error, Action: validators.Quarantine, Summary: "A row's block number lies outside the run's declared block range."},
}

// Validate implements validators.Validator.
func (b *BlockRange) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	br := in.Provenance.BlockRange
	if br == nil {
		return nil, nil
	}
	var out []validators.Finding
	m, err := in.History.Manifest(ctx, in.Dataset, 0)
	switch {
	case errors.Is(err, validators.ErrNoHistory):
	case err != nil:
		return nil, err
	case m.Provenance.BlockRange != nil:
		out = append(out, b.continuity(m.Provenance.BlockRange.To, br.From))
	}
	if b.cfg.Block != "" && in.Rows() > 0 {
		col, err := in.Table.Ints(b.cfg.Block)
		if err != nil {
			return nil, err
		}
		var rows []int
		for r, v := range col.Values {
			if col.Valid(r) && (uint64(v) < br.From || uint64(v) > br.To) {
				rows = append(rows, r)
			}
		}
		if len(rows) > 0 {
			out = append(out, validators.Finding{Code: CodeBlockOutOfRange, Severity: validators.Error, Validator: b.name, Rows: rows,
				Subject: fmt.Sprintf("blocks:%d..%d", br.From, br.To), Value: float64(len(rows)), Threshold: 0,
				Message: fmt.Sprintf("%d row(s) have %s outside the declared range %d..%d", len(rows), b.cfg.Block, br.From, br.To)})
		}
	}
	return out, nil
}

func (b *BlockRange) continuity(prevTo, from uint64) validators.Finding {
	switch {
	case from > prevTo+1:
		return validators.Finding{Code: CodeBlockRange, Severity: validators.Error, Validator: b.name,
			Subject: fmt.Sprintf("blocks:%d..%d", prevTo+1, from-1), Value: float64(from - prevTo - 1), Threshold: 0,
			Message: fmt.Sprintf("blocks %d..%d were not read: the previous version ends at %d, this run starts at %d", prevTo+1, from-1, prevTo, from)}
	case from <= prevTo:
		return validators.Finding{Code: CodeBlockOverlap, Severity: validators.Warn, Validator: b.name,
			Subject: fmt.Sprintf("blocks:%d..%d", from, prevTo), Value: float64(prevTo - from + 1), Threshold: 0,
			Message: fmt.Sprintf("this run starts at block %d, inside the previous version's range ending at %d", from, prevTo)}
	}
	return validators.Pass(b.name, CodeBlockRange, 0, 0, fmt.Sprintf("run starts right after block %d", prevTo))
}
