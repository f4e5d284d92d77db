package file

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// textRead is the state of one read of a CSV or JSONL file.
type textRead struct {
	ctx   context.Context
	f     readFile
	body  io.Reader // the file from start to its end
	start int64     // offset of body in the file
	line  uint64    // line number at start
	b     *batcher
	// stop is the offset after the last emitted record when the batcher
	// was told enough (b.enough), else 0.
	stop int64
}

// stopped records where the read stopped when err is the batcher's
// sources.ErrEnough (next is the offset after the row just added) and
// clears err then.
func (rd *textRead) stopped(err error, next int64) error {
	if err != nil && rd.b.enough {
		rd.stop = next
		return nil
	}
	return err
}

const utf8BOM = "\uFEFF"

func (s *Source) newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma, _ = utf8.DecodeRuneInString(s.cfg.Delimiter)
	cr.ReuseRecord = true
	return cr
}

// readCSV reads the records of body.
func (s *Source) readCSV(rd *textRead) error {
	cr := s.newCSVReader(rd.body)
	idx, err := s.csvColumns(rd, cr)
	if err != nil {
		return err
	}
	cells := make([]cell, len(idx))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return s.csvErr(rd, err)
		}
		line, _ := cr.FieldPos(0)
		at := rd.line + uint64(line) - 1
		for i, j := range idx {
			if j >= len(rec) {
				return s.cellErr(at, i, fmt.Sprintf("the record has %d fields, the column is field %d", len(rec), j+1))
			}
			cells[i] = textCell(rec[j])
		}
		if err := rd.b.add(at, cells); err != nil {
			return rd.stopped(err, rd.start+cr.InputOffset())
		}
	}
}

func textCell(v string) cell {
	if v == "" {
		return cell{kind: cellNull}
	}
	return cell{kind: cellText, s: v}
}

// csvColumns returns, for each declared column, its field index. With a
// header it reads the header: from body when reading from the start, else
// from the beginning of the file.
func (s *Source) csvColumns(rd *textRead, cr *csv.Reader) ([]int, error) {
	idx := make([]int, len(s.cfg.Columns))
	if !s.cfg.Header {
		for i, c := range s.cfg.Columns {
			idx[i], _ = fieldNumber(c, i)
		}
		return idx, nil
	}
	hr := cr
	if rd.start > 0 {
		hr = s.newCSVReader(io.NewSectionReader(rd.f, 0, rd.start))
	}
	header, err := hr.Read()
	if errors.Is(err, io.EOF) {
		return nil, s.inputErr(0, "the file has no header line, but a header is required")
	}
	if err != nil {
		return nil, s.csvErr(&textRead{ctx: rd.ctx, line: 1}, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], utf8BOM)
	}
	cr.FieldsPerRecord = len(header)
	return s.mapHeader(header)
}

// mapHeader finds each declared column's input column in the header.
func (s *Source) mapHeader(header []string) ([]int, error) {
	pos := make(map[string]int, len(header))
	dup := map[string]bool{}
	for i, h := range header {
		if _, ok := pos[h]; ok {
			dup[h] = true
		}
		pos[h] = i
	}
	idx := make([]int, len(s.cfg.Columns))
	for i := range s.cfg.Columns {
		name := s.inputName(i)
		j, ok := pos[name]
		if !ok {
			return nil, s.cellErr(1, i, fmt.Sprintf("input column %q is not in the header (it has: %s)", name, headerList(header)))
		}
		if dup[name] {
			return nil, s.cellErr(1, i, fmt.Sprintf("input column %q appears more than once in the header", name))
		}
		idx[i] = j
	}
	return idx, nil
}

func headerList(h []string) string {
	const max = 12
	if len(h) > max {
		return strings.Join(h[:max], ", ") + fmt.Sprintf(", … (%d in all)", len(h))
	}
	return strings.Join(h, ", ")
}

// csvErr turns an encoding/csv error into an InputError.
func (s *Source) csvErr(rd *textRead, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return s.wrapIO(rd.ctx, err)
	}
	e := s.inputErr(rd.line+uint64(pe.StartLine)-1, "CSV: %v", pe.Err)
	if pe.Line != pe.StartLine || pe.Column > 0 {
		e.Msg = fmt.Sprintf("CSV: %v (at line %d, column %d)", pe.Err, rd.line+uint64(pe.Line)-1, pe.Column)
	}
	return e
}
