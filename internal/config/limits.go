package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Limits on a configuration file, checked before it is decoded: YAML
// parsers take memory and time far beyond the input's size on deeply
// nested documents (a 40 KB file nested 20,000 deep took 736 MB).
const (
	// MaxFileBytes is the largest configuration file read (1 MiB).
	MaxFileBytes = 1 << 20
	// MaxDepth is the deepest nesting of mappings, lists and flow
	// collections allowed.
	MaxDepth = 64
)

// ErrLimit is wrapped (with ErrInvalid) by the error for a configuration
// file over MaxFileBytes or nested deeper than MaxDepth.
var ErrLimit = errors.New("configuration limit exceeded")

// readLimited reads the file at path, refusing one over MaxFileBytes
// before reading it.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxFileBytes {
		return nil, sizeProblem(path, fi.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, sizeProblem(path, int64(len(data)))
	}
	return data, nil
}

func sizeProblem(name string, size int64) *Problems {
	probs := &Problems{limit: true}
	probs.add(name, Position{}, fmt.Sprintf("the file is %d bytes or more, over the limit of %d bytes (1 MiB) for a configuration", size, MaxFileBytes))
	return probs
}

// checkLimits reports a file over MaxFileBytes or nested deeper than
// MaxDepth, scanning the text without parsing it.
func checkLimits(name string, data []byte) *Problems {
	if len(data) > MaxFileBytes {
		return sizeProblem(name, int64(len(data)))
	}
	if pos, depth, ok := nestingOver(data, MaxDepth); ok {
		probs := &Problems{limit: true}
		probs.add(name, pos, fmt.Sprintf("nested %d levels deep here, over the limit of %d levels for a configuration", depth, MaxDepth))
		return probs
	}
	return nil
}

// depthScanner estimates a YAML document's nesting depth line by line:
// block mappings and lists by indentation, "- " and "? " indicators on one
// line, and flow collections by their brackets outside quoted text. Block
// scalars (| and >) are skipped. It never underestimates by more than the
// depth of one line's plain scalars, which is all a limit needs.
type depthScanner struct {
	indents   []int // indentation of the open block levels
	flow      int   // open [ and {
	quote     byte  // open quote inside a flow collection
	scalarMin int   // lines indented more than this belong to a block scalar; -1 when none
}

// nestingOver returns where the nesting first exceeds limit.
func nestingOver(data []byte, limit int) (Position, int, bool) {
	s := &depthScanner{scalarMin: -1}
	for i, line := range strings.Split(string(data), "\n") {
		if col, depth := s.line(line, limit); depth > limit {
			return Position{Line: i + 1, Col: col + 1}, depth, true
		}
	}
	return Position{}, 0, false
}

// line scans one line; it returns the column and depth where the depth
// went over limit, or a depth within it.
func (s *depthScanner) line(line string, limit int) (int, int) {
	trimmed := strings.TrimLeft(line, " ")
	indent := len(line) - len(trimmed)
	if s.scalarMin >= 0 {
		if trimmed == "" || indent > s.scalarMin {
			return 0, 0
		}
		s.scalarMin = -1
	}
	if s.flow > 0 {
		return s.flowChars(line, 0, len(s.indents), limit)
	}
	if trimmed == "" || trimmed[0] == '#' || strings.HasPrefix(trimmed, "---") {
		return 0, 0
	}
	for len(s.indents) > 0 && s.indents[len(s.indents)-1] >= indent {
		s.indents = s.indents[:len(s.indents)-1]
	}
	s.indents = append(s.indents, indent)
	depth, col := len(s.indents), indent
	for col+1 < len(line) && (line[col] == '-' || line[col] == '?') && line[col+1] == ' ' {
		depth++
		col += 2
		for col < len(line) && line[col] == ' ' {
			col++
		}
		if depth > limit {
			return col, depth
		}
	}
	rest := line[col:]
	if v := valueStart(rest); v >= 0 {
		col += v
		rest = line[col:]
	}
	if strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "{") {
		return s.flowChars(line, col, depth, limit)
	}
	if blockScalar(rest) {
		s.scalarMin = indent
	}
	return col, depth
}

// valueStart returns the offset of a mapping value after "key: ", or -1.
func valueStart(rest string) int {
	if rest == "" || rest[0] == '"' || rest[0] == '\'' || rest[0] == '[' || rest[0] == '{' {
		return -1
	}
	i := strings.Index(rest, ": ")
	if i < 0 {
		return -1
	}
	return i + 2 + len(rest[i+2:]) - len(strings.TrimLeft(rest[i+2:], " "))
}

// blockScalar reports whether a value starts a literal or folded scalar.
func blockScalar(v string) bool {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v != "" && (v[0] == '|' || v[0] == '>') && len(v) <= 3
}

// flowChars counts brackets from col on, outside quotes and comments.
func (s *depthScanner) flowChars(line string, col, base, limit int) (int, int) {
	for i := col; i < len(line); i++ {
		c := line[i]
		switch {
		case s.quote == '"' && c == '\\':
			i++
		case s.quote != 0:
			if c == s.quote {
				s.quote = 0
			}
		case c == '"' || c == '\'':
			s.quote = c
		case c == '#' && (i == 0 || line[i-1] == ' '):
			return i, base + s.flow
		case c == '[' || c == '{':
			s.flow++
			if base+s.flow > limit {
				return i, base + s.flow
			}
		case (c == ']' || c == '}') && s.flow > 0:
			s.flow--
		}
	}
	return len(line), base + s.flow
}
