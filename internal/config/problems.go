package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrInvalid is wrapped by every error that reports problems in a
// configuration file.
var ErrInvalid = errors.New("invalid configuration")

// Problem is one thing wrong with a configuration file, at a position.
type Problem struct {
	// File is the configuration file's name as given to Load or Parse.
	File string
	// Line and Col are 1-based; zero when the problem has no position.
	Line, Col int
	// Msg describes the problem in one line. It never contains the value
	// of an environment variable: such values are shown as ${NAME}.
	Msg string
}

// String formats the problem as "file:line:col: message".
func (p Problem) String() string {
	if p.Line <= 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// Problems is the error returned when a configuration has problems: every
// problem found, sorted by position, one per line. It wraps ErrInvalid.
type Problems struct {
	List []Problem

	limit bool // the file is over a limit (ErrLimit)
}

// Error lists every problem, one per line.
func (ps *Problems) Error() string {
	lines := make([]string, len(ps.List))
	for i, p := range ps.List {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns ErrInvalid, so errors.Is(err, ErrInvalid) holds, and
// ErrLimit for a file over a limit.
func (ps *Problems) Unwrap() []error {
	if ps.limit {
		return []error{ErrInvalid, ErrLimit}
	}
	return []error{ErrInvalid}
}

// add appends a problem.
func (ps *Problems) add(file string, pos Position, msg string) {
	ps.List = append(ps.List, Problem{File: file, Line: pos.Line, Col: pos.Col, Msg: msg})
}

// err returns ps sorted by position as an error, or nil when it is empty.
func (ps *Problems) err() error {
	if ps == nil || len(ps.List) == 0 {
		return nil
	}
	sort.SliceStable(ps.List, func(i, j int) bool {
		a, b := ps.List[i], ps.List[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return ps
}

// Position is a 1-based line and column in a configuration file.
type Position struct {
	Line, Col int
}
