package validators

import (
	"fmt"
	"hash/maphash"
	"sort"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Col is one decoded column of a Table: values by row, and which rows are
// null (Null is nil when no row is).
type Col[T any] struct {
	Values []T
	Null   []bool
}

// Valid reports whether row i is not null.
func (c *Col[T]) Valid(i int) bool { return c.Null == nil || !c.Null[i] }

// tableSeed is shared by every Table so that key hashes of a run and of
// its history compare.
var tableSeed = maphash.MakeSeed()

// Table is a read-only columnar view of a run's records. Columns are
// decoded on first use and cached, so the validators of a run share the
// work. A Table is safe for concurrent reads (the Suite runs validators
// in parallel): each column, the key hashes and the key repeats are built
// once, by the first caller, while other callers wait.
type Table struct {
	schema *datasets.Schema
	recs   []arrow.RecordBatch
	starts []int
	n      int
	cache  lazyMap
	seed   maphash.Seed
	khash  []uint64
	dupOrd map[int]int
	kOnce  sync.Once
	dOnce  sync.Once
	// origins locate rows of HTTP sources (set by Suite.Run).
	origins []Origin
}

// NewTable returns a view of recs, which must match schema.
func NewTable(schema *datasets.Schema, recs []arrow.RecordBatch) *Table {
	t := &Table{schema: schema, recs: recs, seed: tableSeed}
	for _, r := range recs {
		t.starts = append(t.starts, t.n)
		t.n += int(r.NumRows())
		datasets.PrimeNullCounts(r)
	}
	return t
}

// Len returns the number of rows.
func (t *Table) Len() int { return t.n }

// Schema returns the schema of the rows.
func (t *Table) Schema() *datasets.Schema { return t.schema }

// Records returns the underlying records.
func (t *Table) Records() []arrow.RecordBatch { return t.recs }

// Locate returns the record holding row and the row's offset in it.
func (t *Table) Locate(row int) (rec, off int) {
	i := sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > row }) - 1
	return i, row - t.starts[i]
}

// Column returns the named column's declaration, or an error wrapping
// ErrConfig naming the columns that exist.
func (t *Table) Column(name string) (datasets.Column, int, error) {
	i := t.schema.Index(name)
	if i < 0 {
		names := make([]string, len(t.schema.Columns))
		for j, c := range t.schema.Columns {
			names[j] = c.Name
		}
		return datasets.Column{}, -1, fmt.Errorf("%w: no column %q (columns: %v)", ErrConfig, name, names)
	}
	return t.schema.Columns[i], i, nil
}

// Has reports whether the table has the named column.
func (t *Table) Has(name string) bool { return name != "" && t.schema.Index(name) >= 0 }

// decode decodes a column once with conv, which handles one record's array.
func decode[T any](t *Table, kind, name string, ok func(datasets.Type) bool,
	conv func(a arrow.Array, ty datasets.Type, i int) T) (*Col[T], error) {
	c, err := t.cache.get(kind+":"+name, func() (any, error) { return decodeColumn(t, kind, name, ok, conv) })
	if err != nil {
		return nil, err
	}
	return c.(*Col[T]), nil
}

// decodeColumn decodes the named column of every record.
func decodeColumn[T any](t *Table, kind, name string, ok func(datasets.Type) bool,
	conv func(a arrow.Array, ty datasets.Type, i int) T) (*Col[T], error) {
	col, idx, err := t.Column(name)
	if err != nil {
		return nil, err
	}
	if !ok(col.Type) {
		return nil, fmt.Errorf("%w: column %q is %s, which cannot be read as %s", ErrConfig, name, col.Type, kind)
	}
	c := &Col[T]{Values: make([]T, t.n)}
	for r, rec := range t.recs {
		a := rec.Column(idx)
		base := t.starts[r]
		hasNulls := a.NullN() > 0
		if hasNulls && c.Null == nil {
			c.Null = make([]bool, t.n)
		}
		for i := 0; i < a.Len(); i++ {
			if hasNulls && a.IsNull(i) {
				c.Null[base+i] = true
				continue
			}
			c.Values[base+i] = conv(a, col.Type, i)
		}
	}
	return c, nil
}

// Floats returns a numeric column as float64 (integers of any width,
// uint256 and int256 approximately, timestamps as Unix seconds).
func (t *Table) Floats(name string) (*Col[float64], error) {
	return decode(t, "number", name, isNumeric, floatAt)
}

// Ints returns an integer or timestamp column as int64 (timestamps in
// microseconds since the epoch; uint256 values above 2^63 saturate).
func (t *Table) Ints(name string) (*Col[int64], error) {
	return decode(t, "integer", name, isInteger, intAt)
}

// Words returns a column as 32-byte words: uint256, int256 and bytes32 as
// stored, addresses and integers right-aligned (big-endian), so a proposal
// id compares equal whatever its declared width.
func (t *Table) Words(name string) (*Col[[32]byte], error) {
	return decode(t, "word", name, isWordable, wordAt)
}

// Addresses returns an address column.
func (t *Table) Addresses(name string) (*Col[[20]byte], error) {
	return decode(t, "address", name, func(ty datasets.Type) bool { return ty == datasets.TypeAddress }, addressAt)
}

// Strings returns a column rendered as strings (see FormatValue).
func (t *Table) Strings(name string) (*Col[string], error) {
	return decode(t, "string", name, func(datasets.Type) bool { return true }, FormatValue)
}

// Value renders the cell of row in the named column ("" for null or an
// unknown column).
func (t *Table) Value(row int, name string) string {
	_, idx, err := t.Column(name)
	if err != nil {
		return ""
	}
	r, off := t.Locate(row)
	a := t.recs[r].Column(idx)
	if a.IsNull(off) {
		return ""
	}
	return FormatValue(a, t.schema.Columns[idx].Type, off)
}
