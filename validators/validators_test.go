package validators_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/validators"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

var update = flag.Bool("update", false, "rewrite golden files")

var codes = []validators.CodeInfo{
	{Code: "poisoning.a", Severity: validators.Error, Action: validators.Quarantine, Summary: "a"},
	{Code: "poisoning.b", Severity: validators.Warn, Action: validators.Keep, Summary: "b"},
	{Code: "gaps.c", Severity: validators.Warn, Action: validators.Block, Summary: "c"},
}

func TestPolicy(t *testing.T) {
	tests := []struct {
		rules map[string]validators.Action
		code  validators.Code
		want  validators.Action
		err   bool
	}{
		{nil, "poisoning.a", validators.Quarantine, false},
		{nil, "gaps.c", validators.Block, false},
		{map[string]validators.Action{"poisoning.*": validators.Block}, "poisoning.b", validators.Block, false},
		{map[string]validators.Action{"poisoning.*": validators.Block, "poisoning.b": validators.Keep}, "poisoning.b", validators.Keep, false},
		{map[string]validators.Action{"*": validators.Keep}, "gaps.c", validators.Keep, false},
		{map[string]validators.Action{"poisoning.z": validators.Keep}, "", "", true},
		{map[string]validators.Action{"gaming.*": validators.Keep}, "", "", true},
		{map[string]validators.Action{"gaps.c": "drop"}, "", "", true},
	}
	for _, tc := range tests {
		p, err := validators.NewPolicy(tc.rules, codes)
		if (err != nil) != tc.err {
			t.Fatalf("%v: err %v", tc.rules, err)
		}
		if err != nil {
			if !errors.Is(err, validators.ErrConfig) {
				t.Fatalf("error does not wrap ErrConfig: %v", err)
			}
			continue
		}
		if got := p.Action(tc.code); got != tc.want {
			t.Errorf("%v: %s → %s, want %s", tc.rules, tc.code, got, tc.want)
		}
	}
}

// fake emits the findings it is given.
type fake struct {
	name string
	fs   []validators.Finding
}

func (f *fake) Name() string                 { return f.name }
func (f *fake) Codes() []validators.CodeInfo { return codes }
func (f *fake) Validate(ctx context.Context, _ *validators.Input) ([]validators.Finding, error) {
	return f.fs, ctx.Err()
}

func priceInput(t *testing.T) *validators.Input {
	t0 := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	var pts []vt.Point
	for i := 0; i < 6; i++ {
		pts = append(pts, vt.Point{T: t0.Add(time.Duration(i) * time.Hour), V: 100 + float64(i)})
	}
	pts = append(pts, pts[2])
	rec := vt.PriceRecord("a/b%", pts)
	t.Cleanup(rec.Release)
	return &validators.Input{Dataset: "p", Schema: vt.PriceSchema(), Records: []arrow.RecordBatch{rec}, Now: t0}
}

func TestSuiteContract(t *testing.T) {
	bad := []validators.Finding{
		{Code: "poisoning.zzz", Severity: validators.Warn, Validator: "f", Message: "m"},
		{Code: "poisoning.a", Severity: "fatal", Validator: "f", Message: "m"},
		{Code: "poisoning.a", Severity: validators.Warn, Validator: "f", Message: "m", Rows: []int{99}},
		{Code: "poisoning.a", Severity: validators.Warn, Validator: "f", Message: "m", Rows: []int{2, 1}},
		{Code: "poisoning.a", Severity: validators.Warn, Validator: "f"},
	}
	for _, f := range bad {
		s, _ := validators.NewSuite([]validators.Validator{&fake{"f", []validators.Finding{f}}}, nil, validators.SuiteOptions{})
		if _, err := s.Run(context.Background(), priceInput(t)); !errors.Is(err, validators.ErrContract) {
			t.Errorf("%+v: err %v, want ErrContract", f, err)
		}
	}
	if _, err := validators.NewSuite([]validators.Validator{&fake{name: "f"}, &fake{name: "f"}}, nil, validators.SuiteOptions{}); err == nil {
		t.Error("two validators with one name were accepted")
	}
}

func TestSuiteAppliesPolicyAndReports(t *testing.T) {
	fs := []validators.Finding{
		{Code: "poisoning.a", Severity: validators.Error, Validator: "f", Rows: []int{1, 3}, Value: 0.1234567891234, Threshold: 0.02, Message: "off the band"},
		{Code: "poisoning.b", Severity: validators.Warn, Validator: "f", Rows: []int{4}, Message: "odd"},
		{Code: "gaps.c", Severity: validators.Warn, Validator: "f", Subject: "2021-05-01T06:00:00Z/2021-05-01T08:00:00Z", Value: 2, Message: "a gap"},
		validators.Pass("f", "poisoning.b", 0.5, 1, "fine"),
	}
	s, err := validators.NewSuite([]validators.Validator{&fake{"f", fs}}, map[string]validators.Action{"gaps.*": validators.Keep}, validators.SuiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Run(context.Background(), priceInput(t))
	if err != nil {
		t.Fatal(err)
	}
	if q := out.QuarantinedRows(); len(q) != 2 || q[0] != 1 || q[1] != 3 || out.Blocked {
		t.Fatalf("quarantined %v blocked %v", q, out.Blocked)
	}
	if fl := out.FlaggedRows(); len(fl) != 1 || fl[0] != 4 {
		t.Fatalf("flagged %v", fl)
	}
	var kept int
	out.Accepted(func(r arrow.RecordBatch) error { kept += int(r.NumRows()); return nil })
	if kept != 5 || out.Metrics.Rows != 4 {
		t.Fatalf("accepted %d rows, metrics measured %d", kept, out.Metrics.Rows)
	}
	rep := out.Report(s, validators.RunInfo{Dataset: "p", Job: "j", Run: "r1", Now: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)})
	raw, err := rep.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	golden(t, "report.golden.json", raw)
	golden(t, "report.golden.txt", text.Bytes())
	h1, _ := rep.Hash()
	h2, _ := out.Report(s, validators.RunInfo{Dataset: "p", Job: "j", Run: "r1", Now: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}).Hash()
	if h1 != h2 {
		t.Fatal("report hash is not deterministic")
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(p, got, 0o644)
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (go test ./validators -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs:\n%s", p, got)
	}
}

func TestRowKeys(t *testing.T) {
	in := priceInput(t)
	tb := validators.NewTable(in.Schema, in.Records)
	if k := tb.Key(2); k != "2021-05-01T02:00:00.000000Z" {
		t.Errorf("key %q", k)
	}
	if k := tb.Key(6); k != "2021-05-01T02:00:00.000000Z#1" {
		t.Errorf("repeat key %q", k)
	}
	src := validators.NewTable(&datasets.Schema{Columns: in.Schema.Columns, Key: []string{"_source", "ts"}}, in.Records)
	if k := src.Key(0); !strings.HasPrefix(k, "a%2Fb%25/") {
		t.Errorf("string key not escaped: %q", k)
	}
}

func TestNumberAndDuration(t *testing.T) {
	for in, want := range map[float64]string{3: "3", 0.1234567891234: "0.123456789", 1e300: "1e+300"} {
		b, _ := validators.Number(in).MarshalJSON()
		if string(b) != want {
			t.Errorf("%g → %s, want %s", in, b, want)
		}
	}
	var d validators.Duration
	if err := d.UnmarshalText([]byte("7d")); err != nil || d.D() != 7*24*time.Hour {
		t.Errorf("7d → %v %v", d.D(), err)
	}
	if err := d.UnmarshalText([]byte("soon")); err == nil {
		t.Error("bad duration accepted")
	}
}

func TestMemHistoryScan(t *testing.T) {
	in := priceInput(t)
	h := validators.NewMemHistory()
	defer h.Release()
	h.Add("p", in.Schema, in.Records...)
	h.Add("p", in.Schema, in.Records...)
	var n int64
	if err := h.Scan(context.Background(), "p", 0, 5, 9, func(r arrow.RecordBatch) error { n += r.NumRows(); return nil }); err != nil || n != 4 {
		t.Fatalf("scanned %d rows: %v", n, err)
	}
	if _, err := h.Manifest(context.Background(), "nope", 0); !errors.Is(err, validators.ErrNoHistory) {
		t.Fatalf("missing dataset: %v", err)
	}
}
