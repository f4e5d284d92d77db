package validators

// ColumnUser is implemented by validators that read named columns of the
// dataset; configuration checks compare them with the job's schema before
// anything runs (a missing column would otherwise fail every run).
type ColumnUser interface {
	// Columns returns the columns the validator reads, without empty
	// names; a column may repeat.
	Columns() []string
}

// NonEmpty returns the non-empty names among names.
func NonEmpty(names ...string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
