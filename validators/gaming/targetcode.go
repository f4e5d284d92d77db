package gaming

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeTargetCodeChanged is the code of the target-code validator.
const CodeTargetCodeChanged validators.Code = "gaming.target_code_changed"

// TargetCodeKind is the configuration kind of the target-code validator.
const TargetCodeKind = "gaming.target_code"

// TargetCodeConfig configures the check that a proposal's targets ran the
// same code at execution as when the proposal was made (a metamorphic
// contract or an upgrade slipped in between changes what voters approved).
type TargetCodeConfig struct {
	// Executed selects the execution rows of the validated dataset;
	// Proposal and Block name their proposal id and block columns.
	Executed  validators.Where `yaml:"executed" json:"executed"`
	Proposal  string           `yaml:"proposal" json:"proposal"`
	Block     string           `yaml:"block" json:"block"`
	Proposals ProposalSource   `yaml:"proposals" json:"proposals"`
	// Code names the dataset of code hashes and its columns.
	Code CodeSource `yaml:"code" json:"code"`
}

// CodeSource names the code-hash dataset.
type CodeSource struct {
	Dataset string `yaml:"dataset" json:"dataset"`
	Address string `yaml:"address" json:"address"`
	Block   string `yaml:"block" json:"block"`
	Hash    string `yaml:"hash" json:"hash"`
}

// DefaultTargetCodeConfig returns the defaults for the governor source's
// states table.
func DefaultTargetCodeConfig() TargetCodeConfig {
	return TargetCodeConfig{Executed: validators.Where{Column: "state", In: []string{"executed"}}, Proposal: "proposal_id",
		Block: "block_number", Proposals: DefaultProposalSource(),
		Code: CodeSource{Dataset: "code_hashes", Address: "address", Block: "block_number", Hash: "code_hash"}}
}

// TargetCode compares target code hashes at proposal and execution.
type TargetCode struct {
	name string
	cfg  TargetCodeConfig
}

// NewTargetCode returns a target-code validator.
func NewTargetCode(name string, cfg TargetCodeConfig) (*TargetCode, error) {
	if cfg.Code.Dataset == "" || cfg.Executed.IsZero() {
		return nil, fmt.Errorf("%w: %s: code.dataset and executed are required", validators.ErrConfig, name)
	}
	return &TargetCode{name: cmp.Or(name, TargetCodeKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (tc *TargetCode) Name() string { return tc.name }

// Codes implements validators.Validator.
func (tc *TargetCode) Codes() []validators.CodeInfo { return targetCodes }

var targetCodes = []validators.CodeInfo{{Code: CodeTargetCodeChanged, Severity: validators.Error, Action: validators.Keep,
	Summary: "A target of an executed proposal had different code at execution than when the proposal was created."}}

type codeObs struct {
	block uint64
	hash  [32]byte
}

// Validate implements validators.Validator.
func (tc *TargetCode) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := in.Table
	if err := tc.cfg.Executed.Check(t); err != nil {
		return nil, err
	}
	rows, err := tc.cfg.Executed.Rows(t)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ids, err := t.Words(tc.cfg.Proposal)
	if err != nil {
		return nil, err
	}
	blocks, err := t.Ints(tc.cfg.Block)
	if err != nil {
		return nil, err
	}
	props, err := loadProposals(ctx, in, tc.cfg.Proposals)
	if err != nil {
		return nil, err
	}
	code, err := tc.loadCode(ctx, in)
	if err != nil {
		return nil, err
	}
	var out []validators.Finding
	for _, r := range rows {
		p, ok := props[ids.Values[r]]
		if !ok {
			continue
		}
		targets, err := ParseList(p.targets)
		if err != nil {
			continue
		}
		var changed []string
		for _, target := range targets {
			if c := changedBetween(code[strings.ToLower(target.Text)], p.block, uint64(blocks.Values[r])); c != "" {
				changed = append(changed, target.Text+" "+c)
			}
		}
		if len(changed) > 0 {
			out = append(out, validators.Finding{Code: CodeTargetCodeChanged, Severity: validators.Error, Validator: tc.name, Rows: []int{r},
				Subject: "proposal:" + validators.WordString(ids.Values[r]), Value: float64(len(changed)), Threshold: 0,
				Message: fmt.Sprintf("code changed between the proposal (block %d) and its execution (block %d): %s", p.block, blocks.Values[r], strings.Join(changed, "; "))})
		}
	}
	if len(out) == 0 {
		out = append(out, validators.Pass(tc.name, CodeTargetCodeChanged, 0, 0, fmt.Sprintf("%d executions checked", len(rows))))
	}
	return out, nil
}

// loadCode reads the code observations by lowercase 0x address.
func (tc *TargetCode) loadCode(ctx context.Context, in *validators.Input) (map[string][]codeObs, error) {
	out := map[string][]codeObs{}
	t, err := validators.HistoryTable(ctx, in, tc.cfg.Code.Dataset, 0)
	if err != nil || t == nil {
		return out, err
	}
	addr, err := t.Addresses(tc.cfg.Code.Address)
	if err != nil {
		return nil, err
	}
	blk, err := t.Ints(tc.cfg.Code.Block)
	if err != nil {
		return nil, err
	}
	h, err := t.Words(tc.cfg.Code.Hash)
	if err != nil {
		return nil, err
	}
	for r := 0; r < t.Len(); r++ {
		a := validators.HexAddress(addr.Values[r])
		out[a] = append(out[a], codeObs{block: uint64(blk.Values[r]), hash: h.Values[r]})
	}
	for _, obs := range out {
		sort.Slice(obs, func(i, j int) bool { return obs[i].block < obs[j].block })
	}
	return out, nil
}

// changedBetween describes a code change in (from, to], or "".
func changedBetween(obs []codeObs, from, to uint64) string {
	var before *codeObs
	for i := range obs {
		o := &obs[i]
		switch {
		case o.block <= from:
			before = o
		case o.block <= to && before == nil:
			return fmt.Sprintf("got code at block %d after the proposal", o.block)
		case o.block <= to && o.hash != before.hash:
			return fmt.Sprintf("code hash changed at block %d", o.block)
		}
	}
	return ""
}
