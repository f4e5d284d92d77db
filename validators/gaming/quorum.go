package gaming

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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
	// GroupBy names a column that separates governors in one dataset
	// (contract_address): proposal ids are per group.
	GroupBy string `yaml:"group_by" json:"group_by"`
}

// qkey names a proposal of one group.
type qkey struct {
	group string
	id    [32]byte
}

func (k qkey) subject() string {
	if k.group == "" {
		return "proposal:" + validators.WordString(k.id)
	}
	return k.group + "/proposal:" + validators.WordString(k.id)
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
	return &Quorum{name: cmp.Or(name, QuorumKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (q *Quorum) Name() string { return q.name }

// Codes implements validators.Validator.
func (q *Quorum) Codes() []validators.CodeInfo { return quorumCodes }

var quorumCodes = []validators.CodeInfo{{Code: CodeFewVoterQuorum, Severity: validators.Warn, Action: validators.Keep,
	Summary: "The votes for a proposal reach the quorum with max_voters voters or fewer (the largest for votes are referenced)."}}

// ballot is a for vote: 16 bytes, the voter being read from the run's
// rows (row >= 0) or from the history voters (row = -1 - index).
type ballot struct {
	prop   int32 // index into the proposals of the run
	row    int32
	weight float64
}

// voters resolves the voter of a ballot.
type voters struct {
	run  *votes
	hist [][20]byte
}

func (vs *voters) of(b ballot) [20]byte {
	if b.row >= 0 {
		return vs.run.voter.Values[b.row]
	}
	return vs.hist[-1-b.row]
}

// Validate implements validators.Validator.
func (q *Quorum) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := runVotes(in, q.cfg.Votes)
	if err != nil || len(v.rows) == 0 {
		return nil, err
	}
	props := map[qkey]int32{}
	var ids []qkey
	bs := make([]ballot, 0, len(v.rows))
	who := &voters{run: v}
	if bs, err = q.collect(in.Table, v, nil, props, &ids, bs); err != nil {
		return nil, err
	}
	// The history streams one batch at a time: only the for votes of the
	// run's proposals (16-byte ballots and their voters) are kept, and a
	// batch none of whose rows names a proposal of the run is skipped after
	// its proposal column (the first batch is read whole, so a column the
	// schema lacks is still an error).
	runIDs := make(map[[32]byte]bool, len(ids))
	for _, k := range ids {
		runIDs[k.id] = true
	}
	first := true
	err = validators.ScanHistory(ctx, in.History, in.Dataset, uint64(max(q.cfg.HistoryRows, 0)), func(hist *validators.Table) error {
		if !first {
			if hit, err := validators.AnyWord(hist, q.cfg.Votes.Proposal, runIDs); err != nil || !hit {
				return err
			}
		}
		first = false
		hv, err := loadVotes(hist, q.cfg.Votes)
		if err != nil {
			return err
		}
		bs, err = q.collect(hist, hv, who, props, &ids, bs)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(bs, func(a, b ballot) int {
		if a.prop != b.prop {
			return cmp.Compare(a.prop, b.prop)
		}
		return cmp.Compare(b.weight, a.weight)
	})
	type found struct {
		id qkey
		f  validators.Finding
	}
	var fs []found
	for i := 0; i < len(bs); {
		j := i
		for j < len(bs) && bs[j].prop == bs[i].prop {
			j++
		}
		if f := q.check(ids[bs[i].prop], bs[i:j], who); f != nil {
			fs = append(fs, found{ids[bs[i].prop], *f})
		}
		i = j
	}
	sort.Slice(fs, func(a, b int) bool {
		if fs[a].id.group != fs[b].id.group {
			return fs[a].id.group < fs[b].id.group
		}
		return string(fs[a].id.id[:]) < string(fs[b].id.id[:])
	})
	var out []validators.Finding
	for _, f := range fs {
		out = append(out, f.f)
	}
	if len(out) == 0 {
		out = append(out, validators.Pass(q.name, CodeFewVoterQuorum, 0, float64(q.cfg.MaxVoters), fmt.Sprintf("%d proposals checked", len(ids))))
	}
	return out, nil
}

// collect appends the for votes of t; history votes (hist set: their
// voters are added to it) only count for the proposals of the run.
func (q *Quorum) collect(t *validators.Table, v *votes, hist *voters, props map[qkey]int32, ids *[]qkey, bs []ballot) ([]ballot, error) {
	sup, err := t.Strings(q.cfg.Votes.Support)
	if err != nil {
		return nil, err
	}
	var group *validators.Col[string]
	if q.cfg.GroupBy != "" {
		if group, err = t.Strings(q.cfg.GroupBy); err != nil {
			return nil, err
		}
	}
	isFor := map[string]bool{}
	for _, f := range q.cfg.For {
		isFor[f] = true
	}
	for _, r := range v.rows {
		if !isFor[sup.Values[r]] || v.weight.Values[r] <= 0 {
			continue
		}
		pid := qkey{id: v.proposal.Values[r]}
		if group != nil {
			pid.group = group.Values[r]
		}
		p, ok := props[pid]
		if !ok {
			if hist != nil {
				continue
			}
			p = int32(len(*ids))
			props[pid] = p
			*ids = append(*ids, pid)
		}
		b := ballot{prop: p, row: int32(r), weight: v.weight.Values[r]}
		if hist != nil {
			b.row = int32(-1 - len(hist.hist))
			hist.hist = append(hist.hist, v.voter.Values[r])
		}
		bs = append(bs, b)
	}
	return bs, nil
}

func (q *Quorum) check(id qkey, bs []ballot, vs *voters) *validators.Finding {
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
			who = append(who, fmt.Sprintf("%s (%.4g)", validators.HexAddress(vs.of(t)), t.weight))
			if t.row >= 0 {
				rows = append(rows, int(t.row))
			}
		}
		sort.Ints(rows)
		return &validators.Finding{Code: CodeFewVoterQuorum, Severity: validators.Warn, Validator: q.name, Rows: rows,
			Subject: id.subject(), Value: float64(k + 1), Threshold: float64(q.cfg.MaxVoters),
			Message: fmt.Sprintf("quorum %.4g reached by %d voter(s): %v", q.cfg.Quorum, k+1, who)}
	}
	return nil
}
