package gaming

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Elem is one element of a list column.
type Elem struct {
	// Text is the element as text (a string's contents, a number's digits).
	Text string
	// Bytes holds the value of a Python bytes literal (b'\x00...').
	Bytes []byte
	// IsBytes is true for Python bytes literals.
	IsBytes bool
}

// ErrList means a list column cannot be parsed.
var ErrList = errors.New("cannot parse list")

// ParseList parses a list column: a JSON array of strings or numbers
// (["0xab", "0xcd"], [0, 1]) or a Python list literal as pandas writes it
// (['0xab', 'cd'], [b'\x00\x01', b'3T'], [0, 0]). An empty string is an
// empty list.
func ParseList(s string) ([]Elem, error) {
	p := &listParser{s: strings.TrimSpace(s)}
	if p.s == "" {
		return nil, nil
	}
	return p.list()
}

type listParser struct {
	s   string
	pos int
}

func (p *listParser) errf(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrList, p.pos, fmt.Sprintf(format, args...))
}

func (p *listParser) skipSpace() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *listParser) list() ([]Elem, error) {
	if p.s[0] != '[' {
		return nil, p.errf("want '['")
	}
	p.pos = 1
	var out []Elem
	for {
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, p.errf("unterminated list")
		}
		if p.s[p.pos] == ']' && len(out) == 0 {
			p.pos++
			break
		}
		e, err := p.elem()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, p.errf("unterminated list")
		}
		if c := p.s[p.pos]; c == ']' {
			p.pos++
			break
		} else if c != ',' {
			return nil, p.errf("want ',' or ']', got %q", c)
		}
		p.pos++
	}
	if p.skipSpace(); p.pos != len(p.s) {
		return nil, p.errf("text after the list")
	}
	return out, nil
}

func (p *listParser) elem() (Elem, error) {
	c := p.s[p.pos]
	switch {
	case c == 'b' && p.pos+1 < len(p.s) && (p.s[p.pos+1] == '\'' || p.s[p.pos+1] == '"'):
		p.pos++
		b, err := p.quoted(true)
		return Elem{Bytes: []byte(b), IsBytes: true, Text: b}, err
	case c == '\'' || c == '"':
		s, err := p.quoted(false)
		return Elem{Text: s}, err
	}
	start := p.pos
	for p.pos < len(p.s) && strings.IndexByte("0123456789+-.eExabcdefABCDEF", p.s[p.pos]) >= 0 {
		p.pos++
	}
	if p.pos == start {
		return Elem{}, p.errf("unexpected %q", c)
	}
	return Elem{Text: p.s[start:p.pos]}, nil
}

// quoted reads a quoted string with Python (and JSON) escapes.
func (p *listParser) quoted(isBytes bool) (string, error) {
	q := p.s[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String(), nil
		case c == '\\':
			if err := p.escape(&b, isBytes); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errf("unterminated string")
}

func (p *listParser) escape(b *strings.Builder, isBytes bool) error {
	if p.pos+1 >= len(p.s) {
		return p.errf("dangling backslash")
	}
	c := p.s[p.pos+1]
	p.pos += 2
	simple := map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', '\\': '\\', '\'': '\'', '"': '"', '0': 0, '/': '/', 'b': '\b', 'f': '\f'}
	if v, ok := simple[c]; ok {
		b.WriteByte(v)
		return nil
	}
	width := map[byte]int{'x': 2, 'u': 4}[c]
	if width == 0 || (isBytes && c == 'u') || p.pos+width > len(p.s) {
		return p.errf("bad escape \\%c", c)
	}
	v, err := hex.DecodeString(p.s[p.pos : p.pos+width])
	if err != nil {
		return p.errf("bad escape \\%c%s", c, p.s[p.pos:p.pos+width])
	}
	p.pos += width
	if c == 'x' {
		b.WriteByte(v[0])
	} else {
		b.WriteRune(rune(v[0])<<8 | rune(v[1]))
	}
	return nil
}

// HexOrBytes returns an element's bytes: a bytes literal as is, a 0x hex
// string decoded.
func (e Elem) HexOrBytes() ([]byte, error) {
	if e.IsBytes {
		return e.Bytes, nil
	}
	h := strings.TrimPrefix(strings.TrimPrefix(e.Text, "0x"), "0X")
	if len(h)%2 == 1 {
		h = "0" + h
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("%w: element %q is neither bytes nor hex", ErrList, clip(e.Text))
	}
	return b, nil
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
