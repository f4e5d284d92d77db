package serve

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// eachBatch calls fn with the rows [begin, end) of a version, a record
// batch at a time (sliced to the range), with the index of its first row.
// Segments before begin are skipped without being read; between batches it
// stops when the version stops being servable or ctx is done.
func (s *Server) eachBatch(ctx context.Context, v *versionState, begin, end uint64, fn func(rec arrow.RecordBatch, first uint64) error) error {
	if begin >= end {
		return nil
	}
	m := v.manifest
	starts := segmentStarts(m)
	first, _ := segmentOf(starts, begin)
	last, _ := segmentOf(starts, end-1)
	for i := first; i <= last; i++ {
		sr, err := datasets.OpenSegment(s.cfg.Catalog.Root(), m.Segments[i], &m.Schema)
		if err != nil {
			return err
		}
		pos := starts[i]
		for b := 0; b < sr.NumBatches() && pos < end; b++ {
			if err := ctx.Err(); err != nil {
				sr.Close()
				return err
			}
			if err := v.servable(); err != nil {
				sr.Close()
				return err
			}
			rec, err := sr.Batch(b)
			if err != nil {
				sr.Close()
				return err
			}
			n := uint64(rec.NumRows())
			lo, hi := max(begin, pos), min(end, pos+n)
			if lo < hi {
				part := rec.NewSlice(int64(lo-pos), int64(hi-pos))
				err = fn(part, lo)
				part.Release()
			}
			rec.Release()
			pos += n
			if err != nil {
				sr.Close()
				return err
			}
		}
		sr.Close()
	}
	return nil
}

// writeRows streams a selection of a version in a format.
func (s *Server) writeRows(ctx context.Context, w io.Writer, v *versionState, format string, sel selection, begin, end uint64) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var err error
	switch format {
	case FormatArrow:
		err = s.writeArrow(ctx, bw, v, sel, begin, end)
	case FormatJSONL:
		err = s.writeJSONL(ctx, bw, v, sel, begin, end)
	default:
		err = s.writeCSV(ctx, bw, v, sel, begin, end)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// selectedSchema is the Arrow schema of a selection.
func selectedSchema(sch *datasets.Schema, sel selection) (*arrow.Schema, error) {
	as, err := sch.ArrowSchema()
	if err != nil {
		return nil, err
	}
	var fields []arrow.Field
	for i, c := range sel.cols {
		if i == sel.rowPos {
			fields = append(fields, arrow.Field{Name: RowColumn, Type: arrow.PrimitiveTypes.Uint64})
		}
		fields = append(fields, as.Field(c))
	}
	if sel.rowPos == len(sel.cols) {
		fields = append(fields, arrow.Field{Name: RowColumn, Type: arrow.PrimitiveTypes.Uint64})
	}
	return arrow.NewSchema(fields, nil), nil
}

func rowIndexes(first uint64, n int) arrow.Array {
	b := array.NewUint64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		b.UnsafeAppend(first + uint64(i))
	}
	return b.NewArray()
}

func (s *Server) writeArrow(ctx context.Context, w io.Writer, v *versionState, sel selection, begin, end uint64) error {
	out, err := selectedSchema(&v.manifest.Schema, sel)
	if err != nil {
		return err
	}
	iw := ipc.NewWriter(w, ipc.WithSchema(out))
	err = s.eachBatch(ctx, v, begin, end, func(rec arrow.RecordBatch, first uint64) error {
		var cols []arrow.Array
		var rows arrow.Array
		if sel.rowPos >= 0 {
			rows = rowIndexes(first, int(rec.NumRows()))
			defer rows.Release()
		}
		for i, c := range sel.cols {
			if i == sel.rowPos {
				cols = append(cols, rows)
			}
			cols = append(cols, rec.Column(c))
		}
		if sel.rowPos == len(sel.cols) {
			cols = append(cols, rows)
		}
		p := array.NewRecordBatch(out, cols, rec.NumRows())
		defer p.Release()
		return iw.Write(p)
	})
	if err != nil {
		return err
	}
	return iw.Close()
}

func (s *Server) writeJSONL(ctx context.Context, w *bufio.Writer, v *versionState, sel selection, begin, end uint64) error {
	sch := &v.manifest.Schema
	keys := make([][]byte, len(sel.cols))
	for i, c := range sel.cols {
		keys[i] = append(api.AppendJSONString(nil, sch.Columns[c].Name), ':')
	}
	rowKey := append(api.AppendJSONString(nil, RowColumn), ':')
	buf := make([]byte, 0, 4096)
	return s.eachBatch(ctx, v, begin, end, func(rec arrow.RecordBatch, first uint64) error {
		for r := 0; r < int(rec.NumRows()); r++ {
			buf = append(buf[:0], '{')
			for i, c := range sel.cols {
				if i == sel.rowPos {
					buf = fmt.Appendf(append(buf, rowKey...), "\"%d\",", first+uint64(r))
				}
				buf = append(buf, keys[i]...)
				buf = api.AppendJSON(buf, rec.Column(c), sch.Columns[c].Type, r)
				buf = append(buf, ',')
			}
			if sel.rowPos == len(sel.cols) {
				buf = fmt.Appendf(append(buf, rowKey...), "\"%d\",", first+uint64(r))
			}
			if buf[len(buf)-1] == ',' {
				buf = buf[:len(buf)-1]
			}
			buf = append(buf, '}', '\n')
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Server) writeCSV(ctx context.Context, w io.Writer, v *versionState, sel selection, begin, end uint64) error {
	sch := &v.manifest.Schema
	cw := csv.NewWriter(w)
	n := len(sel.cols)
	if sel.rowPos >= 0 {
		n++
	}
	header := make([]string, 0, n)
	for i, c := range sel.cols {
		if i == sel.rowPos {
			header = append(header, RowColumn)
		}
		header = append(header, sch.Columns[c].Name)
	}
	if sel.rowPos == len(sel.cols) {
		header = append(header, RowColumn)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, n)
	var buf []byte
	err := s.eachBatch(ctx, v, begin, end, func(b arrow.RecordBatch, first uint64) error {
		for r := 0; r < int(b.NumRows()); r++ {
			rec = rec[:0]
			for i, c := range sel.cols {
				if i == sel.rowPos {
					rec = append(rec, fmt.Sprint(first+uint64(r)))
				}
				buf = api.AppendText(buf[:0], b.Column(c), sch.Columns[c].Type, r)
				rec = append(rec, string(buf))
			}
			if sel.rowPos == len(sel.cols) {
				rec = append(rec, fmt.Sprint(first+uint64(r)))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
