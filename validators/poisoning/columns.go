package poisoning

import (
	"slices"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Columns implements validators.ColumnUser.
func (s *Series) Columns() []string {
	return validators.NonEmpty(s.cfg.Value, s.cfg.Time, s.cfg.Group, s.cfg.Where.Column)
}

// Columns implements validators.ColumnUser.
func (c *CrossSource) Columns() []string {
	return validators.NonEmpty(c.cfg.Value, c.cfg.Time, c.cfg.Where.Column)
}

// Columns implements validators.ColumnUser.
func (d *Duplicates) Columns() []string {
	out := validators.NonEmpty(d.cfg.GroupBy)
	for _, k := range d.cfg.Keys {
		out = append(out, validators.NonEmpty(k...)...)
	}
	return out
}

// Columns implements validators.ColumnUser.
func (g *Governance) Columns() []string {
	c := g.cfg
	out := validators.NonEmpty(c.GroupBy, c.Votes.Column, c.Proposal, c.Voter, c.Block, c.Created.Column, c.ID, c.Start, c.End, c.Cancelled.Column)
	if c.TotalSupply > 0 {
		out = append(out, validators.NonEmpty(c.Weight)...)
	}
	return append(out, slices.Clone(c.Addresses)...)
}
