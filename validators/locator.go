package validators

import "strconv"

// Locator columns: the file source's line and source id, the chain
// sources' block and log index.
const (
	colLine   = "_line"
	colSource = "_source"
	colBlock  = "block_number"
	colLog    = "log_index"
)

// Locator says where row came from: "<source> line N" when the rows carry
// the file source's _line, "block B log L" for chain events; "" when the
// table has neither.
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
	}
	return ""
}

// Locators returns the locators of rows, or nil when the table has no
// locator columns.
func (t *Table) Locators(rows []int) []string {
	if len(rows) == 0 || !(t.Has(colLine) || (t.Has(colBlock) && t.Has(colLog))) {
		return nil
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = t.Locator(r)
	}
	return out
}
