package validators

import (
	"context"
	"fmt"
)

// CodeBadValue is the code of a cell that did not parse as its column's
// declared type.
const CodeBadValue Code = "poisoning.bad_value"

// BadValueName is the validator name of bad-value findings.
const BadValueName = "input"

// BadValue is a cell of the run that did not parse as its column's
// declared type; the source emitted the row with a placeholder (null or
// the zero value) in that cell.
type BadValue struct {
	// Row is the row's position in the run.
	Row int
	// Column is the column; Raw the value as read.
	Column, Raw string
	// Locator says where the row came from (file:line).
	Locator string
	// Problem says why the value does not parse.
	Problem string
}

var badValueCodes = []CodeInfo{
	{Code: CodeBadValue, Severity: Error, Action: Quarantine, Summary: "A cell does not parse as its column's declared type (column, raw value and source line in the message); the row holds a placeholder and is never kept: a keep rule acts as quarantine."},
}

// badValues turns the run's bad cells into findings. Every suite runs it
// first; it emits nothing when the source reported no bad cell.
type badValues struct{}

// Name implements Validator.
func (badValues) Name() string { return BadValueName }

// Codes implements Validator.
func (badValues) Codes() []CodeInfo { return badValueCodes }

// Validate implements Validator.
func (badValues) Validate(ctx context.Context, in *Input) ([]Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]Finding, 0, len(in.BadValues))
	for _, b := range in.BadValues {
		if b.Row < 0 || b.Row >= in.Rows() {
			return nil, fmt.Errorf("%w: bad value of column %s at %s names row %d of %d", ErrContract, b.Column, b.Locator, b.Row, in.Rows())
		}
		out = append(out, Finding{Code: CodeBadValue, Severity: Error, Validator: BadValueName, Rows: []int{b.Row},
			Subject: b.Locator, Message: fmt.Sprintf("%s: column %s: %q: %s", b.Locator, b.Column, b.Raw, b.Problem)})
	}
	return out, nil
}
