package file

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// readJSONL reads one JSON object per line; blank lines are skipped.
func (s *Source) readJSONL(rd *textRead) error {
	br := bufio.NewReaderSize(rd.body, 64<<10)
	p := s.newJSONParser()
	off, line := rd.start, rd.line
	for {
		raw, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return s.wrapIO(rd.ctx, err)
		}
		if len(bytes.TrimSpace(raw)) > 0 {
			cells, perr := p.parse(bytes.TrimRight(raw, "\r\n"), off, line)
			if perr != nil {
				return perr
			}
			if aerr := rd.b.add(line, cells); aerr != nil {
				return rd.stopped(aerr, off+int64(len(raw)))
			}
		}
		if err != nil {
			return nil
		}
		off += int64(len(raw))
		line++
	}
}

// jsonParser decodes the fields of a line that the columns read.
type jsonParser struct {
	s      *Source
	fields map[string]int // input field → declared column
	cells  []cell
	seen   map[string]bool
}

func (s *Source) newJSONParser() *jsonParser {
	p := &jsonParser{s: s, fields: map[string]int{}, cells: make([]cell, len(s.cfg.Columns)), seen: map[string]bool{}}
	for i := range s.cfg.Columns {
		p.fields[s.inputName(i)] = i
	}
	return p
}

// syntaxErr reports malformed JSON at byte off of the file.
func (p *jsonParser) syntaxErr(line uint64, off int64, format string, args ...any) error {
	e := p.s.inputErr(line, format, args...)
	e.Offset = off
	return e
}

// parse decodes one line (starting at byte off of the file).
func (p *jsonParser) parse(raw []byte, off int64, line uint64) ([]cell, error) {
	if !utf8.Valid(raw) {
		return nil, p.syntaxErr(line, off+int64(invalidUTF8At(string(raw))), "invalid UTF-8")
	}
	clear(p.seen)
	for i := range p.cells {
		p.cells[i] = cell{kind: cellNull}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, p.syntaxErr(line, off, "want a JSON object on each line")
	}
	for dec.More() {
		if err := p.field(dec, line); err != nil {
			return nil, p.decodeErr(err, dec, line, off)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.decodeErr(err, dec, line, off)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := raw[end:]
		at := end + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r")))
		return nil, p.syntaxErr(line, off+at, "unexpected data after the JSON object")
	}
	return p.cells, nil
}

// field decodes one key and its value.
func (p *jsonParser) field(dec *json.Decoder, line uint64) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	key, _ := tok.(string)
	if p.seen[key] {
		return &dupKeyError{key: key}
	}
	p.seen[key] = true
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if i, ok := p.fields[key]; ok {
		c, err := jsonCell(v)
		if err != nil {
			return p.s.cellErr(line, i, err.Error())
		}
		p.cells[i] = c
	}
	return nil
}

type dupKeyError struct{ key string }

func (e *dupKeyError) Error() string { return fmt.Sprintf("key %q appears twice in the object", e.key) }

// decodeErr maps a decoding error to an InputError with its byte offset.
func (p *jsonParser) decodeErr(err error, dec *json.Decoder, line uint64, off int64) error {
	var ie *InputError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &ie):
		return err
	case errors.As(err, &se):
		return p.syntaxErr(line, off+se.Offset, "invalid JSON: %v", se)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return p.syntaxErr(line, off+dec.InputOffset(), "invalid JSON: the object is not closed")
	}
	return p.syntaxErr(line, off+dec.InputOffset(), "invalid JSON: %v", err)
}

// jsonCell converts a raw JSON value into a cell.
func jsonCell(v json.RawMessage) (cell, error) {
	switch v[0] {
	case 'n':
		return cell{kind: cellNull}, nil
	case 't', 'f':
		return cell{kind: cellBool, b: v[0] == 't'}, nil
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return cell{}, err
		}
		return cell{kind: cellText, s: s}, nil
	case '{':
		return cell{}, errors.New("got a JSON object, want a single value")
	case '[':
		return cell{}, errors.New("got a JSON array, want a single value")
	}
	return cell{kind: cellNumber, s: string(v)}, nil
}
