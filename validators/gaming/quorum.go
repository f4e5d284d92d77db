package gaming

import (
	"context"
	"fmt"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeFewVoterQuorum is the code of the quorum validator.
const CodeFewVoterQuorum validators.Code = "gaming.few_voter_quorum"

// QuorumKind is the configuration kind of the quorum validator.
const QuorumKind = "gaming.few_voter_quorum"

// QuorumConfig configures the few-voter quorum check.
type QuorumConfig struct {
	Votes VoteColumns `yaml:"votes" json:"votes"`
	// For lists the support values counted for the proposal ("1", "true").
	For []string `yaml:"for" json:"for"`
	// Quorum is the smallest total for that passes, in raw weight units.
	Quorum float64 `yaml:"quorum" json:"quorum" config:"required"`
	// MaxVoters: a quorum reached by this many voters or fewer is reported.
	MaxVoters int `yaml:"max_voters" json:"max_voters"`
	// HistoryRows bounds the history of the votes read (0: all of it).
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
}

// DefaultQuorumConfig returns the defaults.
func DefaultQuorumConfig() QuorumConfig {
	return QuorumConfig{Votes: DefaultVoteColumns(), For: []string{"1"}, MaxVoters: 2}
}

// Quorum finds proposals whose quorum a handful of voters carried.
type Quorum struct {
	name string
	cfg  QuorumConfig
}

// NewQuorum returns a few-voter quorum validator.
func NewQuorum(name string, cfg QuorumConfig) (*Quorum, error) {
	if cfg.Quorum <= 0 || cfg.MaxVoters < 1 || len(cfg.For) == 0 {
		return nil, fmt.Errorf("%w: %s: quorum, max_voters >= 1 and for are required", validators.ErrConfig, name)
	}
	return &Quorum{name: or(name, QuorumKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (q *Quorum) Name() string { return q.name }

// Codes implements validators.Validator.
func (q *Quorum) Codes() []validators.CodeInfo { return quorumCodes }

var quorumCodes = []validators.CodeInfo{{Code: CodeFewVoterQuorum, Severity: validators.Warn, Action: validators.Keep,
	Summary: "The votes for a proposal reach the quorum with max_voters voters or fewer (the largest for votes are referenced)."}}

type ballot struct {
	row    int // -1: history
	voter  [20]byte
	weight float64
}

// Validate implements validators.Validator.
func (q *Quorum) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	byProp := map[[32]byte][]ballot{}
	if err := q.collect(in.Table, false, byProp, nil); err != nil || len(byProp) == 0 {
		return nil, err
	}
	hist, release, err := validators.LoadHistory(ctx, in.History, in.Dataset, uint64(q.cfg.HistoryRows))
	if err != nil {
		return nil, err
	}
	defer release()
	if hist != nil {
		if err := q.collect(hist, true, byProp, byProp); err != nil {
			return nil, err
		}
	}
	ids := make([][32]byte, 0, len(byProp))
	for id := range byProp {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return string(ids[i][:]) < string(ids[j][:]) })
	var out []validators.Finding
	for _, id := range ids {
		if f := q.check(id, byProp[id]); f != nil {
			out = append(out, *f)
		}
	}
	if len(out) == 0 {
		out = append(out, validators.Pass(q.name, CodeFewVoterQuorum, 0, float64(q.cfg.MaxVoters), fmt.Sprintf("%d proposals checked", len(ids))))
	}
	return out, nil
}

// collect adds the for votes of t; for history only proposals already in
// only are added.
func (q *Quorum) collect(t *validators.Table, hist bool, out, only map[[32]byte][]ballot) error {
	v, err := loadVotes(t, q.cfg.Votes)
	if err != nil {
		return err
	}
	sup, err := t.Strings(q.cfg.Votes.Support)
	if err != nil {
		return err
	}
	isFor := map[string]bool{}
	for _, f := range q.cfg.For {
		isFor[f] = true
	}
	for _, r := range v.rows {
		pid := v.proposal.Values[r]
		if only != nil && only[pid] == nil {
			continue
		}
		b := ballot{row: r, voter: v.voter.Values[r], weight: v.weight.Values[r]}
		if hist {
			b.row = -1
		}
		if !isFor[sup.Values[r]] {
			b.weight = 0
		}
		out[pid] = append(out[pid], b)
	}
	return nil
}

func (q *Quorum) check(id [32]byte, bs []ballot) *validators.Finding {
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].weight > bs[j].weight })
	sum := 0.0
	for k, b := range bs {
		if b.weight <= 0 {
			return nil
		}
		sum += b.weight
		if sum < q.cfg.Quorum {
			continue
		}
		if k+1 > q.cfg.MaxVoters {
			return nil
		}
		var rows []int
		var who []string
		for _, t := range bs[:k+1] {
			who = append(who, fmt.Sprintf("%s (%.4g)", validators.HexAddress(t.voter), t.weight))
			if t.row >= 0 {
				rows = append(rows, t.row)
			}
		}
		sort.Ints(rows)
		return &validators.Finding{Code: CodeFewVoterQuorum, Severity: validators.Warn, Validator: q.name, Rows: rows,
			Subject: "proposal:" + validators.WordString(id), Value: float64(k + 1), Threshold: float64(q.cfg.MaxVoters),
			Message: fmt.Sprintf("quorum %.4g reached by %d voter(s): %v", q.cfg.Quorum, k+1, who)}
	}
	return nil
}
