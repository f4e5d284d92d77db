package validators

import (
	"context"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Metrics describe the accepted rows of one run (rows that were quarantined
// or flagged at warn or above are left out, so flagged points never move a
// baseline). The catalog keeps them per version as the metric history that
// baselines are read from.
type Metrics struct {
	Dataset string `json:"dataset"`
	// Version is the version the rows were sealed in (0 before sealing).
	Version uint64 `json:"version"`
	// Rows is the number of rows measured; Input the number of input rows.
	Rows  int `json:"rows"`
	Input int `json:"input"`
	// Columns holds per-column statistics by column name.
	Columns map[string]*ColumnMetrics `json:"columns"`
	// Sources holds the number of rows per source id, when the schema has a
	// _source column.
	Sources map[string]int `json:"sources,omitempty"`
}

// ColumnMetrics are the statistics of one column.
type ColumnMetrics struct {
	Nulls    int    `json:"nulls"`
	NullRate Number `json:"nullRate"`
	// Sketch summarises numeric columns.
	Sketch *Sketch `json:"sketch,omitempty"`
	// Categories are the shares of each value of columns with at most
	// MaxCategories distinct values (in a sample).
	Categories map[string]Number `json:"categories,omitempty"`
}

// Sketch is a quantile summary: Quantiles[i] is the i/(len-1) quantile of a
// deterministic sample of at most SampleSize values.
type Sketch struct {
	Count     int      `json:"count"`
	Quantiles []Number `json:"quantiles"`
}

// Sketch and category limits.
const (
	SketchPoints  = 33
	SampleSize    = 1 << 16
	MaxCategories = 64
)

// ComputeMetrics measures the rows of t that skip does not mark (skip may
// be nil).
func ComputeMetrics(ctx context.Context, dataset string, t *Table, skip []bool) (*Metrics, error) {
	m := &Metrics{Dataset: dataset, Input: t.Len(), Columns: map[string]*ColumnMetrics{}}
	rows := sampleRows(t.Len(), skip, t.Len())
	m.Rows = len(rows)
	sample := sampleRows(t.Len(), skip, SampleSize)
	for _, c := range t.Schema().Columns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cm, err := columnMetrics(t, c, rows, sample)
		if err != nil {
			return nil, err
		}
		m.Columns[c.Name] = cm
	}
	if t.Has("_source") {
		src, _ := t.Strings("_source")
		m.Sources = map[string]int{}
		for _, r := range rows {
			m.Sources[src.Values[r]]++
		}
	}
	return m, nil
}

// sampleRows returns up to n unskipped rows at an even stride.
func sampleRows(total int, skip []bool, n int) []int {
	kept := make([]int, 0, min(total, n))
	stride := 1
	if total > n {
		stride = (total + n - 1) / n
	}
	for i := 0; i < total; i += stride {
		if skip == nil || !skip[i] {
			kept = append(kept, i)
		}
	}
	return kept
}

func columnMetrics(t *Table, c datasets.Column, rows, sample []int) (*ColumnMetrics, error) {
	cm := &ColumnMetrics{}
	if c.Nullable {
		mask, err := t.nullMask(c.Name)
		if err != nil {
			return nil, err
		}
		cm.Nulls = countMarked(mask, rows)
	}
	if len(rows) > 0 {
		cm.NullRate = Number(float64(cm.Nulls) / float64(len(rows)))
	}
	if isNumeric(c.Type) && c.Type != datasets.TypeBool {
		cm.Sketch = NewSketch(sampleColumn(t, c, sample, floatAt), indexes(len(sample)))
	}
	if c.Type == datasets.TypeString || c.Type == datasets.TypeBool || c.Type == datasets.TypeUint8 {
		cm.Categories = categories(sampleColumn(t, c, sample, FormatValue), indexes(len(sample)))
	}
	return cm, nil
}

func countMarked(mask []bool, rows []int) int {
	if mask == nil {
		return 0
	}
	n := 0
	for _, r := range rows {
		if mask[r] {
			n++
		}
	}
	return n
}

// nullMask returns which rows of a column are null (nil when none are).
func (t *Table) nullMask(name string) ([]bool, error) {
	_, idx, err := t.Column(name)
	if err != nil {
		return nil, err
	}
	var mask []bool
	for r, rec := range t.recs {
		a := rec.Column(idx)
		if a.NullN() == 0 {
			continue
		}
		if mask == nil {
			mask = make([]bool, t.n)
		}
		for i := 0; i < a.Len(); i++ {
			mask[t.starts[r]+i] = a.IsNull(i)
		}
	}
	return mask, nil
}

// NullMask returns which rows of the named column are null (nil when none).
func (t *Table) NullMask(name string) ([]bool, error) { return t.nullMask(name) }

// NewSketch summarises the valid values of c at the given rows.
func NewSketch(c *Col[float64], rows []int) *Sketch {
	vals := make([]float64, 0, len(rows))
	for _, r := range rows {
		if c.Valid(r) {
			vals = append(vals, c.Values[r])
		}
	}
	s := &Sketch{Count: len(vals)}
	if len(vals) == 0 {
		return s
	}
	sort.Float64s(vals)
	s.Quantiles = make([]Number, SketchPoints)
	for i := range s.Quantiles {
		s.Quantiles[i] = Number(Quantile(vals, float64(i)/float64(SketchPoints-1)))
	}
	return s
}

// Quantile returns the q-quantile of sorted values by linear interpolation.
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	lo := int(pos)
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

func categories(c *Col[string], rows []int) map[string]Number {
	counts := map[string]int{}
	n := 0
	for _, r := range rows {
		if !c.Valid(r) {
			continue
		}
		v := c.Values[r]
		if _, ok := counts[v]; !ok && len(counts) == MaxCategories {
			return nil
		}
		counts[v]++
		n++
	}
	if n == 0 {
		return nil
	}
	out := make(map[string]Number, len(counts))
	for k, v := range counts {
		out[strings.ToValidUTF8(k, "\uFFFD")] = Number(float64(v) / float64(n))
	}
	return out
}

// sampleColumn decodes a column at the sample rows only (the i-th value is
// row sample[i]), without decoding the whole column.
func sampleColumn[T any](t *Table, c datasets.Column, sample []int, conv func(arrow.Array, datasets.Type, int) T) *Col[T] {
	idx := t.schema.Index(c.Name)
	out := &Col[T]{Values: make([]T, len(sample))}
	for i, row := range sample {
		r, off := t.Locate(row)
		a := t.recs[r].Column(idx)
		if a.IsNull(off) {
			if out.Null == nil {
				out.Null = make([]bool, len(sample))
			}
			out.Null[i] = true
			continue
		}
		out.Values[i] = conv(a, c.Type, off)
	}
	return out
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
