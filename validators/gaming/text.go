package gaming

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Codes of the text validator.
const (
	CodePromptInjection  validators.Code = "gaming.prompt_injection"
	CodeInvisibleText    validators.Code = "gaming.invisible_text"
	CodeHomoglyphAddress validators.Code = "gaming.homoglyph_address"
)

// TextKindName is the configuration kind of the text validator.
const TextKindName = "gaming.text"

// TextConfig configures the untrusted-text checks.
type TextConfig struct {
	// Columns are the text columns checked (description, reason).
	Columns []string         `yaml:"columns" json:"columns" config:"required"`
	Where   validators.Where `yaml:"where" json:"where"`
	// KnownColumns hold addresses (or lists of them) of the same row that
	// the text may mention: a lookalike of one is reported.
	KnownColumns []string `yaml:"known_columns" json:"known_columns"`
	// Known are further addresses (treasury, governor, token).
	Known []string `yaml:"known" json:"known"`
}

// DefaultTextConfig returns the defaults.
func DefaultTextConfig() TextConfig { return TextConfig{} }

// Text scans untrusted text for attacks on the AI agents that read it.
type Text struct {
	name string
	cfg  TextConfig
}

// NewText returns a text validator.
func NewText(name string, cfg TextConfig) (*Text, error) {
	if len(cfg.Columns) == 0 {
		return nil, fmt.Errorf("%w: %s: columns are required", validators.ErrConfig, name)
	}
	for i, k := range cfg.Known {
		cfg.Known[i] = strings.ToLower(k)
	}
	return &Text{name: cmp.Or(name, TextKindName), cfg: cfg}, nil
}

// Name implements validators.Validator.
func (t *Text) Name() string { return t.name }

// Codes implements validators.Validator.
func (t *Text) Codes() []validators.CodeInfo { return textCodes }

var textCodes = []validators.CodeInfo{
	{Code: CodePromptInjection, Severity: validators.Error, Action: validators.Quarantine, Summary: "Text carries instructions aimed at an AI agent (ignore previous instructions, role markers, agents must vote...)."},
	{Code: CodeInvisibleText, Severity: validators.Warn, Action: validators.Keep, Summary: "Text contains invisible characters (zero-width, bidi overrides, tag characters: error for the last two)."},
	{Code: CodeHomoglyphAddress, Severity: validators.Error, Action: validators.Keep, Summary: "Text contains an address written with lookalike characters, or one imitating a known address."},
}

var kindCode = map[TextKind]validators.Code{Injection: CodePromptInjection, Invisible: CodeInvisibleText, Homoglyph: CodeHomoglyphAddress}

// Validate implements validators.Validator.
func (t *Text) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tb := in.Table
	if err := t.cfg.Where.Check(tb); err != nil {
		return nil, err
	}
	rows, err := t.cfg.Where.Rows(tb)
	if err != nil {
		return nil, err
	}
	texts := make([]func(row int) (string, bool), len(t.cfg.Columns))
	for i, c := range t.cfg.Columns {
		if texts[i], err = stringReader(tb, c); err != nil {
			return nil, err
		}
	}
	knownCols := make([]*validators.Col[string], len(t.cfg.KnownColumns))
	for i, c := range t.cfg.KnownColumns {
		if knownCols[i], err = tb.Strings(c); err != nil {
			return nil, err
		}
	}
	var out []validators.Finding
	for n, r := range rows {
		if n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for i, text := range texts {
			if s, ok := text(r); ok && s != "" {
				out = append(out, t.row(r, t.cfg.Columns[i], s, knownCols)...)
			}
		}
	}
	if len(out) == 0 && len(rows) > 0 {
		out = append(out, validators.Pass(t.name, CodePromptInjection, 0, 0, fmt.Sprintf("%d rows of text clean", len(rows))))
	}
	return out, nil
}

// row reports the issues of one cell, one finding per code.
func (t *Text) row(r int, col, text string, knownCols []*validators.Col[string]) []validators.Finding {
	known := t.cfg.Known
	if len(knownCols) > 0 && strings.Contains(text, "0x") {
		known = append([]string(nil), known...)
		for _, kc := range knownCols {
			if kc.Valid(r) {
				known = append(known, addressesIn(kc.Values[r])...)
			}
		}
	}
	issues := ScanText(text, known)
	var out []validators.Finding
	for _, kind := range []TextKind{Injection, Invisible, Homoglyph} {
		var details []string
		severe := false
		for _, is := range issues {
			if is.Kind == kind {
				details = append(details, is.Detail)
				severe = severe || is.Severe
			}
		}
		if len(details) == 0 {
			continue
		}
		sev := validators.Warn
		if severe {
			sev = validators.Error
		}
		out = append(out, validators.Finding{Code: kindCode[kind], Severity: sev, Validator: t.name, Rows: []int{r},
			Subject: "column:" + col, Value: float64(len(details)), Threshold: 0, Message: strings.Join(details, "; ")})
	}
	return out
}

// addressesIn returns the lowercase 0x addresses in a cell (an address or
// a list of them).
func addressesIn(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" ,[]'\"", r) }) {
		if len(f) == 42 && strings.HasPrefix(strings.ToLower(f), "0x") {
			out = append(out, strings.ToLower(f))
		}
	}
	return out
}

// stringReader reads a string column's cells without decoding the column.
func stringReader(tb *validators.Table, name string) (func(row int) (string, bool), error) {
	c, idx, err := tb.Column(name)
	if err != nil {
		return nil, err
	}
	if c.Type != "string" {
		col, err := tb.Strings(name)
		if err != nil {
			return nil, err
		}
		return func(r int) (string, bool) { return col.Values[r], col.Valid(r) }, nil
	}
	recs := tb.Records()
	return func(r int) (string, bool) {
		rec, off := tb.Locate(r)
		a := recs[rec].Column(idx).(*array.String)
		if a.IsNull(off) {
			return "", false
		}
		return a.Value(off), true
	}, nil
}
