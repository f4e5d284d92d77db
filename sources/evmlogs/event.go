package evmlogs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

// ParseEvent parses an event declaration: either a human-readable signature
// such as
//
//	event Transfer(address indexed from, address indexed to, uint256 value)
//
// (the word "event" is optional; "anonymous" may follow the parameters;
// uint and int mean uint256 and int256; tuples are written in parentheses,
// e.g. "(address to, uint256 value)[] payments"), or a JSON ABI fragment:
// one event object, or an array holding exactly one event.
func ParseEvent(decl string) (abi.Event, error) {
	decl = strings.TrimSpace(decl)
	if decl == "" {
		return abi.Event{}, errors.New("empty event declaration")
	}
	if decl[0] == '{' || decl[0] == '[' {
		return parseJSONEvent(decl)
	}
	return parseSignature(decl)
}

func parseJSONEvent(decl string) (abi.Event, error) {
	if decl[0] == '{' {
		decl = "[" + decl + "]"
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(decl), &raw); err != nil {
		return abi.Event{}, fmt.Errorf("event ABI is not valid JSON: %v", err)
	}
	parsed, err := abi.JSON(strings.NewReader(decl))
	if err != nil {
		return abi.Event{}, fmt.Errorf("event ABI: %v", err)
	}
	if len(parsed.Events) != 1 {
		return abi.Event{}, fmt.Errorf("the ABI fragment must hold exactly one event, it holds %d", len(parsed.Events))
	}
	for _, ev := range parsed.Events {
		return ev, nil
	}
	panic("unreachable")
}

// param is one parsed parameter of a human-readable signature.
type param struct {
	Name       string  `json:"name"`
	Type       string  `json:"type"`
	Indexed    bool    `json:"indexed,omitempty"`
	Components []param `json:"components,omitempty"`
}

func parseSignature(decl string) (abi.Event, error) {
	s := strings.TrimSpace(strings.TrimPrefix(decl, "event "))
	open := strings.IndexByte(s, '(')
	if open <= 0 {
		return abi.Event{}, fmt.Errorf("event signature %q: want Name(type name, ...)", decl)
	}
	name := strings.TrimSpace(s[:open])
	closeAt := matchParen(s, open)
	if closeAt < 0 {
		return abi.Event{}, fmt.Errorf("event signature %q: unbalanced parentheses", decl)
	}
	rest := strings.TrimSpace(s[closeAt+1:])
	rest = strings.TrimSuffix(rest, ";")
	anonymous := false
	switch strings.TrimSpace(rest) {
	case "":
	case "anonymous":
		anonymous = true
	default:
		return abi.Event{}, fmt.Errorf("event signature %q: unexpected %q after the parameters", decl, rest)
	}
	if !identRE(name) {
		return abi.Event{}, fmt.Errorf("event signature %q: %q is not an event name", decl, name)
	}
	params, err := parseParams(s[open+1:closeAt], true)
	if err != nil {
		return abi.Event{}, fmt.Errorf("event signature %q: %v", decl, err)
	}
	frag, _ := json.Marshal([]map[string]any{{"type": "event", "name": name, "anonymous": anonymous, "inputs": params}})
	return parseJSONEvent(string(frag))
}

// matchParen returns the index of the parenthesis closing the one at open.
func matchParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// parseParams parses a comma-separated parameter list.
func parseParams(s string, top bool) ([]param, error) {
	var out []param
	s = strings.TrimSpace(s)
	if s == "" {
		return out, nil
	}
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] == '(' {
			depth++
		} else if i < len(s) && s[i] == ')' {
			depth--
		}
		if i == len(s) || (s[i] == ',' && depth == 0) {
			p, err := parseParam(strings.TrimSpace(s[start:i]), top)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
			start = i + 1
		}
	}
	return out, nil
}

// parseParam parses "type [indexed] [name]".
func parseParam(s string, top bool) (param, error) {
	if s == "" {
		return param{}, errors.New("empty parameter")
	}
	var p param
	var rest string
	if s[0] == '(' {
		end := matchParen(s, 0)
		if end < 0 {
			return p, fmt.Errorf("parameter %q: unbalanced parentheses", s)
		}
		comps, err := parseParams(s[1:end], false)
		if err != nil {
			return p, err
		}
		suffix, tail, _ := strings.Cut(s[end+1:], " ")
		p.Type, p.Components, rest = "tuple"+suffix, comps, tail
		for i := range p.Components {
			if p.Components[i].Name == "" {
				p.Components[i].Name = fmt.Sprintf("field%d", i)
			}
		}
	} else {
		fields := strings.Fields(s)
		p.Type, rest = canonicalType(fields[0]), strings.Join(fields[1:], " ")
	}
	words := strings.Fields(rest)
	if len(words) > 0 && words[0] == "indexed" {
		if !top {
			return p, fmt.Errorf("parameter %q: indexed inside a tuple", s)
		}
		p.Indexed, words = true, words[1:]
	}
	switch len(words) {
	case 0:
	case 1:
		if !identRE(words[0]) {
			return p, fmt.Errorf("parameter %q: %q is not a name", s, words[0])
		}
		p.Name = words[0]
	default:
		return p, fmt.Errorf("parameter %q: want type [indexed] [name]", s)
	}
	return p, nil
}

// canonicalType expands the aliases uint, int and byte (keeping array
// suffixes).
func canonicalType(t string) string {
	base, suffix := t, ""
	if i := strings.IndexByte(t, '['); i >= 0 {
		base, suffix = t[:i], t[i:]
	}
	switch base {
	case "uint":
		base = "uint256"
	case "int":
		base = "int256"
	case "byte":
		base = "bytes1"
	}
	return base + suffix
}

// identRE reports whether s is a Solidity identifier.
func identRE(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
