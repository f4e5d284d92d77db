package gaming

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeJITPower is the code of the just-in-time power validator.
const CodeJITPower validators.Code = "gaming.jit_power"

// JITKind is the configuration kind of the just-in-time power validator.
const JITKind = "gaming.jit_power"

// JITConfig configures the just-in-time power check: a vote whose power
// was mostly acquired (bought, borrowed, delegated) within Before blocks of
// the proposal's snapshot and mostly moved out within After blocks of the
// snapshot or the vote. Without a snapshot (governors that count current
// balances, the Beanstalk pattern) the vote's block is the snapshot.
type JITConfig struct {
	Votes     VoteColumns    `yaml:"votes" json:"votes"`
	Proposals ProposalSource `yaml:"proposals" json:"proposals"`
	Token     TokenSource    `yaml:"token" json:"token"`
	Before    uint64         `yaml:"before" json:"before"`
	After     uint64         `yaml:"after" json:"after"`
	// Acquired is the smallest share of the vote's weight acquired inside
	// the window; Dumped the smallest share of the acquired power moved out
	// after; MinShare the smallest share of the proposal's votes (in the
	// run) a vote must carry to be checked.
	Acquired float64 `yaml:"acquired" json:"acquired"`
	Dumped   float64 `yaml:"dumped" json:"dumped"`
	MinShare float64 `yaml:"min_share" json:"min_share"`
	// CheckPower also compares every vote's weight with the voter's
	// recorded power at the snapshot (the last DelegateVotesChanged at or
	// before it, what getPastVotes returns): a heavier vote is
	// gaming.weight_above_power. Voters without token history are not
	// judged.
	CheckPower bool `yaml:"check_power" json:"check_power"`
}

// CodeWeightAbovePower is a vote heavier than the voter's recorded power
// at the snapshot.
const CodeWeightAbovePower validators.Code = "gaming.weight_above_power"

// DefaultJITConfig returns the defaults (7,200 blocks: about a day).
func DefaultJITConfig() JITConfig {
	return JITConfig{Votes: DefaultVoteColumns(), Proposals: DefaultProposalSource(), Token: DefaultTokenSource(),
		Before: 7200, After: 7200, Acquired: 0.5, Dumped: 0.5, MinShare: 0.01}
}

// JIT finds just-in-time voting power.
type JIT struct {
	name string
	cfg  JITConfig
}

// NewJIT returns a just-in-time power validator.
func NewJIT(name string, cfg JITConfig) (*JIT, error) {
	if cfg.Acquired <= 0 || cfg.Acquired > 1 || cfg.Dumped <= 0 || cfg.Dumped > 1 || cfg.Token.Dataset == "" {
		return nil, fmt.Errorf("%w: %s: acquired and dumped must be in (0, 1] and token.dataset set", validators.ErrConfig, name)
	}
	return &JIT{name: cmp.Or(name, JITKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (j *JIT) Name() string { return j.name }

// Codes implements validators.Validator.
func (j *JIT) Codes() []validators.CodeInfo { return jitCodes }

var jitCodes = []validators.CodeInfo{{Code: CodeJITPower, Severity: validators.Error, Action: validators.Keep,
	Summary: "Most of a vote's power was acquired shortly before the proposal's snapshot and moved out shortly after (flash loan, just-in-time buying or delegation)."},
	{Code: CodeWeightAbovePower, Severity: validators.Error, Action: validators.Quarantine,
		Summary: "With check_power, a vote weighs more than the voter's recorded power at the proposal's snapshot in the erc20 dataset (the last DelegateVotesChanged at or before it)."}}

// Validate implements validators.Validator.
func (j *JIT) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, tok, vc, err := runVoteContext(ctx, in, j.cfg.Votes, j.cfg.Proposals, j.cfg.Token)
	if err != nil || len(v.rows) == 0 {
		return nil, err
	}
	totals := map[[32]byte]float64{}
	for _, r := range v.rows {
		totals[v.proposal.Values[r]] += v.weight.Values[r]
	}
	var out []validators.Finding
	worst, unknown := 0.0, 0
	for i, r := range v.rows {
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		w, pid := v.weight.Values[r], v.proposal.Values[r]
		voteBlock, snap, id := uint64(v.block.Values[r]), vc.snap[r], vc.ids[r]
		if j.cfg.CheckPower && id >= 0 && w > 0 {
			if p := tok.powerAt(id, snap); w > p*(1+1e-9) {
				out = append(out, validators.Finding{Code: CodeWeightAbovePower, Severity: validators.Error, Validator: j.name, Rows: []int{r},
					Subject: "proposal:" + validators.WordString(pid), Value: w, Threshold: p,
					Message: fmt.Sprintf("voter %s voted with %.6g, above the power %.6g recorded at the snapshot %d", validators.HexAddress(v.voter.Values[r]), w, p, snap)})
			}
		}
		if w <= 0 || w < j.cfg.MinShare*totals[pid] {
			continue
		}
		if id < 0 {
			unknown++ // no token history for the voter: power cannot be judged
			continue
		}
		voter := v.voter.Values[r]
		start := snap - min(snap, j.cfg.Before)
		acquired := (w - tok.powerAt(id, start)) / w
		if acquired < j.cfg.Acquired {
			continue
		}
		low := tok.minPower(id, snap, max(snap, voteBlock)+j.cfg.After)
		dumped := (w - low) / (w * acquired)
		worst = max(worst, min(acquired, dumped))
		if dumped < j.cfg.Dumped {
			continue
		}
		out = append(out, validators.Finding{Code: CodeJITPower, Severity: validators.Error, Validator: j.name, Rows: []int{r},
			Subject: "proposal:" + validators.WordString(pid), Value: acquired, Threshold: j.cfg.Acquired,
			Message: fmt.Sprintf("voter %s voted with %.6g: %.0f%% of it acquired within %d blocks before the snapshot %d, and %.0f%% of that moved out within %d blocks after",
				validators.HexAddress(voter), w, 100*acquired, j.cfg.Before, snap, 100*dumped, j.cfg.After)})
	}
	if !slices.ContainsFunc(out, func(f validators.Finding) bool { return f.Code == CodeJITPower }) {
		out = append(out, validators.Pass(j.name, CodeJITPower, worst, j.cfg.Acquired,
			fmt.Sprintf("%d votes checked, %d without token history for the voter", len(v.rows)-unknown, unknown)))
	}
	return out, nil
}
