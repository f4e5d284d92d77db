package file

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// ctxCheckRows is how often (in rows) a batch checks for cancellation.
const ctxCheckRows = 1024

// batcher converts rows into Arrow records of at most max rows and emits
// them. Errors from emit are returned unchanged.
type batcher struct {
	ctx    context.Context
	s      *Source
	rb     *array.RecordBuilder
	apps   []appender
	src    *array.StringBuilder
	sha    *array.FixedSizeBinaryBuilder
	line   *array.Uint64Builder
	digest []byte
	rows   int
	total  uint64
	emit   sources.Emit
	// bad collects the cells that did not parse (on_bad_value: quarantine)
	bad []sources.BadValue
	// enough is set when emit returned sources.ErrEnough: the readers
	// stop after the row just added, whose record was emitted.
	enough bool
	// skip is the number of leading rows a resumed parquet read discards.
	skip uint64
	// rowsInFile is the parquet file's row count.
	rowsInFile uint64
}

func (s *Source) newBatcher(ctx context.Context, mem memory.Allocator, digest []byte, emit sources.Emit) *batcher {
	rb := array.NewRecordBuilder(mem, s.arrow)
	n := len(s.cfg.Columns)
	b := &batcher{
		ctx: ctx, s: s, rb: rb, digest: digest, emit: emit,
		apps: make([]appender, n),
		src:  rb.Field(n).(*array.StringBuilder),
		sha:  rb.Field(n + 1).(*array.FixedSizeBinaryBuilder),
		line: rb.Field(n + 2).(*array.Uint64Builder),
	}
	for i, col := range s.cfg.Columns {
		b.apps[i] = newAppender(col, s.timeFormats[i], rb.Field(i))
	}
	return b
}

// release frees the builder; rows not flushed are dropped.
func (b *batcher) release() { b.rb.Release() }

// add appends one row read at line (or row) of the file; cells holds one
// cell per declared column.
func (b *batcher) add(line uint64, cells []cell) error {
	for i, c := range cells {
		col := b.s.cfg.Columns[i]
		if c.kind == cellNull {
			if !col.Nullable {
				if err := b.badCell(line, i, c, "empty value, but the column is not nullable"); err != nil {
					return err
				}
				continue
			}
			b.rb.Field(i).AppendNull()
			continue
		}
		if err := b.apps[i](c); err != nil {
			if err := b.badCell(line, i, c, err.Error()); err != nil {
				return err
			}
		}
	}
	b.src.Append(b.s.id)
	b.sha.Append(b.digest)
	b.line.Append(line)
	b.rows++
	b.total++
	if b.rows%ctxCheckRows == 0 {
		if err := b.s.ctxErr(b.ctx); err != nil {
			return err
		}
	}
	if b.rows >= b.s.cfg.BatchRows {
		return b.flush()
	}
	return nil
}

// badCell fails the fetch (on_bad_value: fail) or appends a placeholder
// (null, or the zero value of a column that is not nullable) and records
// the cell.
func (b *batcher) badCell(line uint64, i int, c cell, problem string) error {
	if b.s.cfg.OnBadValue == BadValueFail {
		return b.s.cellErr(line, i, problem)
	}
	fb := b.rb.Field(i)
	if fb.Len() > b.rows {
		// the appender failed after appending (never expected): keep the
		// column aligned
		return b.s.cellErr(line, i, problem)
	}
	if b.s.cfg.Columns[i].Nullable {
		fb.AppendNull()
	} else {
		fb.AppendEmptyValue()
	}
	loc := fmt.Sprintf("%s:%d", b.s.cfg.Path, line)
	if b.s.format == FormatParquet {
		loc = fmt.Sprintf("%s: row %d", b.s.cfg.Path, line)
	}
	b.bad = append(b.bad, sources.BadValue{Row: int(b.total), Column: b.s.cfg.Columns[i].Name, Raw: c.text(), Locator: loc, Problem: problem})
	return nil
}

// flush emits the rows built so far, if any.
func (b *batcher) flush() error {
	if b.rows == 0 {
		return nil
	}
	if err := b.s.ctxErr(b.ctx); err != nil {
		return err
	}
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.rows = 0
	err := b.emit(rec)
	if errors.Is(err, sources.ErrEnough) {
		b.enough = true
	}
	return err
}

// finish flushes the last rows at the end of the input; ErrEnough for
// them is an ordinary end.
func (b *batcher) finish() error {
	if err := b.flush(); err != nil && !b.enough {
		return err
	}
	return nil
}

// cellErr reports a bad value of declared column i.
func (s *Source) cellErr(line uint64, i int, msg string) error {
	e := s.inputErr(line, "%s", msg)
	e.Column, e.Input = s.cfg.Columns[i].Name, s.inputName(i)
	return e
}
