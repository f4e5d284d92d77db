package poisoning

import (
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// sortByRow orders findings by their first row (findings without rows
// last), keeping the order of equal ones.
func sortByRow(fs []validators.Finding) []validators.Finding {
	first := func(f validators.Finding) int {
		if len(f.Rows) == 0 {
			return int(^uint(0) >> 1)
		}
		return f.Rows[0]
	}
	sort.SliceStable(fs, func(i, j int) bool { return first(fs[i]) < first(fs[j]) })
	return fs
}
