package gaming

import (
	"cmp"
	"context"
	"fmt"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeSybilCluster is the code of the sybil validator.
const CodeSybilCluster validators.Code = "gaming.sybil_cluster"

// SybilKind is the configuration kind of the sybil validator.
const SybilKind = "gaming.sybil_cluster"

// SybilConfig configures the sybil-cluster check: at least MinCluster
// fresh wallets, funded by the same address within FundingBurst blocks,
// voting the same way on the same proposal within VoteWindow.
type SybilConfig struct {
	Votes VoteColumns `yaml:"votes" json:"votes"`
	Token TokenSource `yaml:"token" json:"token"`
	// Fresh is how many blocks before its vote a wallet first appeared in
	// the token's history for it to count as fresh.
	Fresh        uint64              `yaml:"fresh" json:"fresh"`
	FundingBurst uint64              `yaml:"funding_burst" json:"funding_burst"`
	VoteWindow   validators.Duration `yaml:"vote_window" json:"vote_window"`
	MinCluster   int                 `yaml:"min_cluster" json:"min_cluster"`
}

// DefaultSybilConfig returns the defaults (50,400 blocks: about a week).
func DefaultSybilConfig() SybilConfig {
	return SybilConfig{Votes: DefaultVoteColumns(), Token: DefaultTokenSource(), Fresh: 50400, FundingBurst: 300,
		VoteWindow: validators.Duration(120e9), MinCluster: 10}
}

// Sybil finds clusters of fresh wallets voting alike.
type Sybil struct {
	name string
	cfg  SybilConfig
}

// NewSybil returns a sybil-cluster validator.
func NewSybil(name string, cfg SybilConfig) (*Sybil, error) {
	if cfg.MinCluster < 3 || cfg.VoteWindow <= 0 || cfg.Token.Dataset == "" {
		return nil, fmt.Errorf("%w: %s: min_cluster >= 3, vote_window and token.dataset are required", validators.ErrConfig, name)
	}
	return &Sybil{name: cmp.Or(name, SybilKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (s *Sybil) Name() string { return s.name }

// Codes implements validators.Validator.
func (s *Sybil) Codes() []validators.CodeInfo { return sybilCodes }

var sybilCodes = []validators.CodeInfo{{Code: CodeSybilCluster, Severity: validators.Error, Action: validators.Keep,
	Summary: "At least min_cluster fresh wallets funded by one address in a burst voted the same way on one proposal within vote_window."}}

type member struct {
	row     int
	fundAt  uint64
	votedAt int64
}

type clusterKey struct {
	proposal [32]byte
	funder   [20]byte
	support  string
}

// Validate implements validators.Validator.
func (s *Sybil) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := runVotes(in, s.cfg.Votes)
	if err != nil || len(v.rows) == 0 {
		return nil, err
	}
	sup, err := in.Table.Strings(s.cfg.Votes.Support)
	if err != nil {
		return nil, err
	}
	times, err := in.Table.Ints(s.cfg.Votes.Time)
	if err != nil {
		return nil, err
	}
	tok, err := loadTokens(ctx, in, s.cfg.Token)
	if err != nil {
		return nil, err
	}
	groups := map[clusterKey][]member{}
	for _, r := range v.rows {
		voter, block := v.voter.Values[r], uint64(v.block.Values[r])
		id, known := tok.lookup(voter)
		if !known || !tok.hasFunding[id] || tok.firstSeen[id] == 0 {
			continue
		}
		f, first := tok.firstIn[id], tok.firstSeen[id]-1
		if block < first || block-first > s.cfg.Fresh {
			continue
		}
		k := clusterKey{v.proposal.Values[r], f.from, sup.Values[r]}
		groups[k] = append(groups[k], member{row: r, fundAt: f.block, votedAt: times.Values[r]})
	}
	var out []validators.Finding
	biggest := 0
	for _, k := range sortedClusterKeys(groups) {
		rows := s.cluster(groups[k])
		biggest = max(biggest, len(rows))
		if len(rows) < s.cfg.MinCluster {
			continue
		}
		out = append(out, validators.Finding{Code: CodeSybilCluster, Severity: validators.Error, Validator: s.name, Rows: rows,
			Subject: "proposal:" + validators.WordString(k.proposal), Value: float64(len(rows)), Threshold: float64(s.cfg.MinCluster),
			Message: fmt.Sprintf("%d fresh wallets funded by %s within %d blocks voted %s within %s", len(rows), validators.HexAddress(k.funder), s.cfg.FundingBurst, k.support, s.cfg.VoteWindow.D())})
	}
	if len(out) == 0 {
		out = append(out, validators.Pass(s.name, CodeSybilCluster, float64(biggest), float64(s.cfg.MinCluster), fmt.Sprintf("%d votes checked", len(v.rows))))
	}
	return out, nil
}

// cluster returns the rows of the largest set of members voting within the
// vote window whose fundings lie within the burst around their median.
func (s *Sybil) cluster(ms []member) []int {
	if len(ms) < s.cfg.MinCluster {
		return nil
	}
	sort.Slice(ms, func(i, j int) bool {
		return ms[i].votedAt < ms[j].votedAt || ms[i].votedAt == ms[j].votedAt && ms[i].row < ms[j].row
	})
	win := s.cfg.VoteWindow.D().Microseconds()
	bestA, bestB := 0, 0
	for a, b := 0, 0; b < len(ms); b++ {
		for ms[b].votedAt-ms[a].votedAt > win {
			a++
		}
		if b-a > bestB-bestA {
			bestA, bestB = a, b
		}
	}
	sel := ms[bestA : bestB+1]
	funds := make([]uint64, len(sel))
	for i, m := range sel {
		funds[i] = m.fundAt
	}
	sort.Slice(funds, func(i, j int) bool { return funds[i] < funds[j] })
	med := funds[len(funds)/2]
	var rows []int
	for _, m := range sel {
		if absDiff(m.fundAt, med) <= s.cfg.FundingBurst {
			rows = append(rows, m.row)
		}
	}
	sort.Ints(rows)
	return rows
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

func sortedClusterKeys(m map[clusterKey][]member) []clusterKey {
	out := make([]clusterKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.proposal != b.proposal {
			return string(a.proposal[:]) < string(b.proposal[:])
		}
		if a.funder != b.funder {
			return string(a.funder[:]) < string(b.funder[:])
		}
		return a.support < b.support
	})
	return out
}
