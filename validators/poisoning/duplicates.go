package poisoning

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the duplicates validator.
const (
	CodeConflictingDuplicate validators.Code = "poisoning.conflicting_duplicate"
	CodeDuplicateRow         validators.Code = "poisoning.duplicate_row"
	CodeRefetchMismatch      validators.Code = "poisoning.refetch_mismatch"
)

// DuplicatesKind is the configuration kind of the duplicates validator.
const DuplicatesKind = "poisoning.duplicates"

// DuplicatesConfig configures the duplicate checks.
type DuplicatesConfig struct {
	// Keys are natural keys checked besides the schema's key, e.g.
	// [[proposal_id, voter]]: a voter votes once per proposal. Rows with a
	// null in a natural key's columns are not checked against it.
	Keys [][]string `yaml:"keys" json:"keys"`
	// Ignore lists columns left out when values are compared; columns whose
	// names start with _ (provenance) are always left out.
	Ignore []string `yaml:"ignore" json:"ignore"`
	// HistoryRows is how many of the latest sealed rows new rows are
	// compared with (a re-fetch re-reads recent rows); 0 disables.
	HistoryRows int `yaml:"history_rows" json:"history_rows"`
	// GroupBy names a column that separates independent series in one
	// dataset (contract_address: two governors whose proposal ids
	// overlap): the natural keys are compared within each group, and
	// findings name the group. The schema's key is not split.
	GroupBy string `yaml:"group_by" json:"group_by"`
}

// DefaultDuplicatesConfig returns the defaults.
func DefaultDuplicatesConfig() DuplicatesConfig { return DuplicatesConfig{HistoryRows: 100000} }

// Duplicates finds repeated keys: within the run (the first occurrence
// wins, later ones are flagged) and against recent history.
type Duplicates struct {
	name string
	cfg  DuplicatesConfig
}

// NewDuplicates returns a duplicates validator.
func NewDuplicates(name string, cfg DuplicatesConfig) (*Duplicates, error) {
	for _, k := range cfg.Keys {
		if len(k) == 0 {
			return nil, fmt.Errorf("%w: %s: empty natural key", validators.ErrConfig, name)
		}
	}
	if cfg.GroupBy != "" && len(cfg.Keys) == 0 {
		return nil, fmt.Errorf("%w: %s: group_by %q splits the natural keys, but keys is empty", validators.ErrConfig, name, cfg.GroupBy)
	}
	if cfg.HistoryRows < 0 {
		return nil, fmt.Errorf("%w: %s: history_rows must not be negative", validators.ErrConfig, name)
	}
	return &Duplicates{name: cmp.Or(name, DuplicatesKind), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (d *Duplicates) Name() string { return d.name }

// Codes implements validators.Validator.
func (d *Duplicates) Codes() []validators.CodeInfo { return dupCodes }

var dupCodes = []validators.CodeInfo{
	{Code: CodeConflictingDuplicate, Severity: validators.Error, Action: validators.Quarantine, Summary: "A later row repeats the key (or a natural key) of an earlier row of the run with different values; the first occurrence is kept."},
	{Code: CodeDuplicateRow, Severity: validators.Warn, Action: validators.Quarantine, Summary: "A row repeats an earlier row (of the run or of recent history) exactly: it would be counted twice."},
	{Code: CodeRefetchMismatch, Severity: validators.Error, Action: validators.Quarantine, Summary: "A new row has the key of a sealed row but different values: the source changed its story."},
}

// Validate implements validators.Validator.
func (d *Duplicates) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := in.Table
	keys := d.keys(t)
	for _, k := range keys {
		for _, c := range k {
			if _, _, err := t.Column(c); err != nil {
				return nil, err
			}
		}
	}
	cmp := d.compared(t)
	var out []validators.Finding
	flagged := map[int]bool{}
	var buf keyRowBuf // shared by the keys' sorts
	for i, k := range keys {
		out = append(out, d.withinRun(t, k, cmp, flagged, i > 0 || len(t.Schema().Key) == 0, &buf)...)
	}
	if d.cfg.HistoryRows > 0 && len(t.Schema().Key) > 0 && t.Len() > 0 {
		hist, err := validators.HistoryTable(ctx, in, in.Dataset, uint64(d.cfg.HistoryRows))
		if err != nil {
			return nil, err
		}
		if hist != nil {
			out = append(out, d.againstHistory(t, hist, cmp, flagged)...)
		}
	}
	if len(out) == 0 && t.Len() > 0 {
		out = append(out, validators.Pass(d.name, CodeConflictingDuplicate, 0, 0, fmt.Sprintf("no repeated keys among %d rows", t.Len())))
	}
	return sortByRow(out), nil
}

// keys returns the schema's key, then the natural keys (each led by the
// group_by column unless it has it).
func (d *Duplicates) keys(t *validators.Table) [][]string {
	var out [][]string
	if len(t.Schema().Key) > 0 {
		out = append(out, t.Schema().Key)
	}
	for _, k := range d.cfg.Keys {
		if d.cfg.GroupBy != "" && !slices.Contains(k, d.cfg.GroupBy) {
			k = append([]string{d.cfg.GroupBy}, k...)
		}
		out = append(out, k)
	}
	return out
}

// compared returns the columns whose values are compared.
func (d *Duplicates) compared(t *validators.Table) []string {
	skip := map[string]bool{}
	for _, c := range d.cfg.Ignore {
		skip[c] = true
	}
	var out []string
	for _, c := range t.Schema().Columns {
		if !skip[c.Name] && !strings.HasPrefix(c.Name, "_") {
			out = append(out, c.Name)
		}
	}
	return out
}

// keyRow is a row and the hash of its key.
type keyRow struct {
	h   uint64
	row int32
}

// keyRowBuf holds the (hash, row) array and the radix sort's scratch
// between the keys of one run, so each is allocated once.
type keyRowBuf struct {
	pairs, scratch []keyRow
}

// withinRun flags later rows repeating the key k of an earlier row. Rows
// are grouped by key hash with a sort of (hash, row) pairs, 16 bytes a
// row, rather than a map of every key (about 70 bytes a row).
func (d *Duplicates) withinRun(t *validators.Table, k, cmp []string, flagged map[int]bool, natural bool, buf *keyRowBuf) []validators.Finding {
	nulls := nullRows(t, k)
	hashes := t.KeyHashes()
	if !sameCols(k, t.Schema().Key) {
		hashes = t.HashColumns(k)
	}
	if cap(buf.pairs) < len(hashes) {
		buf.pairs = make([]keyRow, 0, len(hashes))
	}
	pairs := buf.pairs[:0]
	for row, h := range hashes {
		if nulls == nil || !nulls[row] {
			pairs = append(pairs, keyRow{h, int32(row)})
		}
	}
	// pairs are in row order and the sort is stable: (hash, row) order
	buf.pairs = pairs
	buf.scratch = radixSortWith(pairs, buf.scratch, func(p *keyRow) uint64 { return p.h })
	var out []validators.Finding
	var firsts []int32 // the first row of each distinct key with this hash
	for i := 0; i < len(pairs); {
		j := i + 1
		for j < len(pairs) && pairs[j].h == pairs[i].h {
			j++
		}
		firsts = append(firsts[:0], pairs[i].row)
		for _, p := range pairs[i+1 : j] {
			row, prev := int(p.row), -1
			for _, q := range firsts {
				if t.SameValues(int(q), row, k) {
					prev = int(q)
					break
				}
			}
			if prev < 0 {
				firsts = append(firsts, p.row)
				continue
			}
			if flagged[row] {
				continue
			}
			flagged[row] = true
			f := d.repeat(t, t, prev, row, k, cmp, CodeConflictingDuplicate, "earlier row")
			if natural && d.cfg.GroupBy != "" {
				f.Subject = t.Value(row, d.cfg.GroupBy) + "/" + f.Subject
			}
			out = append(out, f)
		}
		i = j
	}
	return out
}

// againstHistory compares rows whose schema key is in the history tail.
func (d *Duplicates) againstHistory(t, hist *validators.Table, cmp []string, flagged map[int]bool) []validators.Finding {
	k := t.Schema().Key
	seen := map[uint64][]int32{}
	for row, h := range hist.HashColumns(k) {
		seen[h] = append(seen[h], int32(row))
	}
	var out []validators.Finding
	for row, h := range t.HashColumns(k) {
		if flagged[row] || seen[h] == nil {
			continue
		}
		for _, p := range seen[h] {
			if sameAcross(hist, int(p), t, row, k) {
				flagged[row] = true
				out = append(out, d.repeat(hist, t, int(p), row, k, cmp, CodeRefetchMismatch, "sealed row"))
				break
			}
		}
	}
	return out
}

// repeat builds the finding for row of t repeating row prev of pt.
func (d *Duplicates) repeat(pt, t *validators.Table, prev, row int, k, cmp []string, conflict validators.Code, what string) validators.Finding {
	var diff []string
	for _, c := range cmp {
		if pt.Value(prev, c) != t.Value(row, c) {
			diff = append(diff, fmt.Sprintf("%s %q→%q", c, clip(pt.Value(prev, c)), clip(t.Value(row, c))))
		}
	}
	f := validators.Finding{Validator: d.name, Rows: []int{row}, Subject: "key:" + strings.Join(k, ","), Value: float64(len(diff))}
	if len(diff) == 0 {
		f.Code, f.Severity = CodeDuplicateRow, validators.Warn
		f.Message = fmt.Sprintf("row %s repeats the %s with the same (%s) exactly", t.Key(row), what, strings.Join(k, ", "))
		return f
	}
	f.Code, f.Severity = conflict, validators.Error
	f.Message = fmt.Sprintf("row %s has the same (%s) as the %s %s but differs in %s", t.Key(row), strings.Join(k, ", "), what, pt.Key(prev), strings.Join(diff, "; "))
	return f
}

func sameAcross(a *validators.Table, ra int, b *validators.Table, rb int, cols []string) bool {
	for _, c := range cols {
		if a.Value(ra, c) != b.Value(rb, c) {
			return false
		}
	}
	return true
}

// nullRows marks rows with a null in any of cols (nil when none).
func nullRows(t *validators.Table, cols []string) []bool {
	var out []bool
	for _, c := range cols {
		m, _ := t.NullMask(c)
		if m == nil {
			continue
		}
		if out == nil {
			out = make([]bool, t.Len())
		}
		for i, n := range m {
			out[i] = out[i] || n
		}
	}
	return out
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

func sameCols(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
