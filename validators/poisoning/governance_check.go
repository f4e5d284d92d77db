package poisoning

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// propKey names a proposal of one group.
type propKey struct {
	group string
	id    [32]byte
}

// proposal is what the dataset says about a proposal.
type proposal struct {
	start, end int64
	window     bool
	cancelled  int64 // block of the cancellation, -1 when none
}

// voteKey names one voter's vote on a proposal.
type voteKey struct {
	p     propKey
	voter string
}

// govState is the proposals and earlier votes of history and run.
type govState struct {
	props map[propKey]*proposal
	voted map[voteKey]bool
}

// load reads proposals and votes from history and proposals from the run
// (or from the proposals dataset).
func (g *Governance) load(ctx context.Context, in *validators.Input) (*govState, error) {
	st := &govState{props: map[propKey]*proposal{}, voted: map[voteKey]bool{}}
	hist, err := validators.HistoryTable(ctx, in, in.Dataset, uint64(g.cfg.HistoryRows))
	if err != nil {
		return nil, err
	}
	if hist != nil {
		if g.cfg.ProposalsDataset == "" {
			if err := g.addProposals(hist, st); err != nil {
				return nil, err
			}
		}
		rows, err := g.voteRows(hist)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			st.voted[g.voteKey(hist, r)] = true
		}
	}
	src := in.Table
	if g.cfg.ProposalsDataset != "" {
		if src, err = validators.HistoryTable(ctx, in, g.cfg.ProposalsDataset, 0); err != nil || src == nil {
			return st, err
		}
	}
	if err := g.addProposals(src, st); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", validators.ErrConfig, g.name, err)
	}
	return st, nil
}

// selectRows returns the rows w selects; a zero Where selects all.
func selectRows(t *validators.Table, w validators.Where) ([]int, error) {
	return w.Rows(t)
}

func (g *Governance) group(t *validators.Table, row int) string {
	if g.cfg.GroupBy == "" {
		return ""
	}
	return t.Value(row, g.cfg.GroupBy)
}

// addProposals records the created and cancelled rows of t.
func (g *Governance) addProposals(t *validators.Table, st *govState) error {
	rows, err := selectRows(t, g.cfg.Created)
	if err != nil {
		return err
	}
	ids, err := t.Words(g.cfg.ID)
	if err != nil {
		return err
	}
	var start, end *validators.Col[int64]
	if g.cfg.Start != "" && g.cfg.End != "" {
		if start, err = t.Ints(g.cfg.Start); err != nil {
			return err
		}
		if end, err = t.Ints(g.cfg.End); err != nil {
			return err
		}
	}
	get := func(r int) *proposal {
		k := propKey{g.group(t, r), ids.Values[r]}
		p := st.props[k]
		if p == nil {
			p = &proposal{cancelled: -1}
			st.props[k] = p
		}
		return p
	}
	for _, r := range rows {
		if !ids.Valid(r) {
			continue
		}
		p := get(r)
		if start != nil && start.Valid(r) && end.Valid(r) {
			p.start, p.end, p.window = start.Values[r], end.Values[r], true
		}
	}
	if g.cfg.Cancelled.IsZero() {
		return nil
	}
	blocks, err := t.Ints(g.cfg.Block)
	if err != nil {
		return err
	}
	crows, err := g.cfg.Cancelled.Rows(t)
	if err != nil {
		return err
	}
	for _, r := range crows {
		if ids.Valid(r) && blocks.Valid(r) {
			if p := get(r); p.cancelled < 0 || blocks.Values[r] < p.cancelled {
				p.cancelled = blocks.Values[r]
			}
		}
	}
	return nil
}

// voteRow is one vote in block order.
type voteRow struct {
	row      int
	id       [32]byte
	blk      int64
	hasBlock bool
}

// voteRows returns the vote rows of t with a proposal id, in block order.
func (g *Governance) voteRows(t *validators.Table) ([]voteRow, error) {
	rows, err := g.cfg.Votes.Rows(t)
	if err != nil {
		return nil, err
	}
	ids, err := t.Words(g.cfg.Proposal)
	if err != nil {
		return nil, err
	}
	blocks, err := t.Ints(g.cfg.Block)
	if err != nil {
		return nil, err
	}
	out := make([]voteRow, 0, len(rows))
	for _, r := range rows {
		if ids.Valid(r) {
			out = append(out, voteRow{row: r, id: ids.Values[r], blk: blocks.Values[r], hasBlock: blocks.Valid(r)})
		}
	}
	slices.SortStableFunc(out, func(a, b voteRow) int {
		if a.blk != b.blk {
			return cmpInt(a.blk, b.blk)
		}
		return a.row - b.row
	})
	return out, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (g *Governance) voteKey(t *validators.Table, v voteRow) voteKey {
	return voteKey{propKey{g.group(t, v.row), v.id}, strings.ToLower(t.Value(v.row, g.cfg.Voter))}
}

// subject names a vote's proposal with its group.
func (g *Governance) subject(t *validators.Table, row int) string {
	id := t.Value(row, g.cfg.Proposal)
	if g.cfg.GroupBy == "" {
		return "proposal " + id
	}
	return t.Value(row, g.cfg.GroupBy) + "/proposal " + id
}

// checkVotes checks the run's votes against the proposals and earlier votes.
func (g *Governance) checkVotes(t *validators.Table, st *govState) []validators.Finding {
	var out []validators.Finding
	votes, err := g.voteRows(t)
	if err != nil {
		return nil // load decoded the same columns; cannot fail here
	}
	var weights *validators.Col[float64]
	if g.cfg.TotalSupply > 0 && g.cfg.Weight != "" {
		weights, _ = t.Floats(g.cfg.Weight)
	}
	for _, v := range votes {
		k := g.voteKey(t, v)
		subj := func() string { return g.subject(t, v.row) }
		if st.voted[k] {
			out = append(out, g.finding(CodeDuplicateVote, v.row, subj(), 2, 1, fmt.Sprintf("%s voted again on %s (block %d)", k.voter, subj(), v.blk)))
		}
		st.voted[k] = true
		if p := st.props[k.p]; p != nil && v.hasBlock {
			if p.window && (v.blk <= p.start || v.blk > p.end) {
				out = append(out, g.finding(CodeVoteOutsideWindow, v.row, subj(), float64(v.blk), float64(p.end),
					fmt.Sprintf("vote by %s at block %d is outside the voting window of %s (blocks %d < b <= %d)", k.voter, v.blk, subj(), p.start, p.end)))
			}
			if p.cancelled >= 0 && v.blk > p.cancelled {
				out = append(out, g.finding(CodeVoteAfterCancel, v.row, subj(), float64(v.blk), float64(p.cancelled),
					fmt.Sprintf("vote by %s at block %d comes after %s was cancelled at block %d", k.voter, v.blk, subj(), p.cancelled)))
			}
		}
		if weights != nil && weights.Valid(v.row) && weights.Values[v.row] > g.cfg.TotalSupply {
			out = append(out, g.finding(CodeWeightAboveSupply, v.row, subj(), weights.Values[v.row], g.cfg.TotalSupply,
				fmt.Sprintf("vote by %s on %s weighs %.6g, above the total supply %.6g", k.voter, subj(), weights.Values[v.row], g.cfg.TotalSupply)))
		}
	}
	return out
}

var (
	addrToken = regexp.MustCompile(`0[xX][0-9A-Za-z]*`)
	addrValid = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
)

// checkAddresses checks the configured string columns: each value is an
// address or a list literal of addresses.
func (g *Governance) checkAddresses(t *validators.Table) ([]validators.Finding, error) {
	var out []validators.Finding
	for _, col := range g.cfg.Addresses {
		vals, err := t.Strings(col)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: addresses: %v", validators.ErrConfig, g.name, err)
		}
		for r, s := range vals.Values {
			if !vals.Valid(r) || s == "" || s == "[]" {
				continue
			}
			if msg := badAddresses(s); msg != "" {
				out = append(out, g.finding(CodeBadAddress, r, col, 1, 0, fmt.Sprintf("column %s: %s", col, msg)))
			}
		}
	}
	return out, nil
}

// badAddresses describes the first bad address of s ("" when all are
// good): a value that holds no 0x token at all is bad too.
func badAddresses(s string) string {
	toks := addrToken.FindAllString(s, -1)
	if len(toks) == 0 {
		return fmt.Sprintf("%q holds no address", short(s))
	}
	for _, a := range toks {
		switch {
		case !addrValid.MatchString(a):
			return fmt.Sprintf("%q is not 0x and 40 hex digits", short(a))
		case a != strings.ToLower(a) && a[2:] != strings.ToUpper(a[2:]) && common.HexToAddress(a).Hex() != a:
			return fmt.Sprintf("%q fails the EIP-55 checksum", a)
		}
	}
	return ""
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
