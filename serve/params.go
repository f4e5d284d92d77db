package serve

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// The request parsers are strict: a parameter either parses exactly or the
// request is refused with ErrBadRequest (ErrRange for byte ranges), naming
// what was wrong. They are fuzzed in params_test.go.

// RowColumn is the pseudo-column holding a row's index (its leaf index).
const RowColumn = "_row"

var datasetRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// parseDataset checks a dataset name from a path.
func parseDataset(s string) (string, error) {
	if !datasetRE.MatchString(s) {
		return "", badRequest("dataset %q is not a dataset name (lowercase letters, digits and _, starting with a letter)", clip(s))
	}
	return s, nil
}

// parseVersion reads a version from a path: a positive integer or latest
// (0).
func parseVersion(s string) (uint64, error) {
	if s == "latest" {
		return 0, nil
	}
	n, err := parseUint(s)
	if err != nil || n == 0 {
		return 0, badRequest("version %q: want a positive integer or latest", clip(s))
	}
	return n, nil
}

// parseUint reads a plain decimal (no sign, no leading zeros, at most 20 digits).
func parseUint(s string) (uint64, error) {
	if s == "" || len(s) > 20 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("not a plain decimal")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("not a plain decimal")
		}
	}
	return strconv.ParseUint(s, 10, 64)
}

// parseRows reads a row range "FIRST-LAST" (inclusive) or "FIRST-" for a
// version of total rows and returns [begin, end). An empty string is every
// row; LAST past the end is cut to the last row, as HTTP does with bytes.
func parseRows(s string, total uint64) (uint64, uint64, error) {
	if s == "" {
		return 0, total, nil
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, badRequest("rows %q: want FIRST-LAST or FIRST- (0-based, inclusive)", clip(s))
	}
	first, err := parseUint(a)
	if err != nil {
		return 0, 0, badRequest("rows %q: FIRST must be a plain decimal", clip(s))
	}
	last := total - 1
	if b != "" {
		if last, err = parseUint(b); err != nil {
			return 0, 0, badRequest("rows %q: LAST must be a plain decimal", clip(s))
		}
		if last < first {
			return 0, 0, badRequest("rows %q: LAST is before FIRST", clip(s))
		}
		last = min(last, total-1)
	}
	if first >= total {
		return 0, 0, badRequest("rows %q: the version has %d rows (0 to %d)", clip(s), total, int64(total)-1)
	}
	return first, last + 1, nil
}

// selection is a column list: schema indexes, and where _row goes (-1: absent).
type selection struct {
	cols   []int
	rowPos int
	// form is the value form of JSONL and CSV.
	form api.Form
}

// parseColumns reads a comma-separated column list; empty is every column.
func parseColumns(s string, sch *datasets.Schema) (selection, error) {
	sel := selection{rowPos: -1}
	if s == "" {
		for i := range sch.Columns {
			sel.cols = append(sel.cols, i)
		}
		return sel, nil
	}
	names := strings.Split(s, ",")
	if len(names) > datasets.MaxColumns+1 {
		return sel, badRequest("columns: %d names, at most %d", len(names), datasets.MaxColumns+1)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return sel, badRequest("columns: %q is listed twice", clip(n))
		}
		seen[n] = true
		if n == RowColumn {
			sel.rowPos = len(sel.cols)
			continue
		}
		i := sch.Index(n)
		if i < 0 {
			return sel, badRequest("columns: no column %q (the columns are %s, and %s)", clip(n), columnNames(sch), RowColumn)
		}
		sel.cols = append(sel.cols, i)
	}
	return sel, nil
}

func columnNames(sch *datasets.Schema) string {
	n := make([]string, len(sch.Columns))
	for i, c := range sch.Columns {
		n[i] = c.Name
	}
	return strings.Join(n, ", ")
}

// parseByteRange reads a Range header for a representation of size bytes
// and returns [start, end). Only one range of the bytes unit is served.
func parseByteRange(h string, size int64) (int64, int64, error) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return 0, 0, fmt.Errorf("%w: Range %q: only bytes=FIRST-LAST, bytes=FIRST- or bytes=-SUFFIX", ErrRange, clip(h))
	}
	if strings.Contains(spec, ",") {
		return 0, 0, fmt.Errorf("%w: Range %q: one range per request", ErrRange, clip(h))
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return 0, 0, fmt.Errorf("%w: Range %q is malformed", ErrRange, clip(h))
	}
	if a == "" {
		n, err := parseUint(b)
		if err != nil || n == 0 {
			return 0, 0, fmt.Errorf("%w: Range %q: the suffix length must be a positive decimal", ErrRange, clip(h))
		}
		return max(0, size-int64(min(n, uint64(size)))), size, nil
	}
	first, err := parseUint(a)
	if err != nil || first >= uint64(size) {
		return 0, 0, fmt.Errorf("%w: Range %q: the first byte must be below %d", ErrRange, clip(h), size)
	}
	last := uint64(size - 1)
	if b != "" {
		if last, err = parseUint(b); err != nil || last < first {
			return 0, 0, fmt.Errorf("%w: Range %q: the last byte must be a decimal at or after the first", ErrRange, clip(h))
		}
		last = min(last, uint64(size-1))
	}
	return int64(first), int64(last) + 1, nil
}

// parseKey reads a key lookup: one query parameter per key column, in any
// order, each once, nothing else. It returns the typed values in key order.
func parseKey(q url.Values, sch *datasets.Schema) ([]any, error) {
	if len(sch.Key) == 0 {
		return nil, badRequest("the dataset has no key; ask for a row by its index")
	}
	for name := range q {
		if !contains(sch.Key, name) {
			return nil, badRequest("%q is not a key column (the key is %s)", clip(name), strings.Join(sch.Key, ", "))
		}
	}
	out := make([]any, len(sch.Key))
	for i, k := range sch.Key {
		vs := q[k]
		if len(vs) != 1 {
			return nil, badRequest("key column %q: give it exactly once (the key is %s)", k, strings.Join(sch.Key, ", "))
		}
		v, err := api.ParseText(sch.Columns[sch.Index(k)].Type, vs[0])
		if err != nil {
			return nil, fmt.Errorf("%w: key column %q: %v", ErrBadRequest, k, err)
		}
		out[i] = v
	}
	return out, nil
}

// checkParams refuses query parameters outside allowed.
func checkParams(q url.Values, allowed ...string) error {
	for k, vs := range q {
		if !contains(allowed, k) {
			return badRequest("unknown parameter %q (allowed: %s)", clip(k), strings.Join(allowed, ", "))
		}
		if len(vs) != 1 {
			return badRequest("parameter %q is given %d times", k, len(vs))
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
