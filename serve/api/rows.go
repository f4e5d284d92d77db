package api

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// RowValues returns the value forms of row i of rec, whose columns follow
// the schema s, in schema order.
func RowValues(s *datasets.Schema, rec arrow.RecordBatch, i int) Values {
	return Canonical.RowValues(s, rec, i)
}

// RowValues returns row i of rec (of schema s) in form f: the same values
// as f.Reform of the canonical row, without the canonical text between.
func (f Form) RowValues(s *datasets.Schema, rec arrow.RecordBatch, i int) Values {
	out := make(Values, len(s.Columns))
	for c, col := range s.Columns {
		out[c] = Field{Name: col.Name, Value: f.Value(rec.Column(c), col.Type, i)}
	}
	return out
}

// Record builds one record batch of the schema s from rows of value forms;
// every row must name every column of s exactly once (in any order). The
// caller releases the record.
func Record(s *datasets.Schema, rows []Values) (arrow.RecordBatch, error) {
	as, err := s.ArrowSchema()
	if err != nil {
		return nil, err
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer b.Release()
	for r, row := range rows {
		if len(row) != len(s.Columns) {
			return nil, fmt.Errorf("%w: row %d has %d values, the schema %d columns", ErrValue, r, len(row), len(s.Columns))
		}
		byName := make(map[string]any, len(row))
		for _, f := range row {
			byName[f.Name] = f.Value
		}
		for c, col := range s.Columns {
			v, ok := byName[col.Name]
			if !ok {
				return nil, fmt.Errorf("%w: row %d has no value for column %q", ErrValue, r, col.Name)
			}
			if v == nil && !col.Nullable {
				return nil, fmt.Errorf("%w: row %d: column %q is not nullable", ErrValue, r, col.Name)
			}
			if err := AppendValue(b.Field(c), col.Type, v); err != nil {
				return nil, fmt.Errorf("row %d, column %q: %w", r, col.Name, err)
			}
		}
	}
	return b.NewRecordBatch(), nil
}

// Leaves recomputes the leaf hashes (docs/SPEC.md §3–§4) of rows of value
// forms with the reference encoder, datasets.RowEncoder.
func Leaves(s *datasets.Schema, rows []Values) ([]datasets.Hash, error) {
	rec, err := Record(s, rows)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	enc, err := datasets.NewRowEncoder(s)
	if err != nil {
		return nil, err
	}
	if err := enc.Bind(rec); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrValue, err)
	}
	out := make([]datasets.Hash, len(rows))
	buf := make([]byte, 1, 1024)
	for i := range rows {
		buf = enc.AppendRow(buf[:1], i)
		out[i] = datasets.LeafHash(buf)
	}
	return out, nil
}
