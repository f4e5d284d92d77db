package gaps

import "github.com/groundtruth-dao/groundtruth/validators"

// Columns implements validators.ColumnUser.
func (b *TimeBuckets) Columns() []string {
	return validators.NonEmpty(b.cfg.Time, b.cfg.Where.Column)
}

// Columns implements validators.ColumnUser.
func (f *Freshness) Columns() []string {
	return validators.NonEmpty(f.cfg.Time, f.cfg.Value, f.cfg.Where.Column)
}

// Columns implements validators.ColumnUser.
func (s *Sequence) Columns() []string {
	out := validators.NonEmpty(s.cfg.Column, s.cfg.Where.Column)
	for _, r := range s.cfg.References {
		out = append(out, validators.NonEmpty(r.Column, r.Where.Column)...)
	}
	return out
}
