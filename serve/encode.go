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
// batch at a time (sliced to the range), with the index of its first row,
// and returns the number of rows given to fn. Segments before begin are
// skipped without being read; each segment is checked against its attested
// hash before it is read, and between batches it stops when the version
// stops being servable or ctx is done. Fewer rows than the manifest
// promises is ErrCorrupt.
func (s *Server) eachBatch(ctx context.Context, v *versionState, begin, end uint64, fn func(rec arrow.RecordBatch, first uint64) error) (uint64, error) {
	return s.eachBatchOf(ctx, v, begin, end, false, fn)
}

// eachBatchOf is eachBatch; with small, a segment whose row blocks this
// process has already built from the hash-checked segment (rowCache) is
// read from them, 256 rows at a time (see smallBatches), instead of
// decoding its batches of about 65,536 rows, as long as the block file
// keeps the identity it had when it was built (checked before and after
// the read; an edit aborts the response). Block files found on disk from
// an earlier process are never read here.
func (s *Server) eachBatchOf(ctx context.Context, v *versionState, begin, end uint64, small bool, fn func(rec arrow.RecordBatch, first uint64) error) (uint64, error) {
	if begin >= end {
		return 0, nil
	}
	m := v.manifest
	starts := segmentStarts(m)
	first, _ := segmentOf(starts, begin)
	last, _ := segmentOf(starts, end-1)
	var n uint64
	for i := first; i <= last; i++ {
		got, err := s.segmentBatches(ctx, v, i, starts[i], begin, end, small, fn)
		n += got
		if err != nil {
			return n, err
		}
	}
	if n != end-begin {
		return n, fmt.Errorf("%w: %s: the segments hold %d of rows %d-%d, the manifest promises %d", ErrCorrupt, v.ref(), n, begin, end-1, end-begin)
	}
	return n, nil
}

// segmentBatches is eachBatch over segment i, whose first row is pos.
func (s *Server) segmentBatches(ctx context.Context, v *versionState, i int, pos, begin, end uint64, small bool, fn func(rec arrow.RecordBatch, first uint64) error) (uint64, error) {
	m := v.manifest
	if err := s.verifySegment(v, &m.Segments[i]); err != nil {
		return 0, err
	}
	if small {
		if rb := s.rows.cached(m.Segments[i].SHA256); rb != nil {
			return s.smallBatches(ctx, v, rb, pos, begin, end, fn)
		}
	}
	sr, err := s.integ.openChecked(m.Segments[i], &m.Schema)
	if err != nil {
		return 0, err
	}
	defer sr.Close()
	n, err := s.sliceBatches(ctx, v, sr.NumBatches(), sr.Batch, pos, begin, end, fn)
	if err != nil {
		return n, err
	}
	if err := sr.done(); err != nil { // the segment was rewritten while it was read
		return n, err
	}
	return n, nil
}

// sliceBatches calls fn with the part within [begin, end) of each of the
// n batches that get returns, the first starting at row pos.
func (s *Server) sliceBatches(ctx context.Context, v *versionState, nb int, get func(int) (arrow.RecordBatch, error), pos, begin, end uint64, fn func(rec arrow.RecordBatch, first uint64) error) (uint64, error) {
	var n uint64
	for b := 0; b < nb && pos < end; b++ {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if err := s.refuse(v); err != nil {
			return n, err
		}
		rec, err := get(b)
		if err != nil {
			return n, err
		}
		rows := uint64(rec.NumRows())
		lo, hi := max(begin, pos), min(end, pos+rows)
		if lo < hi {
			part := rec.NewSlice(int64(lo-pos), int64(hi-pos))
			err = fn(part, lo)
			part.Release()
			n += hi - lo
		}
		rec.Release()
		pos += rows
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// streamUnsentBytes bounds what a rendered download (JSONL, CSV, a
// selection) holds ahead of its client: the response buffer and the
// socket's unsent bytes (paceDownload) are each this large.
const streamUnsentBytes = 64 << 10

// writeRows streams a selection of a version in a format and returns the
// number of rows written; the connection is paced by its client
// (paceDownload).
func (s *Server) writeRows(ctx context.Context, w io.Writer, v *versionState, format string, sel selection, begin, end uint64) (uint64, error) {
	paceDownload(ctx)
	bw := bufio.NewWriterSize(w, streamUnsentBytes)
	var n uint64
	var err error
	switch format {
	case FormatArrow:
		n, err = s.writeArrow(ctx, bw, v, sel, begin, end)
	case FormatJSONL:
		n, err = s.writeJSONL(ctx, bw, v, sel, begin, end)
	default:
		n, err = s.writeCSV(ctx, bw, v, sel, begin, end)
	}
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
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

func (s *Server) writeArrow(ctx context.Context, w io.Writer, v *versionState, sel selection, begin, end uint64) (uint64, error) {
	out, err := selectedSchema(&v.manifest.Schema, sel)
	if err != nil {
		return 0, err
	}
	iw := ipc.NewWriter(w, ipc.WithSchema(out))
	n, err := s.eachBatch(ctx, v, begin, end, func(rec arrow.RecordBatch, first uint64) error {
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
		return n, err
	}
	return n, iw.Close()
}

func (s *Server) writeJSONL(ctx context.Context, w *bufio.Writer, v *versionState, sel selection, begin, end uint64) (uint64, error) {
	sch := &v.manifest.Schema
	keys := make([][]byte, len(sel.cols))
	for i, c := range sel.cols {
		keys[i] = append(api.AppendJSONString(nil, sch.Columns[c].Name), ':')
	}
	rowKey := append(api.AppendJSONString(nil, RowColumn), ':')
	buf := make([]byte, 0, 4096)
	return s.eachBatchOf(ctx, v, begin, end, true, func(rec arrow.RecordBatch, first uint64) error {
		for r := 0; r < int(rec.NumRows()); r++ {
			buf = append(buf[:0], '{')
			for i, c := range sel.cols {
				if i == sel.rowPos {
					buf = fmt.Appendf(append(buf, rowKey...), "\"%d\",", first+uint64(r))
				}
				buf = append(buf, keys[i]...)
				buf = sel.form.AppendJSON(buf, rec.Column(c), sch.Columns[c].Type, r)
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

func (s *Server) writeCSV(ctx context.Context, w io.Writer, v *versionState, sel selection, begin, end uint64) (uint64, error) {
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
		return 0, err
	}
	rec := make([]string, n)
	var buf []byte
	rows, err := s.eachBatchOf(ctx, v, begin, end, true, func(b arrow.RecordBatch, first uint64) error {
		for r := 0; r < int(b.NumRows()); r++ {
			rec = rec[:0]
			for i, c := range sel.cols {
				if i == sel.rowPos {
					rec = append(rec, fmt.Sprint(first+uint64(r)))
				}
				buf = sel.form.AppendText(buf[:0], b.Column(c), sch.Columns[c].Type, r)
				rec = append(rec, api.CSVCell(string(buf)))
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
		return rows, err
	}
	cw.Flush()
	return rows, cw.Error()
}
