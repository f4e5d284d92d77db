package file

import (
	"fmt"
	"strings"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// InputError is a value or syntax error in an input file. It wraps
// sources.ErrBadInput and names the source, the file, the line (the row for
// parquet), the column and, for JSONL syntax errors, the byte offset.
type InputError struct {
	Source string
	File   string
	// Line is the 1-based line where the record starts (the 1-based row
	// for parquet); 0 when the error concerns the whole file.
	Line uint64
	// Row says Line counts rows (parquet) rather than lines.
	Row bool
	// Column is the output column, and Input the input column it is read
	// from when that differs; both empty when no column is concerned.
	Column, Input string
	// Offset is the byte offset in the file, or -1.
	Offset int64
	// Msg describes the problem.
	Msg string
}

// Error formats the error on one line.
func (e *InputError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: file source %q: %s", sources.ErrBadInput, e.Source, e.File)
	if e.Line > 0 {
		if e.Row {
			fmt.Fprintf(&b, ": row %d", e.Line)
		} else {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " (byte %d)", e.Offset)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
		if e.Input != "" && e.Input != e.Column {
			fmt.Fprintf(&b, " (input %q)", e.Input)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns sources.ErrBadInput.
func (e *InputError) Unwrap() error { return sources.ErrBadInput }

// inputErr builds an InputError about the whole file of s.
func (s *Source) inputErr(line uint64, format string, args ...any) *InputError {
	return &InputError{Source: s.id, File: s.cfg.Path, Line: line, Row: s.format == FormatParquet, Offset: -1, Msg: fmt.Sprintf(format, args...)}
}

// changedErr reports that the file no longer extends what was read before.
func (s *Source) changedErr(format string, args ...any) error {
	return fmt.Errorf("%w: file source %q: %s %s", sources.ErrChanged, s.id, s.cfg.Path, fmt.Sprintf(format, args...))
}
