// Package validatorstest holds the conformance suite every Validator runs
// and helpers to build inputs in tests.
package validatorstest

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// Case is one input of the conformance suite: a run's records with the
// history they are validated against.
type Case struct {
	Name       string
	Dataset    string
	Schema     *datasets.Schema
	Records    []arrow.RecordBatch
	History    validators.History
	Now        time.Time
	Provenance datasets.Provenance
}

// Input builds the validator input of c (a fresh Table each time).
func (c Case) Input() *validators.Input {
	h := c.History
	if h == nil {
		h = validators.NoHistory{}
	}
	now := c.Now
	if now.IsZero() {
		now = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return &validators.Input{
		Dataset: c.Dataset, Schema: c.Schema, Records: c.Records, Table: validators.NewTable(c.Schema, c.Records),
		Provenance: c.Provenance, Now: now, History: h, Logger: slog.New(slog.DiscardHandler),
	}
}

// Conformance checks v against the Validator contract on the cases (at
// least one): declared codes are well formed; findings are deterministic,
// carry declared codes, valid severities and the validator's name, and
// reference existing rows; a cancelled context is honoured; empty input
// (no records, and a record without rows) gives no findings about rows.
func Conformance(t *testing.T, v validators.Validator, cases ...Case) {
	t.Helper()
	if len(cases) == 0 {
		t.Fatal("Conformance needs at least one case")
	}
	t.Run("codes", func(t *testing.T) { checkCodes(t, v) })
	for _, c := range cases {
		t.Run("deterministic/"+c.Name, func(t *testing.T) { checkDeterministic(t, v, c) })
	}
	for _, c := range cases {
		t.Run("unsorted/"+c.Name, func(t *testing.T) { checkUnsorted(t, v, c) })
	}
	t.Run("cancelled", func(t *testing.T) { checkCancelled(t, v, cases[0]) })
	t.Run("empty", func(t *testing.T) { checkEmpty(t, v, cases[0]) })
}

func checkCodes(t *testing.T, v validators.Validator) {
	if v.Name() == "" {
		t.Error("empty name")
	}
	if len(v.Codes()) == 0 {
		t.Fatal("no codes declared")
	}
	for _, c := range v.Codes() {
		fam, reason, ok := strings.Cut(string(c.Code), ".")
		switch {
		case !ok || reason == "" || (fam != "poisoning" && fam != "gaming" && fam != "gaps"):
			t.Errorf("code %q is not family.reason with family poisoning, gaming or gaps", c.Code)
		case !c.Severity.Valid():
			t.Errorf("code %s: severity %q", c.Code, c.Severity)
		case !c.Action.Valid():
			t.Errorf("code %s: action %q", c.Code, c.Action)
		case c.Summary == "":
			t.Errorf("code %s: no summary", c.Code)
		}
	}
}

// Run validates c once and checks the findings against the contract.
func Run(t testing.TB, v validators.Validator, c Case) []validators.Finding {
	t.Helper()
	in := c.Input()
	fs, err := v.Validate(context.Background(), in)
	if err != nil {
		t.Fatalf("%s: Validate: %v", v.Name(), err)
	}
	if err := validators.CheckFindings(v, in.Rows(), fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

func checkDeterministic(t *testing.T, v validators.Validator, c Case) {
	a, b := Run(t, v, c), Run(t, v, c)
	ja, _ := json.Marshal(withRows(a))
	jb, _ := json.Marshal(withRows(b))
	if string(ja) != string(jb) {
		t.Fatalf("two runs on the same input differ:\n%s\n%s", ja, jb)
	}
}

// withRows makes Rows part of the JSON comparison.
func withRows(fs []validators.Finding) any {
	type f struct {
		F    validators.Finding
		Rows []int
	}
	out := make([]f, len(fs))
	for i, x := range fs {
		out[i] = f{x, x.Rows}
	}
	return out
}

// checkUnsorted validates the case's rows in reverse order with the first
// row repeated at the end: out of order and duplicated input must still
// give findings that keep the contract (validators sort or group what
// they need).
func checkUnsorted(t *testing.T, v validators.Validator, c Case) {
	var rows []arrow.RecordBatch
	for _, r := range c.Records {
		for i := range r.NumRows() {
			rows = append(rows, r.NewSlice(i, i+1))
		}
	}
	defer func() {
		for _, r := range rows {
			r.Release()
		}
	}()
	if len(rows) == 0 {
		return
	}
	rev := make([]arrow.RecordBatch, 0, len(rows)+1)
	for i := len(rows) - 1; i >= 0; i-- {
		rev = append(rev, rows[i])
	}
	uc := c
	uc.Records = append(rev, rows[len(rows)-1])
	Run(t, v, uc)
}

func checkCancelled(t *testing.T, v validators.Validator, c Case) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := v.Validate(ctx, c.Input())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Validate with a cancelled context returned %v, want an error wrapping context.Canceled", err)
	}
}

func checkEmpty(t *testing.T, v validators.Validator, c Case) {
	as, err := c.Schema.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer b.Release()
	empty := b.NewRecordBatch()
	defer empty.Release()
	for name, recs := range map[string][]arrow.RecordBatch{"no records": nil, "zero rows": {empty}} {
		ec := c
		ec.Records = recs
		for _, f := range Run(t, v, ec) {
			if len(f.Rows) > 0 {
				t.Errorf("%s: finding %s references rows of an empty input", name, f.Code)
			}
		}
	}
}
