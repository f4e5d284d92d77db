package poisoning

import (
	"context"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// load reads the run's votes, then streams the history one batch at a
// time (validators.ScanHistory), keeping only what the run's votes can be
// compared with: the created and cancelled rows of the proposals they
// name, and one earlier ballot per (group, proposal, voter) they repeat.
// So a check of history_rows 0 holds the run and a batch, not the
// dataset. The proposals of the run (or of the proposals dataset, also
// streamed) come last: a later window wins, as before.
//
// String groups are numbered by the run's votes first; a history or
// proposals row of a group no run vote has gets the zero word (no group's
// number) and is skipped, so numbering and findings do not depend on what
// the history holds beyond the run's proposals.
func (g *Governance) load(ctx context.Context, in *validators.Input) (*govState, *voteCols, []ballot, error) {
	st := &govState{props: map[propKey]*proposal{}, groups: map[string]int{}}
	c, err := g.voteCols(in.Table, st)
	if err != nil {
		return nil, nil, nil, configErr(g.name, err)
	}
	run := ballotsOf(c, false)
	st.frozen = true
	st.keys = make(map[propKey]bool, len(c.rows))
	st.ids = make(map[[32]byte]bool)
	for _, r := range c.rows {
		if c.ids.Valid(r) {
			st.keys[propKey{c.group(r), c.ids.Values[r]}] = true
			st.ids[c.ids.Values[r]] = true
		}
	}
	st.want = make(map[[2]uint64]bool, len(run))
	for _, b := range run {
		st.want[[2]uint64{b.h1, b.h2}] = true
	}
	first := true
	err = validators.ScanHistory(ctx, in.History, in.Dataset, uint64(g.cfg.HistoryRows), func(t *validators.Table) error {
		if !first {
			if hit, err := g.namesRunProposal(t, st, g.cfg.ProposalsDataset == ""); err != nil || !hit {
				return err
			}
		}
		first = false
		return g.addHistory(t, st)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	st.want = nil
	if g.cfg.ProposalsDataset == "" {
		if err := g.addProposals(in.Table, st); err != nil {
			return nil, nil, nil, configErr(g.name, err)
		}
		return st, c, run, nil
	}
	first = true
	err = validators.ScanHistory(ctx, in.History, g.cfg.ProposalsDataset, 0, func(t *validators.Table) error {
		if !first {
			if hit, err := validators.AnyWord(t, g.cfg.ID, st.ids); err != nil || !hit {
				return configErr(g.name, err)
			}
		}
		first = false
		return configErr(g.name, g.addProposals(t, st))
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return st, c, run, nil
}

// namesRunProposal reports whether a row of t names a proposal id of the
// run's votes in its vote proposal column or (withProposals) its id
// column: a batch with none is skipped before its other columns are
// decoded.
func (g *Governance) namesRunProposal(t *validators.Table, st *govState, withProposals bool) (bool, error) {
	if hit, err := validators.AnyWord(t, g.cfg.Proposal, st.ids); err != nil || hit {
		return hit, err
	}
	if !withProposals {
		return false, nil
	}
	return validators.AnyWord(t, g.cfg.ID, st.ids)
}

// addHistory records the proposals (unless they are in another dataset)
// and keeps the ballots of one history batch that the run repeats: one
// per (group, proposal, voter), which is all duplicates needs.
func (g *Governance) addHistory(t *validators.Table, st *govState) error {
	if g.cfg.ProposalsDataset == "" {
		if err := g.addProposals(t, st); err != nil {
			return err
		}
	}
	c, err := g.voteCols(t, st)
	if err != nil {
		return err
	}
	for _, b := range ballotsOf(c, true) {
		if k := [2]uint64{b.h1, b.h2}; st.want[k] {
			delete(st.want, k)
			st.votes = append(st.votes, b)
		}
	}
	return nil
}

// configErr wraps a column error of the proposals dataset as a
// configuration error of the validator named name (nil stays nil); the
// History's own errors are not wrapped.
func configErr(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %s: %v", validators.ErrConfig, name, err)
}
