package validators

import (
	"sort"
	"strconv"
)

// Locator columns: the file source's line and source id, the chain
// sources' block and log index.
const (
	colLine   = "_line"
	colSource = "_source"
	colBlock  = "block_number"
	colLog    = "log_index"
)

// Locator says where row came from: "<source> line N" when the rows carry
// the file source's _line, "block B log L" for chain events, "URL item N"
// for the rows of HTTP sources (Input.Origins); "" when none applies.
func (t *Table) Locator(row int) string {
	switch {
	case t.Has(colLine):
		line, err := t.Ints(colLine)
		if err != nil || !line.Valid(row) {
			return ""
		}
		src := ""
		if t.Has(colSource) {
			src = t.Value(row, colSource) + " "
		}
		return src + "line " + strconv.FormatInt(line.Values[row], 10)
	case t.Has(colBlock) && t.Has(colLog):
		b, err1 := t.Ints(colBlock)
		l, err2 := t.Ints(colLog)
		if err1 != nil || err2 != nil || !b.Valid(row) || !l.Valid(row) {
			return ""
		}
		return "block " + strconv.FormatInt(b.Values[row], 10) + " log " + strconv.FormatInt(l.Values[row], 10)
	case len(t.origins) > 0:
		return t.originLocator(row)
	}
	return ""
}

// Locators returns the locators of rows, or nil when the table has no
// locator columns.
func (t *Table) Locators(rows []int) []string {
	if len(rows) == 0 || !(t.Has(colLine) || (t.Has(colBlock) && t.Has(colLog)) || len(t.origins) > 0) {
		return nil
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = t.Locator(r)
	}
	return out
}

// Origin locates a run of a run's rows in one HTTP answer: rows FirstRow,
// FirstRow+1, … are Items[0], Items[1], … of the answer at URL (after
// redirects, secrets masked); Unit names what Items count ("item": the
// index in the answer's array; "line": a CSV line).
type Origin struct {
	URL      string
	Unit     string
	FirstRow int
	Items    []int
}

// originLocator returns "URL item N" for row, or "" when no origin covers
// it.
func (t *Table) originLocator(row int) string {
	os := t.origins
	i := sort.Search(len(os), func(i int) bool { return os[i].FirstRow+len(os[i].Items) > row })
	if i == len(os) || row < os[i].FirstRow {
		return ""
	}
	o := os[i]
	return o.URL + " " + o.Unit + " " + strconv.Itoa(o.Items[row-o.FirstRow])
}
