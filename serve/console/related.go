package console

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// Related is a governance row's context: the voter's voting power history
// (DelegateVotesChanged events of the token's dataset) with the vote's
// block marked, and the votes on the proposal the row belongs to.
type Related struct {
	Voter    string      `json:"voter,omitempty"`
	Proposal string      `json:"proposal,omitempty"`
	Block    int64       `json:"block,omitempty"`
	Power    []PowerStep `json:"power"`
	// PowerDataset is where the power history comes from.
	PowerDataset string `json:"powerDataset,omitempty"`
	Votes        []Vote `json:"votes"`
}

// PowerStep is one change of a delegate's voting power.
type PowerStep struct {
	Block int64  `json:"block"`
	Votes string `json:"votes"`
}

// Vote is one vote on the proposal.
type Vote struct {
	Voter   string `json:"voter"`
	Support string `json:"support"`
	Weight  string `json:"weight"`
	Block   int64  `json:"block"`
}

// maxVotes bounds the votes listed with a governance row.
const maxVotes = 200

var (
	powerCols = []string{"event", "delegate", "new_votes", "block_number"}
	voteCols  = []string{"proposal_id", "voter", "support", "weight", "block_number"}
)

// related returns a governance row's context, or nil for other rows.
func (c *Console) related(ctx context.Context, e *store.QuarantineEntry) (*Related, error) {
	var vals map[string]any
	if err := json.Unmarshal(e.RowJSON, &vals); err != nil {
		return nil, nil
	}
	voter, proposal := strings.ToLower(str(vals["voter"])), str(vals["proposal_id"])
	if voter == "" && proposal == "" {
		return nil, nil
	}
	rel := &Related{Voter: voter, Proposal: proposal, Power: []PowerStep{}, Votes: []Vote{}}
	if b, ok := parseNum(str(vals["block_number"])); ok {
		rel.Block = int64(b)
	}
	ds, err := c.cfg.Store.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if !allowed(ctx, d.Name) {
			continue
		}
		if voter != "" && len(rel.Power) == 0 {
			rows, err := c.readRows(ctx, d.Name, powerCols, func(r map[string]string) bool {
				return r["event"] == "DelegateVotesChanged" && strings.EqualFold(r["delegate"], voter)
			})
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				b, _ := parseNum(r["block_number"])
				rel.Power = append(rel.Power, PowerStep{Block: int64(b), Votes: r["new_votes"]})
				rel.PowerDataset = d.Name
			}
		}
		if proposal != "" && len(rel.Votes) == 0 {
			rows, err := c.readRows(ctx, d.Name, voteCols, func(r map[string]string) bool { return r["proposal_id"] == proposal })
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				if len(rel.Votes) < maxVotes {
					b, _ := parseNum(r["block_number"])
					rel.Votes = append(rel.Votes, Vote{Voter: r["voter"], Support: r["support"], Weight: r["weight"], Block: int64(b)})
				}
			}
		}
	}
	sort.Slice(rel.Power, func(i, j int) bool { return rel.Power[i].Block < rel.Power[j].Block })
	sort.Slice(rel.Votes, func(i, j int) bool { return rel.Votes[i].Block < rel.Votes[j].Block })
	return rel, nil
}
