package fakeapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// gqlField is one field of a parsed selection set.
type gqlField struct {
	Alias, Name string
	Args        map[string]any // int64, float64, string, bool, nil, enum, []any, map[string]any
	Sel         []*gqlField
	Line, Col   int
}

// key is the field's name in the response.
func (f *gqlField) key() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// enum is a GraphQL enum literal (asc, desc).
type enum string

// gqlError is a GraphQL error with its position.
type gqlError struct {
	Msg       string
	Line, Col int
	path      string // the response key of the field that failed, if any
}

func (e *gqlError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// gqlParser is a recursive-descent parser for the subset of GraphQL the
// hub's clients send: one query operation (named or anonymous, with
// variable definitions), fields with aliases and arguments, nested
// selection sets. Fragments and directives are rejected.
type gqlParser struct {
	src       string
	pos       int
	line, col int
	vars      map[string]any
}

// parseQuery parses src and resolves $variables from vars.
func parseQuery(src string, vars map[string]any) (fields []*gqlField, err error) {
	p := &gqlParser{src: src, line: 1, col: 1, vars: vars}
	defer func() {
		if r := recover(); r != nil {
			ge, ok := r.(*gqlError)
			if !ok {
				panic(r)
			}
			fields, err = nil, ge
		}
	}()
	p.skip()
	if p.peekName() == "query" {
		p.name()
		p.skip()
		if isNameStart(p.cur()) {
			p.name()
			p.skip()
		}
		if p.cur() == '(' {
			p.varDefs()
		}
	} else if n := p.peekName(); n != "" {
		p.fail("Syntax Error: Unexpected Name %q.", n)
	}
	fields = p.selectionSet()
	p.skip()
	if p.pos < len(p.src) {
		p.fail("Syntax Error: Unexpected %q.", string(p.cur()))
	}
	return fields, nil
}

func (p *gqlParser) fail(format string, args ...any) {
	panic(&gqlError{Msg: fmt.Sprintf(format, args...), Line: p.line, Col: p.col})
}

func (p *gqlParser) cur() byte {
	if p.pos >= len(p.src) {
		return 0
	}
	return p.src[p.pos]
}

func (p *gqlParser) advance() {
	if p.cur() == '\n' {
		p.line, p.col = p.line+1, 1
	} else {
		p.col++
	}
	p.pos++
}

// skip skips whitespace, commas and comments.
func (p *gqlParser) skip() {
	for p.pos < len(p.src) {
		switch c := p.cur(); {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == 0xEF || c == 0xBB || c == 0xBF:
			p.advance()
		case c == '#':
			for p.pos < len(p.src) && p.cur() != '\n' {
				p.advance()
			}
		default:
			return
		}
	}
}

func (p *gqlParser) expect(c byte) {
	p.skip()
	if p.cur() != c {
		if p.pos >= len(p.src) {
			p.fail("Syntax Error: Expected %q, found <EOF>.", string(c))
		}
		p.fail("Syntax Error: Expected %q, found %q.", string(c), string(p.cur()))
	}
	p.advance()
}

func isNameStart(c byte) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isNameChar(c byte) bool  { return isNameStart(c) || (c >= '0' && c <= '9') }

func (p *gqlParser) peekName() string {
	i := p.pos
	for i < len(p.src) && isNameChar(p.src[i]) {
		i++
	}
	if i == p.pos || !isNameStart(p.src[p.pos]) {
		return ""
	}
	return p.src[p.pos:i]
}

func (p *gqlParser) name() string {
	p.skip()
	n := p.peekName()
	if n == "" {
		if p.pos >= len(p.src) {
			p.fail("Syntax Error: Expected Name, found <EOF>.")
		}
		p.fail("Syntax Error: Expected Name, found %q.", string(p.cur()))
	}
	for range n {
		p.advance()
	}
	return n
}

// varDefs skips ($name: Type = default, ...); defaults fill unset variables.
func (p *gqlParser) varDefs() {
	p.expect('(')
	for {
		p.skip()
		if p.cur() == ')' {
			p.advance()
			return
		}
		p.expect('$')
		name := p.name()
		p.expect(':')
		p.typeRef()
		p.skip()
		if p.cur() == '=' {
			p.advance()
			v := p.value(true)
			if _, ok := p.vars[name]; !ok {
				p.vars[name] = v
			}
		}
	}
}

func (p *gqlParser) typeRef() {
	p.skip()
	if p.cur() == '[' {
		p.advance()
		p.typeRef()
		p.expect(']')
	} else {
		p.name()
	}
	p.skip()
	if p.cur() == '!' {
		p.advance()
	}
}

func (p *gqlParser) selectionSet() []*gqlField {
	p.expect('{')
	var out []*gqlField
	for {
		p.skip()
		switch p.cur() {
		case '}':
			p.advance()
			if len(out) == 0 {
				p.fail("Syntax Error: Expected Name, found \"}\".")
			}
			return out
		case '.':
			p.fail("Syntax Error: fragments are not supported by this stand-in.")
		case '@':
			p.fail("Syntax Error: directives are not supported by this stand-in.")
		}
		out = append(out, p.field())
	}
}

func (p *gqlParser) field() *gqlField {
	p.skip()
	f := &gqlField{Line: p.line, Col: p.col}
	f.Name = p.name()
	p.skip()
	if p.cur() == ':' {
		p.advance()
		f.Alias, f.Name = f.Name, p.name()
		p.skip()
	}
	if p.cur() == '(' {
		p.advance()
		f.Args = map[string]any{}
		for {
			p.skip()
			if p.cur() == ')' {
				p.advance()
				break
			}
			n := p.name()
			p.expect(':')
			f.Args[n] = p.value(false)
		}
		p.skip()
	}
	if p.cur() == '{' {
		f.Sel = p.selectionSet()
	}
	return f
}

// value parses a value literal; constant forbids variables.
func (p *gqlParser) value(constant bool) any {
	p.skip()
	switch c := p.cur(); {
	case c == '$' && !constant:
		p.advance()
		n := p.name()
		return p.vars[n]
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == '[':
		p.advance()
		out := []any{}
		for {
			p.skip()
			if p.cur() == ']' {
				p.advance()
				return out
			}
			out = append(out, p.value(constant))
		}
	case c == '{':
		p.advance()
		out := map[string]any{}
		for {
			p.skip()
			if p.cur() == '}' {
				p.advance()
				return out
			}
			n := p.name()
			p.expect(':')
			out[n] = p.value(constant)
		}
	case isNameStart(c):
		switch n := p.name(); n {
		case "true":
			return true
		case "false":
			return false
		case "null":
			return nil
		default:
			return enum(n)
		}
	case c == 0:
		p.fail("Syntax Error: Unexpected <EOF>.")
	}
	p.fail("Syntax Error: Unexpected %q.", string(p.cur()))
	return nil
}

func (p *gqlParser) number() any {
	start := p.pos
	isFloat := false
	for p.pos < len(p.src) {
		c := p.cur()
		if c == '.' || c == 'e' || c == 'E' {
			isFloat = true
		} else if !(c == '-' || c == '+' || (c >= '0' && c <= '9')) {
			break
		}
		p.advance()
	}
	lit := p.src[start:p.pos]
	if !isFloat {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return n
		}
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		p.fail("Syntax Error: Invalid number %q.", lit)
	}
	return f
}

func (p *gqlParser) str() string {
	if strings.HasPrefix(p.src[p.pos:], `"""`) {
		for range 3 {
			p.advance()
		}
		end := strings.Index(p.src[p.pos:], `"""`)
		if end < 0 {
			p.fail("Syntax Error: Unterminated string.")
		}
		s := p.src[p.pos : p.pos+end]
		for range end + 3 {
			p.advance()
		}
		return strings.TrimSpace(s)
	}
	start := p.pos
	p.advance()
	for {
		switch p.cur() {
		case 0, '\n':
			p.fail("Syntax Error: Unterminated string.")
		case '\\':
			p.advance()
		case '"':
			p.advance()
			var s string
			if err := json.Unmarshal([]byte(p.src[start:p.pos]), &s); err != nil {
				p.fail("Syntax Error: Invalid string %s.", p.src[start:p.pos])
			}
			return s
		}
		p.advance()
	}
}

// normalise converts JSON-decoded variables (json.Number) into the parser's
// value types.
func normalise(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = normalise(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = normalise(v[k])
		}
		return v
	}
	return v
}
