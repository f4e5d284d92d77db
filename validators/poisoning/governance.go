package poisoning

import (
	"cmp"
	"context"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the governance consistency validator.
const (
	CodeVoteOutsideWindow validators.Code = "poisoning.vote_outside_window"
	CodeVoteAfterCancel   validators.Code = "poisoning.vote_after_cancel"
	CodeDuplicateVote     validators.Code = "poisoning.duplicate_vote"
	CodeWeightAboveSupply validators.Code = "poisoning.weight_above_supply"
	CodeBadAddress        validators.Code = "poisoning.bad_address"
)

// GovernanceKind is the configuration kind of the governance consistency
// validator.
const GovernanceKind = "poisoning.governance"

// GovernanceConfig configures the consistency checks of governance events
// (one dataset holding proposals and votes, as governor exports do).
type GovernanceConfig struct {
	// GroupBy names the column that separates governors in one dataset
	// (contract_address): proposal ids, windows and votes are per group.
	GroupBy string `yaml:"group_by" json:"group_by"`
	// Votes selects the vote rows (empty: every row is a vote, as in the
	// chain governor source's votes table); Proposal, Voter, Weight and
	// Block are their columns.
	Votes    validators.Where `yaml:"votes" json:"votes"`
	Proposal string           `yaml:"proposal" json:"proposal"`
	Voter    string           `yaml:"voter" json:"voter"`
	Weight   string           `yaml:"weight" json:"weight"`
	Block    string           `yaml:"block" json:"block"`
	// Created selects the proposal rows; ID, Start and End are their id and
	// voting window (blocks: a vote is valid when start < block <= end, as
	// GovernorBravo, Aave v2 and OpenZeppelin Governor count).
	Created validators.Where `yaml:"created" json:"created"`
	ID      string           `yaml:"id" json:"id"`
	Start   string           `yaml:"start" json:"start"`
	End     string           `yaml:"end" json:"end"`
	// Cancelled selects the cancellation rows (their id column is ID).
	Cancelled validators.Where `yaml:"cancelled" json:"cancelled"`
	// ProposalsDataset, when set, is the dataset holding the proposals
	// (the chain governor source's proposals table): Created, ID, Start,
	// End and Cancelled then refer to its sealed rows (Created empty: all
	// of them), and GroupBy must name a column of both.
	ProposalsDataset string `yaml:"proposals_dataset" json:"proposals_dataset"`
	// TotalSupply is the token's total supply in the weight's raw units
	// (0: not checked): no vote can weigh more.
	TotalSupply float64 `yaml:"total_supply" json:"total_supply"`
	// Addresses are string columns whose values must be addresses, or
	// list literals of addresses ("['0x..', '0x..']"): 0x and 40 hex
	// digits, mixed case only with a valid EIP-55 checksum.
	Addresses []string `yaml:"addresses" json:"addresses"`
	// HistoryRows is how many sealed rows are read for proposals and
	// earlier votes (0: all).
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
}

// DefaultGovernanceConfig returns the defaults: GovernorBravo and Aave v2
// event names and the column names of the examples.
func DefaultGovernanceConfig() GovernanceConfig {
	return GovernanceConfig{
		Votes:    validators.Where{Column: "event_name", In: []string{"VoteCast", "VoteEmitted"}},
		Proposal: "proposal_id", Voter: "voter", Weight: "votes", Block: "block_number",
		Created: validators.Where{Column: "event_name", In: []string{"ProposalCreated"}},
		ID:      "id", Start: "start_block", End: "end_block",
		Cancelled: validators.Where{Column: "event_name", In: []string{"ProposalCanceled"}},
	}
}

// Validate checks the configuration.
func (c *GovernanceConfig) Validate() error {
	switch {
	case c.Created.IsZero() && c.ProposalsDataset == "":
		return fmt.Errorf("created must select the proposal rows (it may be empty only with proposals_dataset)")
	case c.Proposal == "" || c.Voter == "" || c.Block == "" || c.ID == "":
		return fmt.Errorf("proposal, voter, block and id are required")
	case c.TotalSupply < 0:
		return fmt.Errorf("total_supply must not be negative, got %g", c.TotalSupply)
	case c.HistoryRows < 0:
		return fmt.Errorf("history_rows must not be negative")
	}
	return nil
}

// Governance checks that votes fit their proposals: inside the voting
// window, not after a cancellation, one per voter and proposal, no heavier
// than the supply; and that address columns hold addresses.
type Governance struct {
	name string
	cfg  GovernanceConfig
}

// NewGovernance returns a governance consistency validator.
func NewGovernance(name string, cfg GovernanceConfig) (*Governance, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", validators.ErrConfig, name, err)
	}
	return &Governance{name: cmp.Or(name, GovernanceKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (g *Governance) Name() string { return g.name }

// Codes implements validators.Validator.
func (g *Governance) Codes() []validators.CodeInfo { return governanceCodes }

var governanceCodes = []validators.CodeInfo{
	{Code: CodeVoteOutsideWindow, Severity: validators.Error, Action: validators.Quarantine, Summary: "A vote's block is not inside its proposal's voting window (start < block <= end): the governor would have rejected it."},
	{Code: CodeVoteAfterCancel, Severity: validators.Error, Action: validators.Quarantine, Summary: "A vote was cast after its proposal was cancelled: the governor would have rejected it."},
	{Code: CodeDuplicateVote, Severity: validators.Error, Action: validators.Quarantine, Summary: "A voter voted twice on one proposal (of one group): the governor counts one vote; the later row is referenced."},
	{Code: CodeWeightAboveSupply, Severity: validators.Error, Action: validators.Quarantine, Summary: "A vote weighs more than the token's total supply."},
	{Code: CodeBadAddress, Severity: validators.Error, Action: validators.Quarantine, Summary: "A string column that must hold addresses holds a malformed one (not 0x and 40 hex digits) or a mixed-case one whose EIP-55 checksum fails."},
}

// Validate implements validators.Validator.
func (g *Governance) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Rows() == 0 {
		return nil, nil
	}
	st, c, run, err := g.load(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := g.checkVotes(in.Table, st, c, run)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", validators.ErrConfig, g.name, err)
	}
	bad, err := g.checkAddresses(in.Table)
	if err != nil {
		return nil, err
	}
	out = append(out, bad...)
	return append(sortByRow(out), g.passes(out)...), nil
}

func (g *Governance) passes(out []validators.Finding) []validators.Finding {
	failed := map[validators.Code]bool{}
	for _, f := range out {
		failed[f.Code] = true
	}
	var ps []validators.Finding
	for _, c := range governanceCodes {
		if failed[c.Code] || (c.Code == CodeWeightAboveSupply && g.cfg.TotalSupply == 0) || (c.Code == CodeBadAddress && len(g.cfg.Addresses) == 0) {
			continue
		}
		ps = append(ps, validators.Pass(g.name, c.Code, 0, 0, "no row found"))
	}
	return ps
}

func (g *Governance) finding(code validators.Code, row int, subject string, v, thr float64, msg string) validators.Finding {
	return validators.Finding{Code: code, Severity: validators.Error, Validator: g.name, Rows: []int{row}, Subject: subject, Value: v, Threshold: thr, Message: msg}
}
