package httpprices

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// point is one parsed observation; ts is in Unix microseconds. item is
// its index in the answer's array (JSON) or its line (CSV); bad lists the
// cells that did not parse (the point holds a placeholder for each).
type point struct {
	ts     int64
	price  float64
	volume float64
	hasVol bool
	item   int
	badTS  bool
	bad    []badCell
}

// badCell is a cell of a point that did not parse.
type badCell struct {
	column, raw, problem string
}

// flag records a bad cell from the error of reading it.
func (pt *point) flag(column string, v any, err error) {
	pt.bad = append(pt.bad, badCell{column: column, raw: rawText(v), problem: err.Error()})
}

// rawText renders a JSON value as read, for bad-value reports.
func rawText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return string(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// parseError is a body that does not map to points: a message and, for
// syntax errors, the wrapped decoder error (which carries the offset).
type parseError struct {
	msg    string
	offset int64 // -1 when unknown
	err    error
}

func (e *parseError) Error() string {
	if e.err != nil {
		return e.msg + ": " + e.err.Error()
	}
	return e.msg
}

func (e *parseError) Unwrap() error { return e.err }

func perr(format string, args ...any) *parseError {
	return &parseError{msg: fmt.Sprintf(format, args...), offset: -1}
}

// timestampUnits maps units to microseconds (0: rfc3339).
var timestampUnits = map[string]int64{"s": 1_000_000, "ms": 1_000, "us": 1, "ns": 0, "rfc3339": 0}

// parser turns answers into points.
type parser struct {
	cfg *Config
}

// parse decodes one answer body.
func (p *parser) parse(body []byte) ([]point, error) {
	if p.cfg.Format == FormatCSV {
		return p.parseCSV(body)
	}
	return p.parseJSON(body)
}

func (p *parser) parseJSON(body []byte) ([]point, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err // a *json.SyntaxError or io.ErrUnexpectedEOF: the caller reports the offset
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &parseError{msg: "data after the JSON document", offset: dec.InputOffset()}
	}
	m := p.cfg.JSON
	rows, err := arrayAt(doc, m.Rows)
	if err != nil {
		return nil, err
	}
	var vols map[int64]float64
	if m.VolumeRows != "" {
		if vols, err = p.volumes(doc); err != nil {
			return nil, err
		}
	}
	out := make([]point, 0, len(rows))
	for i, row := range rows {
		where := fmt.Sprintf("%s[%d]", pathName(m.Rows), i)
		pt := p.jsonPoint(row, where)
		pt.item = i
		if vols != nil {
			pt.volume, pt.hasVol = vols[pt.ts]
		}
		out = append(out, pt)
	}
	return out, nil
}

// volumes reads the separate volume series, keyed by timestamp.
func (p *parser) volumes(doc any) (map[int64]float64, error) {
	m := p.cfg.JSON
	rows, err := arrayAt(doc, m.VolumeRows)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]float64, len(rows))
	for i, row := range rows {
		where := fmt.Sprintf("%s[%d]", pathName(m.VolumeRows), i)
		tv, err := lookup(row, m.Timestamp, where)
		if err != nil {
			return nil, err
		}
		ts, err := p.timestamp(tv, where+pathSuffix(m.Timestamp))
		if err != nil {
			return nil, err
		}
		vv, err := lookup(row, m.Volume, where)
		if err != nil {
			return nil, err
		}
		v, ok, err := number(vv, where+pathSuffix(m.Volume))
		if err != nil {
			return nil, err
		}
		if ok {
			out[ts] = v
		}
	}
	return out, nil
}

// jsonPoint reads one item of the answer's array; cells that do not
// parse are flagged on the point (never an error: one bad item must not
// block the answer).
func (p *parser) jsonPoint(row any, where string) point {
	m := p.cfg.JSON
	var pt point
	tv, err := lookup(row, m.Timestamp, where)
	if err == nil {
		pt.ts, err = p.timestamp(tv, where+pathSuffix(m.Timestamp))
	}
	if err != nil {
		pt.badTS = true
		pt.flag(ColTS, tv, err)
	}
	pv, err := lookup(row, m.Price, where)
	var ok bool
	if err == nil {
		if pt.price, ok, err = number(pv, where+pathSuffix(m.Price)); err == nil && !ok {
			err = perr("%s: the price is null", where+pathSuffix(m.Price))
		}
	}
	if err != nil {
		pt.price = 0
		pt.flag(ColPrice, pv, err)
	}
	if m.Volume != "" && m.VolumeRows == "" {
		vv, err := lookup(row, m.Volume, where)
		if err == nil {
			pt.volume, pt.hasVol, err = number(vv, where+pathSuffix(m.Volume))
		}
		if err != nil {
			pt.volume, pt.hasVol = 0, false
			pt.flag(ColVolume, vv, err)
		}
	}
	return pt
}

func pathName(path string) string {
	if path == "" {
		return "$"
	}
	return path
}

func pathSuffix(path string) string {
	if path == "" {
		return ""
	}
	return "." + path
}

// lookup follows a dot-separated path of keys and indices.
func lookup(v any, path, where string) (any, error) {
	if path == "" {
		return v, nil
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[seg]
			if !ok {
				return nil, perr("%s: no field %q", where, seg)
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil, perr("%s: no element %q in an array of %d", where, seg, len(x))
			}
			v = x[i]
		default:
			return nil, perr("%s: cannot take %q of %s", where, seg, kind(v))
		}
		where += "." + seg
	}
	return v, nil
}

func arrayAt(doc any, path string) ([]any, error) {
	v, err := lookup(doc, path, "$")
	if err != nil {
		return nil, err
	}
	rows, ok := v.([]any)
	if !ok {
		return nil, perr("%s: want an array of points, got %s", pathName(path), kind(v))
	}
	return rows, nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

// number reads a finite number (or a numeric string); ok is false for null.
func number(v any, where string) (f float64, ok bool, err error) {
	var text string
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		text = string(x)
	case string:
		text = strings.TrimSpace(x)
	default:
		return 0, false, perr("%s: want a number, got %s", where, kind(v))
	}
	f, err = strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, perr("%s: want a finite number, got %q", where, text)
	}
	return f, true, nil
}

// timestamp reads a timestamp in the configured unit as Unix microseconds.
func (p *parser) timestamp(v any, where string) (int64, error) {
	unit := p.cfg.TimestampUnit
	var text string
	switch x := v.(type) {
	case json.Number:
		text = string(x)
	case string:
		text = strings.TrimSpace(x)
	default:
		return 0, perr("%s: want a timestamp, got %s", where, kind(v))
	}
	return parseTimestamp(text, unit, where)
}

func parseTimestamp(text, unit, where string) (int64, error) {
	if unit == "rfc3339" {
		t, err := time.Parse(time.RFC3339Nano, text)
		if err != nil {
			return 0, perr("%s: want an RFC 3339 time, got %q", where, text)
		}
		return t.UnixMicro(), nil
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		switch mul := timestampUnits[unit]; {
		case unit == "ns":
			return n / 1000, nil
		case n > math.MaxInt64/mul || n < math.MinInt64/mul:
			return 0, perr("%s: timestamp %s %s is out of range", where, text, unit)
		default:
			return n * mul, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, perr("%s: want a timestamp in %s, got %q", where, unit, text)
	}
	us := f * float64(timestampUnits[unit])
	if unit == "ns" {
		us = f / 1000
	}
	if us > math.MaxInt64/2 || us < math.MinInt64/2 {
		return 0, perr("%s: timestamp %s %s is out of range", where, text, unit)
	}
	return int64(math.Round(us)), nil
}

// parseCSV reads a CSV answer.
func (p *parser) parseCSV(body []byte) ([]point, error) {
	m := p.cfg.CSV
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = []rune(m.Delimiter)[0]
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	cols := map[string]int{}
	var out []point
	for {
		start := r.InputOffset()
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &parseError{msg: fmt.Sprintf("line %d, column %d: not valid CSV", pe.Line, pe.Column), offset: start, err: pe.Err}
			}
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if m.Header && len(cols) == 0 {
			for i, name := range rec {
				cols[strings.TrimSpace(name)] = i
			}
			for _, c := range []string{m.Timestamp, m.Price, m.Volume} {
				if _, ok := colIndex(cols, c); c != "" && !ok {
					return nil, &parseError{msg: fmt.Sprintf("line %d: the header has no column %q", line, c), offset: start}
				}
			}
			continue
		}
		pt := p.csvPoint(rec, cols, line)
		pt.item = line
		out = append(out, pt)
	}
}

// colIndex resolves a column by header name, else by 1-based number.
func colIndex(cols map[string]int, c string) (int, bool) {
	if i, ok := cols[c]; ok {
		return i, true
	}
	n, err := strconv.Atoi(c)
	return n - 1, err == nil && n >= 1
}

// csvPoint reads one CSV record; cells that do not parse are flagged on
// the point.
func (p *parser) csvPoint(rec []string, cols map[string]int, line int) point {
	m := p.cfg.CSV
	cell := func(c string) (string, error) {
		i, _ := colIndex(cols, c)
		if i >= len(rec) {
			return "", perr("line %d: %d fields, column %s is missing", line, len(rec), c)
		}
		return strings.TrimSpace(rec[i]), nil
	}
	var pt point
	ts, err := cell(m.Timestamp)
	if err == nil {
		pt.ts, err = parseTimestamp(ts, p.cfg.TimestampUnit, fmt.Sprintf("line %d, column %s", line, m.Timestamp))
	}
	if err != nil {
		pt.badTS = true
		pt.flag(ColTS, ts, err)
	}
	price, err := cell(m.Price)
	if err == nil {
		var ok bool
		pt.price, ok, err = number(price, fmt.Sprintf("line %d, column %s", line, m.Price))
		if err == nil && (!ok || price == "") {
			err = perr("line %d, column %s: the price is empty", line, m.Price)
		}
	}
	if err != nil {
		pt.price = 0
		pt.flag(ColPrice, price, err)
	}
	if m.Volume != "" {
		v, err := cell(m.Volume)
		if err == nil && v != "" {
			pt.volume, pt.hasVol, err = number(v, fmt.Sprintf("line %d, column %s", line, m.Volume))
		}
		if err != nil {
			pt.volume, pt.hasVol = 0, false
			pt.flag(ColVolume, v, err)
		}
	}
	return pt
}
