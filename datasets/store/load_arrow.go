//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// loadBatchRows is how many rows are buffered before one INSERT.
const loadBatchRows = 1 << 16

// loader copies a version's new rows into the catalog's data table through
// DuckDB's Arrow scan, inside the version's transaction. Each row gets its
// segment id (_seg) and offset in the segment (_off).
type loader struct {
	conn     *sql.Conn
	schema   *datasets.Schema
	dataset  string
	firstSeg int32
	segRows  uint64
	next     uint64
	as       *arrow.Schema
	pending  []arrow.RecordBatch
	pendRows int
	views    int
}

func newLoader(conn *sql.Conn, s *datasets.Schema, dataset string, firstSeg int32, segRows int) *loader {
	fields := []arrow.Field{
		{Name: "_seg", Type: arrow.PrimitiveTypes.Int32},
		{Name: "_off", Type: arrow.PrimitiveTypes.Int64},
	}
	as, _ := s.ArrowSchema()
	for i, f := range as.Fields() {
		if isWideInt(s.Columns[i].Type) {
			f = arrow.Field{Name: f.Name, Type: arrow.BinaryTypes.String, Nullable: f.Nullable}
		}
		fields = append(fields, f)
	}
	return &loader{conn: conn, schema: s, dataset: dataset, firstSeg: firstSeg, segRows: uint64(segRows), as: arrow.NewSchema(fields, nil)}
}

func isWideInt(t datasets.Type) bool { return t == datasets.TypeUint256 || t == datasets.TypeInt256 }

// add converts rec and buffers it; full buffers are inserted.
func (l *loader) add(ctx context.Context, rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	mem := memory.DefaultAllocator
	segB, offB := array.NewInt32Builder(mem), array.NewInt64Builder(mem)
	defer segB.Release()
	defer offB.Release()
	segB.Reserve(n)
	offB.Reserve(n)
	for i := 0; i < n; i++ {
		k := l.next + uint64(i)
		segB.UnsafeAppend(l.firstSeg + int32(k/l.segRows))
		offB.UnsafeAppend(int64(k % l.segRows))
	}
	l.next += uint64(n)
	cols := []arrow.Array{segB.NewArray(), offB.NewArray()}
	for i, c := range l.schema.Columns {
		if isWideInt(c.Type) {
			cols = append(cols, decimalStrings(mem, rec.Column(i).(*array.FixedSizeBinary), c.Type == datasets.TypeInt256))
			continue
		}
		col := rec.Column(i)
		col.Retain()
		cols = append(cols, col)
	}
	out := array.NewRecordBatch(l.as, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	l.pending = append(l.pending, out)
	l.pendRows += n
	if l.pendRows >= loadBatchRows {
		return l.flush(ctx)
	}
	return nil
}

// flush inserts the buffered rows.
func (l *loader) flush(ctx context.Context) error {
	if len(l.pending) == 0 {
		return nil
	}
	defer l.discard()
	l.views++
	view := fmt.Sprintf("_gt_load_%d", l.views)
	return l.conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rr, err := array.NewRecordReader(l.as, l.pending)
		if err != nil {
			return err
		}
		defer rr.Release()
		release, err := ar.RegisterView(rr, view)
		if err != nil {
			return fmt.Errorf("%w: loading rows of %s: %v", ErrCatalog, l.dataset, err)
		}
		defer release()
		ex := dc.(driver.ExecerContext)
		if _, err := ex.ExecContext(ctx, insertSelect(l.schema, l.dataset, view), nil); err != nil {
			return fmt.Errorf("%w: loading rows of %s: %v", ErrCatalog, l.dataset, err)
		}
		_, err = ex.ExecContext(ctx, "DROP VIEW IF EXISTS "+quoteIdent(view), nil)
		return err
	})
}

// discard drops buffered rows.
func (l *loader) discard() {
	for _, r := range l.pending {
		r.Release()
	}
	l.pending, l.pendRows = l.pending[:0], 0
}
