package demo

import (
	"reflect"
	"testing"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// report is a small validation report for the judging tests.
func report() *validators.Report {
	return &validators.Report{
		Findings: []validators.ReportFinding{
			{Code: "gaming.sybil_cluster", Severity: validators.Error, Rows: []string{"0xa/1", "0xb/2"}, Action: validators.Keep},
			{Code: "gaming.jit_power", Severity: validators.Error, Passed: true, Rows: []string{"0xc/0"}},
			{Code: "poisoning.jump", Severity: validators.Error, Rows: []string{"feed/2025-01-01T10:00:00.000000Z"}, Action: validators.Quarantine},
			{Code: "poisoning.mad_outlier", Severity: validators.Error, Rows: []string{"feed/2025-01-01T10:00:00.000000Z"}, Action: validators.Quarantine},
			{Code: "poisoning.cross_source_disagreement", Severity: validators.Warn, Rows: []string{"feed/2025-01-01T11:00:00.000000Z"}, Action: validators.Keep},
		},
		Quarantined: []string{"feed/2025-01-01T10:00:00.000000Z"},
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name    string
		attack  Attack
		flagged int
		ok      bool
	}{
		{"all rows", Attack{Codes: []string{"gaming.sybil_cluster"}, Keys: []string{"0xa/1", "0xb/2"}}, 2, true},
		{"a row missing", Attack{Codes: []string{"gaming.sybil_cluster"}, Keys: []string{"0xa/1", "0xz/9"}}, 1, false},
		{"enough rows", Attack{Codes: []string{"gaming.sybil_cluster"}, Keys: []string{"0xa/1", "0xz/9"}, Min: 1}, 1, true},
		{"passed finding", Attack{Codes: []string{"gaming.jit_power"}, Keys: []string{"0xc/0"}}, 0, false},
		{"other code", Attack{Codes: []string{"gaming.jit_power"}, Keys: []string{"0xa/1"}}, 0, false},
		{"any source", Attack{Codes: []string{"poisoning.jump"}, Keys: []string{"*/2025-01-01T10:00:00.000000Z"}}, 1, true},
		{"no keys", Attack{Codes: []string{"poisoning.jump"}}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judge(tt.attack, report())
			if got.Flagged != tt.flagged || got.OK != tt.ok {
				t.Errorf("judge = %d flagged, ok %v; want %d, %v", got.Flagged, got.OK, tt.flagged, tt.ok)
			}
		})
	}
	if judge(Attack{Keys: []string{"x"}}, nil).OK {
		t.Error("an attack in a dataset without a report was judged flagged")
	}
}

func TestReasons(t *testing.T) {
	want := map[string]int{"poisoning.jump": 1, "poisoning.mad_outlier": 1}
	if got := reasons(report()); !reflect.DeepEqual(got, want) {
		t.Errorf("reasons = %v, want %v", got, want)
	}
	if got := reasons(&validators.Report{}); got != nil {
		t.Errorf("reasons of an empty report = %v", got)
	}
}

func TestFamilies(t *testing.T) {
	got := families(map[string]*validators.Report{"votes": report()})
	if len(got) != 2 || got[0].Family != "gaming" || got[0].Passed != 1 || len(got[0].Failing) != 1 ||
		got[1].Family != "poisoning" || len(got[1].Failing) != 3 || got[1].Failing[0].Code != "poisoning.cross_source_disagreement" {
		t.Errorf("families = %+v", got)
	}
}

func TestFailures(t *testing.T) {
	s := &Summary{
		Attacks:  []AttackResult{{Attack: Attack{Name: "a"}, OK: true}, {Attack: Attack{Name: "b"}, Want: 2}},
		Datasets: []DatasetSummary{{Dataset: "d", Version: 1, Status: "attested"}, {Dataset: "e", Version: 2, Status: "pending"}},
		Verified: []Verification{{Ref: "d@1", OK: true}, {Ref: "e@2"}},
	}
	want := []string{"attack not flagged: b (0 of 2 rows)", "e@2 is pending, not attested", "verify e@2 failed"}
	if got := s.Failures(); !reflect.DeepEqual(got, want) {
		t.Errorf("Failures() = %q, want %q", got, want)
	}
}
