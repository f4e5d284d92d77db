package chainrpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// scanner walks a JSON document without building values. It is used for the
// large eth_getLogs bodies, where it is much faster than encoding/json and
// knows the byte offset of every problem. Positions are offsets into b.
type scanner struct {
	b   []byte
	pos int
}

// syntaxError is a JSON problem at a byte offset.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("byte %d: %s", e.off, e.msg) }

func (s *scanner) errf(format string, args ...any) error {
	return &syntaxError{off: s.pos, msg: fmt.Sprintf(format, args...)}
}

// ws skips white space.
func (s *scanner) ws() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.b) {
		return 0
	}
	return s.b[s.pos]
}

// expect consumes c (after white space).
func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		if s.pos >= len(s.b) {
			return s.errf("unexpected end of the body, want %q", c)
		}
		return s.errf("want %q, found %q", c, s.b[s.pos])
	}
	s.pos++
	return nil
}

// str consumes a string and returns its raw contents (without the quotes,
// escapes left as they are) and whether it held escapes.
func (s *scanner) str() ([]byte, bool, error) {
	if err := s.expect('"'); err != nil {
		return nil, false, err
	}
	start, esc := s.pos, false
	for s.pos < len(s.b) {
		switch c := s.b[s.pos]; {
		case c == '"':
			out := s.b[start:s.pos]
			s.pos++
			return out, esc, nil
		case c == '\\':
			esc = true
			s.pos += 2
		case c < 0x20:
			return nil, false, s.errf("control character in a string")
		default:
			s.pos++
		}
	}
	return nil, false, s.errf("unterminated string")
}

// key consumes an object key and the colon after it. Keys with escapes are
// unescaped with encoding/json (they never occur in node responses).
func (s *scanner) key() (string, error) {
	raw, esc, err := s.str()
	if err != nil {
		return "", err
	}
	k := string(raw)
	if esc {
		if err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &k); err != nil {
			return "", s.errf("bad object key: %v", err)
		}
	}
	return k, s.expect(':')
}

// more is called after a value in an object or array: it consumes a comma
// and reports true, or consumes the closing byte and reports false.
func (s *scanner) more(closing byte) (bool, error) {
	switch s.peek() {
	case ',':
		s.pos++
		return true, nil
	case closing:
		s.pos++
		return false, nil
	case 0:
		return false, s.errf("unexpected end of the body, want ',' or %q", closing)
	default:
		return false, s.errf("want ',' or %q, found %q", closing, s.b[s.pos])
	}
}

// object calls f for every key of an object; f must consume the value.
func (s *scanner) object(f func(key string, at int) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		s.ws()
		at := s.pos
		k, err := s.key()
		if err != nil {
			return err
		}
		if err := f(k, at); err != nil {
			return err
		}
		more, err := s.more('}')
		if err != nil || !more {
			return err
		}
	}
}

// array calls f for every element of an array; f must consume it. A JSON
// null is accepted as an empty array when nullOK is set.
func (s *scanner) array(nullOK bool, f func(i int) error) error {
	if nullOK && s.literal("null") {
		return nil
	}
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		s.ws()
		if err := f(i); err != nil {
			return err
		}
		more, err := s.more(']')
		if err != nil || !more {
			return err
		}
	}
}

// literal consumes word (null, true, false) if it comes next.
func (s *scanner) literal(word string) bool {
	s.ws()
	if bytes.HasPrefix(s.b[s.pos:], []byte(word)) {
		s.pos += len(word)
		return true
	}
	return false
}

// boolean consumes true or false.
func (s *scanner) boolean() (bool, error) {
	switch {
	case s.literal("true"):
		return true, nil
	case s.literal("false"):
		return false, nil
	}
	return false, s.errf("want true or false")
}

// skip consumes any value and returns its span.
func (s *scanner) skip() (int, int, error) {
	start := s.peekPos()
	var err error
	switch c := s.peek(); {
	case c == '{':
		err = s.object(func(string, int) error { _, _, e := s.skip(); return e })
	case c == '[':
		err = s.array(false, func(int) error { _, _, e := s.skip(); return e })
	case c == '"':
		_, _, err = s.str()
	case c == 't' || c == 'f':
		_, err = s.boolean()
	case c == 'n':
		if !s.literal("null") {
			err = s.errf("want null")
		}
	case c == '-' || (c >= '0' && c <= '9'):
		s.number()
	case c == 0:
		err = s.errf("unexpected end of the body, want a value")
	default:
		err = s.errf("unexpected %q, want a value", c)
	}
	return start, s.pos, err
}

func (s *scanner) peekPos() int { s.ws(); return s.pos }

// number consumes the bytes of a number (validated loosely).
func (s *scanner) number() {
	for s.pos < len(s.b) {
		switch c := s.b[s.pos]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			s.pos++
		default:
			return
		}
	}
}

// end checks that nothing but white space follows.
func (s *scanner) end() error {
	if s.peek() != 0 {
		return s.errf("unexpected data after the response")
	}
	return nil
}

// envelope is the outer object of a JSON-RPC response.
type envelope struct {
	result      []byte // the raw result value, nil when absent
	resultOff   int    // its offset in the body
	errorObject []byte // the raw error value, nil when absent
}

// parseEnvelope locates the result and error of a JSON-RPC response.
func parseEnvelope(body []byte) (envelope, error) {
	var env envelope
	s := &scanner{b: body}
	err := s.object(func(k string, _ int) error {
		start, end, err := s.skip()
		switch k {
		case "result":
			env.result, env.resultOff = body[start:end], start
		case "error":
			if !bytes.Equal(body[start:end], []byte("null")) {
				env.errorObject = body[start:end]
			}
		}
		return err
	})
	if err == nil {
		err = s.end()
	}
	if err == nil && env.result == nil && env.errorObject == nil {
		err = &syntaxError{off: 0, msg: "the response has neither result nor error"}
	}
	return env, err
}

// errNotHex is the message of malformed hexadecimal values.
var errNotHex = errors.New("not a 0x-prefixed hexadecimal value")

// hexNibble returns the value of one hexadecimal digit, or 0xff.
func hexNibble(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// parseQuantity parses a JSON-RPC quantity ("0x1a") into a uint64.
func parseQuantity(b []byte) (uint64, error) {
	if len(b) < 3 || b[0] != '0' || (b[1] != 'x' && b[1] != 'X') || len(b) > 18 {
		return 0, fmt.Errorf("quantity %q: %w of at most 64 bits", clip(b), errNotHex)
	}
	var v uint64
	for _, c := range b[2:] {
		n := hexNibble(c)
		if n == 0xff {
			return 0, fmt.Errorf("quantity %q: %w", clip(b), errNotHex)
		}
		v = v<<4 | uint64(n)
	}
	return v, nil
}

// parseFixed decodes "0x" and exactly len(dst)*2 hexadecimal digits.
func parseFixed(dst, b []byte) error {
	if len(b) != 2+2*len(dst) || b[0] != '0' || (b[1] != 'x' && b[1] != 'X') {
		return fmt.Errorf("%q: want 0x and %d hexadecimal digits", clip(b), 2*len(dst))
	}
	return decodeHex(dst, b[2:], b)
}

// parseData decodes "0x" followed by an even number of hexadecimal digits,
// appending the bytes to arena; it returns the grown arena and the value.
func parseData(arena, b []byte) ([]byte, []byte, error) {
	if len(b) < 2 || b[0] != '0' || (b[1] != 'x' && b[1] != 'X') || len(b)%2 != 0 {
		return arena, nil, fmt.Errorf("data %q: %w with an even number of digits", clip(b), errNotHex)
	}
	n := (len(b) - 2) / 2
	start := len(arena)
	arena = append(arena, make([]byte, n)...)
	out := arena[start : start+n : start+n]
	return arena, out, decodeHex(out, b[2:], b)
}

func decodeHex(dst, digits, whole []byte) error {
	for i := range dst {
		hi, lo := hexNibble(digits[2*i]), hexNibble(digits[2*i+1])
		if hi == 0xff || lo == 0xff {
			return fmt.Errorf("%q: %w", clip(whole), errNotHex)
		}
		dst[i] = hi<<4 | lo
	}
	return nil
}

// clip shortens a value for error messages.
func clip(b []byte) string {
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}
