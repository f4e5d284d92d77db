package gaming

import (
	"cmp"
	"context"
	"fmt"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeDelegationSpike is the code of the delegation-spike validator.
const CodeDelegationSpike validators.Code = "gaming.delegation_spike"

// DelegationKind is the configuration kind of the delegation-spike validator.
const DelegationKind = "gaming.delegation_spike"

// DelegationConfig configures the delegation-spike check: many wallets
// delegating to one voter within a few blocks shortly before a proposal's
// snapshot, far above that delegate's usual rate.
type DelegationConfig struct {
	Votes     VoteColumns    `yaml:"votes" json:"votes"`
	Proposals ProposalSource `yaml:"proposals" json:"proposals"`
	Token     TokenSource    `yaml:"token" json:"token"`
	// Window is the span (blocks) delegations are counted over; Lookback
	// how far before the snapshot a window may start; Baseline how many
	// blocks before that give the delegate's usual rate.
	Window   uint64 `yaml:"window" json:"window"`
	Lookback uint64 `yaml:"lookback" json:"lookback"`
	Baseline uint64 `yaml:"baseline" json:"baseline"`
	// MinDelegators is the smallest spike reported; Ratio how many times
	// the usual rate per window it must be.
	MinDelegators int     `yaml:"min_delegators" json:"min_delegators"`
	Ratio         float64 `yaml:"ratio" json:"ratio"`
}

// DefaultDelegationConfig returns the defaults.
func DefaultDelegationConfig() DelegationConfig {
	return DelegationConfig{Votes: DefaultVoteColumns(), Proposals: DefaultProposalSource(), Token: DefaultTokenSource(),
		Window: 50, Lookback: 7200, Baseline: 201600, MinDelegators: 20, Ratio: 10}
}

// Delegation finds delegation spikes before votes.
type Delegation struct {
	name string
	cfg  DelegationConfig
}

// NewDelegation returns a delegation-spike validator.
func NewDelegation(name string, cfg DelegationConfig) (*Delegation, error) {
	if cfg.Window == 0 || cfg.MinDelegators < 2 || cfg.Ratio <= 0 || cfg.Token.Dataset == "" {
		return nil, fmt.Errorf("%w: %s: window, min_delegators >= 2, ratio and token.dataset are required", validators.ErrConfig, name)
	}
	return &Delegation{name: cmp.Or(name, DelegationKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (d *Delegation) Name() string { return d.name }

// Codes implements validators.Validator.
func (d *Delegation) Codes() []validators.CodeInfo { return delegationCodes }

var delegationCodes = []validators.CodeInfo{{Code: CodeDelegationSpike, Severity: validators.Error, Action: validators.Keep,
	Summary: "At least min_delegators wallets delegated to the voter within window blocks shortly before the snapshot, ratio times its usual rate."}}

// Validate implements validators.Validator.
func (d *Delegation) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, tok, vc, err := runVoteContext(ctx, in, d.cfg.Votes, d.cfg.Proposals, d.cfg.Token)
	if err != nil || len(v.rows) == 0 {
		return nil, err
	}
	var out []validators.Finding
	worst := 0
	for _, r := range v.rows {
		voter, pid := v.voter.Values[r], v.proposal.Values[r]
		id := vc.ids[r]
		if id < 0 || len(tok.delegations[id]) < d.cfg.MinDelegators {
			continue
		}
		blocks, snap := tok.delegations[id], vc.snap[r]
		peak, at, usual := d.spike(blocks, snap)
		worst = max(worst, peak)
		if peak < d.cfg.MinDelegators || float64(peak) < d.cfg.Ratio*max(usual, 1) {
			continue
		}
		out = append(out, validators.Finding{Code: CodeDelegationSpike, Severity: validators.Error, Validator: d.name, Rows: []int{r},
			Subject: "proposal:" + validators.WordString(pid), Value: float64(peak), Threshold: float64(d.cfg.MinDelegators),
			Message: fmt.Sprintf("%d wallets delegated to voter %s within %d blocks from block %d, before the snapshot %d (usual rate %.2f per window)",
				peak, validators.HexAddress(voter), d.cfg.Window, at, snap, usual)})
	}
	if len(out) == 0 {
		out = append(out, validators.Pass(d.name, CodeDelegationSpike, float64(worst), float64(d.cfg.MinDelegators), fmt.Sprintf("%d votes checked", len(v.rows))))
	}
	return out, nil
}

// spike returns the most delegations inside one window in the lookback
// before snap, where that window starts, and the usual count per window.
func (d *Delegation) spike(blocks []uint64, snap uint64) (peak int, at uint64, usual float64) {
	lo := snap - min(snap, d.cfg.Lookback)
	i := sort.Search(len(blocks), func(i int) bool { return blocks[i] >= lo })
	end := sort.Search(len(blocks), func(i int) bool { return blocks[i] > snap })
	for a, b := i, i; b < end; b++ {
		for blocks[b]-blocks[a] >= d.cfg.Window {
			a++
		}
		if b-a+1 > peak {
			peak, at = b-a+1, blocks[a]
		}
	}
	base := lo - min(lo, d.cfg.Baseline)
	j := sort.Search(len(blocks), func(k int) bool { return blocks[k] >= base })
	if span := lo - base; span > 0 {
		usual = float64(i-j) * float64(d.cfg.Window) / float64(span)
	}
	return peak, at, usual
}
