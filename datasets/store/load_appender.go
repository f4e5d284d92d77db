//go:build !duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"
	"github.com/holiman/uint256"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// loader copies a version's new rows into the catalog's data table. This is
// the portable variant for builds without the duckdb_arrow tag: rows go
// through DuckDB's appender into a temporary staging table, then one INSERT
// converts them like the Arrow variant does. It is slower; the Makefile
// builds with the tag.
type loader struct {
	conn     *sql.Conn
	schema   *datasets.Schema
	dataset  string
	firstSeg int32
	segRows  uint64
	next     uint64
	staged   int
	stage    string
}

const loadBatchRows = 1 << 16

func newLoader(conn *sql.Conn, s *datasets.Schema, dataset string, firstSeg int32, segRows int) *loader {
	return &loader{conn: conn, schema: s, dataset: dataset, firstSeg: firstSeg, segRows: uint64(segRows), stage: "_gt_stage_" + dataset}
}

func isWideInt(t datasets.Type) bool { return t == datasets.TypeUint256 || t == datasets.TypeInt256 }

func (l *loader) ensureStage(ctx context.Context) error {
	cols := []string{"_seg INTEGER", "_off BIGINT"}
	for _, c := range l.schema.Columns {
		t := sqlType(c.Type)
		switch {
		case isWideInt(c.Type):
			t = "VARCHAR"
		case c.Type == datasets.TypeAddress || c.Type == datasets.TypeBytes32:
			t = "BLOB"
		}
		cols = append(cols, quoteIdent(c.Name)+" "+t)
	}
	_, err := l.conn.ExecContext(ctx, fmt.Sprintf("CREATE TEMP TABLE IF NOT EXISTS %s (%s)", quoteIdent(l.stage), strings.Join(cols, ", ")))
	return err
}

func (l *loader) add(ctx context.Context, rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return nil
	}
	if err := l.ensureStage(ctx); err != nil {
		return fmt.Errorf("%w: staging rows of %s: %v", ErrCatalog, l.dataset, err)
	}
	err := l.conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", l.stage)
		if err != nil {
			return err
		}
		row := make([]driver.Value, 2+len(l.schema.Columns))
		for i := 0; i < int(rec.NumRows()); i++ {
			k := l.next + uint64(i)
			row[0], row[1] = l.firstSeg+int32(k/l.segRows), int64(k%l.segRows)
			for c := range l.schema.Columns {
				row[2+c] = value(l.schema.Columns[c].Type, rec.Column(c), i)
			}
			if err := app.AppendRow(row...); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
	if err != nil {
		return fmt.Errorf("%w: staging rows of %s: %v", ErrCatalog, l.dataset, err)
	}
	l.next += uint64(rec.NumRows())
	l.staged += int(rec.NumRows())
	if l.staged >= loadBatchRows {
		return l.flush(ctx)
	}
	return nil
}

// value returns row i of a column of logical type t as a driver value.
func value(t datasets.Type, col arrow.Array, i int) driver.Value {
	if col.IsNull(i) {
		return nil
	}
	switch a := col.(type) {
	case *array.FixedSizeBinary:
		if isWideInt(t) {
			var v uint256.Int
			v.SetBytes32(a.Value(i))
			return string(appendDecimal(nil, &v, t == datasets.TypeInt256))
		}
		return append([]byte(nil), a.Value(i)...)
	case *array.Timestamp:
		return a.Value(i).ToTime(arrow.Microsecond)
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...)
	}
	return col.GetOneForMarshal(i)
}

func (l *loader) flush(ctx context.Context) error {
	if l.staged == 0 {
		return nil
	}
	q := insertSelect(l.schema, l.dataset, l.stage)
	if _, err := l.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("%w: loading rows of %s: %v", ErrCatalog, l.dataset, err)
	}
	_, err := l.conn.ExecContext(ctx, "DELETE FROM "+quoteIdent(l.stage))
	l.staged = 0
	return err
}

func (l *loader) discard() { l.staged = 0 }
