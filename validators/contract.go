package validators

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// CheckFindings checks findings of v against the Validator contract for an
// input of n rows; the error wraps ErrContract and names the finding.
func CheckFindings(v Validator, n int, fs []Finding) error {
	declared := map[Code]bool{}
	for _, c := range v.Codes() {
		declared[c.Code] = true
	}
	for i, f := range fs {
		bad := func(msg string, args ...any) error {
			return fmt.Errorf("%w: validator %s, finding %d (%s): %s", ErrContract, v.Name(), i, f.Code, fmt.Sprintf(msg, args...))
		}
		switch {
		case f.Code == "":
			return bad("no code")
		case !declared[f.Code]:
			return bad("code not declared by Codes()")
		case !f.Severity.Valid():
			return bad("severity %q is not info, warn or error", f.Severity)
		case f.Validator != v.Name():
			return bad("validator %q, want %q", f.Validator, v.Name())
		case f.Message == "":
			return bad("no message")
		}
		for j, r := range f.Rows {
			if r < 0 || r >= n {
				return bad("row %d is not an input row (the input has %d)", r, n)
			}
			if j > 0 && r <= f.Rows[j-1] {
				return bad("rows are not sorted and distinct (%d after %d)", r, f.Rows[j-1])
			}
		}
	}
	return nil
}

// Accepted calls fn with zero-copy slices of the input records that hold
// the rows not quarantined, in order. fn does not keep a slice after it
// returns unless it calls Retain.
func (o *Outcome) Accepted(fn func(arrow.RecordBatch) error) error {
	return o.runs(false, fn)
}

// QuarantinedRecords calls fn with one-row slices of each quarantined row,
// in order, with the row's position.
func (o *Outcome) QuarantinedRecords(fn func(row int, rec arrow.RecordBatch) error) error {
	for _, row := range o.QuarantinedRows() {
		r, off := o.Input.Table.Locate(row)
		s := o.Input.Records[r].NewSlice(int64(off), int64(off+1))
		err := fn(row, s)
		s.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// runs emits the maximal runs of rows whose quarantine mark equals want.
func (o *Outcome) runs(want bool, fn func(arrow.RecordBatch) error) error {
	base := 0
	for _, rec := range o.Input.Records {
		n := int(rec.NumRows())
		start := -1
		for i := 0; i <= n; i++ {
			in := i < n && o.Quarantined[base+i] == want
			if in && start < 0 {
				start = i
			}
			if !in && start >= 0 {
				if err := emitSlice(rec, start, i, fn); err != nil {
					return err
				}
				start = -1
			}
		}
		base += n
	}
	return nil
}

func emitSlice(rec arrow.RecordBatch, from, to int, fn func(arrow.RecordBatch) error) error {
	if from == 0 && to == int(rec.NumRows()) {
		return fn(rec)
	}
	s := rec.NewSlice(int64(from), int64(to))
	defer s.Release()
	return fn(s)
}
