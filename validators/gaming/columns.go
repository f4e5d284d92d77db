package gaming

import (
	"context"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// VoteColumns name the columns of vote rows (defaults: the governor
// source's VoteCast dataset).
type VoteColumns struct {
	Where    validators.Where `yaml:"where" json:"where"`
	Proposal string           `yaml:"proposal" json:"proposal"`
	Voter    string           `yaml:"voter" json:"voter"`
	Support  string           `yaml:"support" json:"support"`
	Weight   string           `yaml:"weight" json:"weight"`
	Block    string           `yaml:"block" json:"block"`
	Time     string           `yaml:"time" json:"time"`
}

// DefaultVoteColumns returns the governor source's column names.
func DefaultVoteColumns() VoteColumns {
	return VoteColumns{Proposal: "proposal_id", Voter: "voter", Support: "support", Weight: "weight", Block: "block_number", Time: "block_time"}
}

// ProposalSource says where proposals are read from: a dataset ("" means
// the validated dataset itself, for exports that mix events) and its
// columns.
type ProposalSource struct {
	Dataset  string           `yaml:"dataset" json:"dataset"`
	Where    validators.Where `yaml:"where" json:"where"`
	ID       string           `yaml:"id" json:"id"`
	Snapshot string           `yaml:"snapshot" json:"snapshot"`
	Block    string           `yaml:"block" json:"block"`
	Targets  string           `yaml:"targets" json:"targets"`
}

// DefaultProposalSource returns the governor source's proposals dataset.
func DefaultProposalSource() ProposalSource {
	return ProposalSource{Dataset: "governor_proposals", ID: "proposal_id", Snapshot: "vote_start", Block: "block_number", Targets: "targets"}
}

// TokenSource names the ERC-20 events dataset and its columns.
type TokenSource struct {
	Dataset       string `yaml:"dataset" json:"dataset"`
	Event         string `yaml:"event" json:"event"`
	Block         string `yaml:"block" json:"block"`
	Log           string `yaml:"log" json:"log"`
	From          string `yaml:"from" json:"from"`
	To            string `yaml:"to" json:"to"`
	Delegator     string `yaml:"delegator" json:"delegator"`
	ToDelegate    string `yaml:"to_delegate" json:"to_delegate"`
	Delegate      string `yaml:"delegate" json:"delegate"`
	NewVotes      string `yaml:"new_votes" json:"new_votes"`
	FromDelegate  string `yaml:"from_delegate" json:"from_delegate"`
	PreviousVotes string `yaml:"previous_votes" json:"previous_votes"`
}

// DefaultTokenSource returns the erc20 source's dataset.
func DefaultTokenSource() TokenSource {
	return TokenSource{Dataset: "erc20_events", Event: "event", Block: "block_number", Log: "log_index", From: "from_address", To: "to_address",
		Delegator: "delegator", ToDelegate: "to_delegate", Delegate: "delegate", NewVotes: "new_votes",
		FromDelegate: "from_delegate", PreviousVotes: "previous_votes"}
}

// votes is the decoded vote rows of a run.
type votes struct {
	rows     []int
	proposal *validators.Col[[32]byte]
	voter    *validators.Col[[20]byte]
	weight   *validators.Col[float64]
	block    *validators.Col[int64]
}

// loadVotes decodes the vote rows Where selects; only the columns the
// caller needs are required (support and time are decoded on demand).
func loadVotes(t *validators.Table, c VoteColumns) (*votes, error) {
	if err := c.Where.Check(t); err != nil {
		return nil, err
	}
	rows, err := c.Where.Rows(t)
	if err != nil {
		return nil, err
	}
	v := &votes{}
	if v.proposal, err = t.Words(c.Proposal); err != nil {
		return nil, err
	}
	if v.voter, err = t.Addresses(c.Voter); err != nil {
		return nil, err
	}
	if v.weight, err = t.Floats(c.Weight); err != nil {
		return nil, err
	}
	if v.block, err = t.Ints(c.Block); err != nil {
		return nil, err
	}
	v.rows = rows[:0] // filtered in place: rows is ours
	for _, r := range rows {
		if v.proposal.Valid(r) && v.voter.Valid(r) && v.weight.Valid(r) && v.block.Valid(r) {
			v.rows = append(v.rows, r)
		}
	}
	return v, nil
}

// runVotes is loadVotes of the run's rows, shared by the validators of a run.
func runVotes(in *validators.Input, c VoteColumns) (*votes, error) {
	v, err := in.Memo(fmt.Sprintf("gaming.votes/%+v", c), func() (any, func(), error) {
		v, err := loadVotes(in.Table, c)
		return v, nil, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*votes), nil
}

// voteContext holds, per run vote row, the voter's id in the token index
// (-1 when unknown) and the proposal's snapshot block (the vote's block
// when the proposal is unknown or has none).
type voteContext struct {
	ids  []int32
	snap []uint64
}

// runVoteContext is shared by the validators of a run.
func runVoteContext(ctx context.Context, in *validators.Input, c VoteColumns, ps ProposalSource, ts TokenSource) (*votes, *tokenIndex, *voteContext, error) {
	v, err := runVotes(in, c)
	if err != nil || len(v.rows) == 0 {
		return v, nil, nil, err
	}
	tok, err := loadTokens(ctx, in, ts)
	if err != nil {
		return nil, nil, nil, err
	}
	vc, err := in.Memo(fmt.Sprintf("gaming.votecontext/%+v/%+v/%+v", c, ps, ts), func() (any, func(), error) {
		props, err := loadProposals(ctx, in, ps)
		if err != nil {
			return nil, nil, err
		}
		out := &voteContext{ids: make([]int32, in.Rows()), snap: make([]uint64, in.Rows())}
		for _, r := range v.rows {
			out.ids[r] = -1
			if id, ok := tok.lookup(v.voter.Values[r]); ok {
				out.ids[r] = id
			}
			out.snap[r] = uint64(v.block.Values[r])
			if p, ok := props[v.proposal.Values[r]]; ok && p.snapshot > 0 {
				out.snap[r] = p.snapshot
			}
		}
		return out, nil, nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return v, tok, vc.(*voteContext), nil
}

// proposalInfo is what the gaming checks need of a proposal.
type proposalInfo struct {
	snapshot, block uint64
	targets         string
}

// loadProposals reads proposals from the run (when the source is the
// validated dataset) and from history.
func loadProposals(ctx context.Context, in *validators.Input, src ProposalSource) (map[[32]byte]proposalInfo, error) {
	out := map[[32]byte]proposalInfo{}
	ds := src.Dataset
	if ds == "" || ds == in.Dataset {
		ds = in.Dataset
		if err := addProposals(in.Table, src, out); err != nil {
			return nil, err
		}
	}
	t, err := validators.HistoryTable(ctx, in, ds, 0)
	if err != nil {
		return nil, fmt.Errorf("proposals %s: %w", ds, err)
	}
	if t != nil {
		if err := addProposals(t, src, out); err != nil {
			return nil, fmt.Errorf("proposals %s: %w", ds, err)
		}
	}
	return out, nil
}

func addProposals(t *validators.Table, src ProposalSource, out map[[32]byte]proposalInfo) error {
	rows, err := src.Where.Rows(t)
	if err != nil {
		return err
	}
	ids, err := t.Words(src.ID)
	if err != nil {
		return err
	}
	snap, err := t.Ints(src.Snapshot)
	if err != nil {
		return err
	}
	blk, err := t.Ints(src.Block)
	if err != nil {
		return err
	}
	var targets *validators.Col[string]
	if t.Has(src.Targets) {
		if targets, err = t.Strings(src.Targets); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if !ids.Valid(r) {
			continue
		}
		p := proposalInfo{snapshot: uint64(snap.Values[r]), block: uint64(blk.Values[r])}
		if !snap.Valid(r) {
			p.snapshot = p.block
		}
		if targets != nil && targets.Valid(r) {
			p.targets = targets.Values[r]
		}
		if _, dup := out[ids.Values[r]]; !dup {
			out[ids.Values[r]] = p
		}
	}
	return nil
}
