package config

import (
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// secret is the value of one environment variable substituted into the
// configuration; problem messages show ${Name} instead of Value.
type secret struct {
	Name, Value string
}

// expander replaces ${NAME} in string values with environment variables.
type expander struct {
	getenv  func(string) string
	file    string
	probs   *Problems
	secrets []secret
	// failed holds the nodes whose expansion had a problem, so decoding
	// does not report follow-on problems about them.
	failed map[ast.Node]bool
}

// walk expands every string value under n (mapping keys are left alone).
func (e *expander) walk(n ast.Node) {
	switch n := n.(type) {
	case *ast.MappingNode:
		for _, mv := range n.Values {
			e.walk(mv.Value)
		}
	case *ast.MappingValueNode:
		e.walk(n.Value)
	case *ast.SequenceNode:
		for _, v := range n.Values {
			e.walk(v)
		}
	case *ast.AnchorNode:
		e.walk(n.Value)
	case *ast.TagNode:
		e.walk(n.Value)
	case *ast.LiteralNode:
		if n.Value != nil {
			e.expandNode(n.Value, posOf(n))
			e.failed[n] = e.failed[n.Value]
		}
	case *ast.StringNode:
		e.expandNode(n, posOf(n))
	}
}

func (e *expander) expandNode(n *ast.StringNode, pos Position) {
	if !strings.Contains(n.Value, "$") {
		return
	}
	before := len(e.probs.List)
	n.Value = e.expand(n.Value, pos)
	if len(e.probs.List) > before {
		e.failed[n] = true
	}
}

// expand substitutes ${NAME} references in s; "$${" stands for a literal
// "${". Unset variables and malformed references are problems at pos.
func (e *expander) expand(s string, pos Position) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				e.probs.add(e.file, pos, "unterminated ${ in a string value (write $${ for a literal ${)")
				return s
			}
			name := s[i+2 : i+end]
			b.WriteString(e.lookup(name, pos))
			i += end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

func (e *expander) lookup(name string, pos Position) string {
	if !validEnvName(name) {
		e.probs.add(e.file, pos, "bad environment reference ${"+name+"}: want ${NAME} with letters, digits and _ (write $${ for a literal ${)")
		return ""
	}
	v := e.getenv(name)
	if v == "" {
		e.probs.add(e.file, pos, "environment variable ${"+name+"} is not set")
		return ""
	}
	e.secrets = append(e.secrets, secret{Name: name, Value: v})
	return v
}

func validEnvName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		ok := r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// redactor hides substituted environment values in messages.
type redactor struct {
	secrets []secret
}

func newRedactor(secrets []secret) redactor {
	s := append([]secret(nil), secrets...)
	sort.SliceStable(s, func(i, j int) bool { return len(s[i].Value) > len(s[j].Value) })
	return redactor{secrets: s}
}

// redact replaces every substituted value in msg with ${NAME}.
func (r redactor) redact(msg string) string {
	for _, s := range r.secrets {
		if s.Value != "" {
			msg = strings.ReplaceAll(msg, s.Value, "${"+s.Name+"}")
		}
	}
	return msg
}
