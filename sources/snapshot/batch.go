package snapshot

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// emitRows builds one record from rows (values in schema order without the
// provenance columns) and passes it to emit.
func (s *Source) emitRows(rows [][]any, digest datasets.Hash, emit sources.Emit) error {
	b := array.NewRecordBuilder(memory.DefaultAllocator, s.arrow)
	defer b.Release()
	n := len(s.table.schema.Columns) - 2
	for _, r := range rows {
		for i, v := range r {
			if err := appendValue(b.Field(i), v); err != nil {
				return fmt.Errorf("snapshot source %q: column %s: %w", s.id, s.table.schema.Columns[i].Name, err)
			}
		}
		b.Field(n).(*array.StringBuilder).Append(s.id)
		b.Field(n + 1).(*array.FixedSizeBinaryBuilder).Append(digest[:])
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return emit(rec)
}

// appendValue appends one value (nil for null) to a column builder.
func appendValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.StringBuilder:
		if s, ok := v.(string); ok {
			b.Append(s)
			return nil
		}
	case *array.BooleanBuilder:
		if t, ok := v.(bool); ok {
			b.Append(t)
			return nil
		}
	case *array.Float64Builder:
		if f, ok := v.(float64); ok {
			b.Append(f)
			return nil
		}
	case *array.Uint64Builder:
		if n, ok := v.(uint64); ok {
			b.Append(n)
			return nil
		}
	case *array.TimestampBuilder:
		if us, ok := v.(int64); ok {
			b.Append(arrow.Timestamp(us))
			return nil
		}
	}
	return fmt.Errorf("value %v (%T) does not fit %T", v, v, b)
}
