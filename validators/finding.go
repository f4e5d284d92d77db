package validators

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Severity says how serious a finding is.
type Severity string

// The severities, from least to most serious.
const (
	Info  Severity = "info"
	Warn  Severity = "warn"
	Error Severity = "error"
)

// Valid reports whether s is one of the three severities.
func (s Severity) Valid() bool { return s == Info || s == Warn || s == Error }

// Rank orders severities: info 0, warn 1, error 2, anything else -1.
func (s Severity) Rank() int {
	switch s {
	case Info:
		return 0
	case Warn:
		return 1
	case Error:
		return 2
	}
	return -1
}

// Code is a stable reason code, "family.reason" (poisoning.mad_outlier).
// Codes never change meaning; a new meaning gets a new code.
type Code string

// Family returns the part before the first dot: poisoning, gaming or gaps.
func (c Code) Family() string {
	if i := strings.IndexByte(string(c), '.'); i > 0 {
		return string(c[:i])
	}
	return string(c)
}

// CodeInfo documents a code a validator may emit.
type CodeInfo struct {
	Code Code `json:"code"`
	// Severity is the usual severity of a failing finding with this code
	// (a validator may raise or lower it with the measured value).
	Severity Severity `json:"severity"`
	// Action is what the default policy does with failing findings.
	Action Action `json:"action"`
	// Summary is one sentence for documentation and help texts.
	Summary string `json:"summary"`
}

// Finding is the result of one check. Failing findings say what is wrong
// with which rows; passing findings (Passed) record the measured value of a
// check that passed, so that history shows how close a dataset came to a
// threshold.
type Finding struct {
	Code      Code     `json:"code"`
	Severity  Severity `json:"severity"`
	Validator string   `json:"validator"`
	// Rows are the positions of the rows concerned in the run's input
	// (0-based across its records, in order, without duplicates). The
	// report renders them as row keys.
	Rows []int `json:"-"`
	// Subject names what the finding is about when it is not (only) rows:
	// "proposal:77", "column:votes", "source:comp_b", or an ISO 8601
	// interval "2021-05-01T03:00:00Z/2021-05-01T07:00:00Z" for gaps.
	Subject   string  `json:"subject,omitempty"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	// Passed is true for a check that passed (recorded for history only;
	// policies ignore it).
	Passed  bool   `json:"passed"`
	Message string `json:"message"`
}

// Failing reports whether the finding is a failed check.
func (f *Finding) Failing() bool { return !f.Passed }

// Pass returns a passing finding of code with the measured value and the
// threshold it was held against.
func Pass(validator string, code Code, value, threshold float64, msg string) Finding {
	return Finding{Code: code, Severity: Info, Validator: validator, Value: value, Threshold: threshold, Passed: true, Message: msg}
}

// Number is a float64 that marshals to JSON deterministically: rounded to
// nine significant digits, integers without exponent where exact, and
// NaN or infinities as null.
type Number float64

// MarshalJSON implements json.Marshaler.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(nil, int64(f), 10), nil
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 9, 64), 64)
	return json.Marshal(r)
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("number: %w", err)
	}
	*n = Number(f)
	return nil
}
