package validators

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Where selects rows whose column equals one of the values (rendered as
// FormatValue renders them), e.g. {column: event_name, in: [VoteCast]}. A
// zero Where selects every row.
type Where struct {
	Column string   `yaml:"column" json:"column"`
	In     []string `yaml:"in" json:"in"`
}

// IsZero reports whether w selects every row.
func (w Where) IsZero() bool { return w.Column == "" }

// Rows returns the rows of t that w selects, in order.
func (w Where) Rows(t *Table) ([]int, error) {
	if w.IsZero() {
		out := make([]int, t.Len())
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	c, err := t.Strings(w.Column)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, v := range w.In {
		want[v] = true
	}
	var out []int
	for i, v := range c.Values {
		if c.Valid(i) && want[v] {
			out = append(out, i)
		}
	}
	return out, nil
}

// Check reports a Where that names no column of t.
func (w Where) Check(t *Table) error {
	if w.IsZero() {
		return nil
	}
	if len(w.In) == 0 {
		return fmt.Errorf("%w: where on %q lists no values", ErrConfig, w.Column)
	}
	_, _, err := t.Column(w.Column)
	return err
}

// HistoryTable is LoadHistory shared by the validators of a run: the table
// (and the columns decoded from it) is built once per dataset and size and
// released when the run ends. It returns nil when the dataset has no version.
func HistoryTable(ctx context.Context, in *Input, dataset string, maxRows uint64) (*Table, error) {
	v, err := in.Memo(fmt.Sprintf("validators.history/%s/%d", dataset, maxRows), func() (any, func(), error) {
		t, release, err := LoadHistory(ctx, in.History, dataset, maxRows)
		return t, release, err
	})
	if err != nil {
		return nil, err
	}
	t, _ := v.(*Table)
	return t, nil
}

// LoadHistory reads up to the last maxRows rows of dataset's latest version
// into a Table (all rows when maxRows is 0). It returns an empty table and
// no error when the dataset has no version. The caller calls release.
func LoadHistory(ctx context.Context, h History, dataset string, maxRows uint64) (t *Table, release func(), err error) {
	m, err := h.Manifest(ctx, dataset, 0)
	if err != nil {
		if isNoHistory(err) {
			return nil, func() {}, nil
		}
		return nil, nil, err
	}
	var from uint64
	if maxRows > 0 && m.RowCount > maxRows {
		from = m.RowCount - maxRows
	}
	var recs []arrow.RecordBatch
	release = func() {
		for _, r := range recs {
			r.Release()
		}
	}
	err = h.Scan(ctx, dataset, m.Version, from, 0, func(r arrow.RecordBatch) error {
		r.Retain()
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		release()
		return nil, nil, err
	}
	schema := m.Schema
	return NewTable(&schema, recs), release, nil
}
