package scenarios

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// scorePrices scores poisoning by rows and gaps by rows (frozen values) and
// incidents (missing stretches); time-bucket findings the clean run also
// has are real gaps of the series and not counted.
func scorePrices(t *testing.T, name string, l *labels, clean, dirty priceRun) {
	knownGaps := map[string]bool{}
	for s, o := range clean {
		for _, f := range failing(o, "gaps") {
			if f.Code == "gaps.time_bucket" {
				knownGaps[s+" "+f.Subject] = true
			}
		}
	}
	fam := map[string]*score{"poisoning": {}, "gaps": {}}
	for _, s := range sourceNames {
		o := dirty[s]
		ts, _ := o.Input.Table.Ints("ts")
		flagged := map[string]map[int]bool{"poisoning": {}, "gaps": {}}
		for _, f := range failing(o, "") {
			if f.Code == "gaps.time_bucket" || f.Code == "gaps.stale" {
				continue
			}
			for _, r := range f.Rows {
				flagged[f.Code.Family()][r] = true
			}
		}
		for family, rows := range flagged {
			for r := range rows {
				us := ts.Values[r]
				switch {
				case l.bad[s][us] != "":
					fam[family].tp++
				case !l.grey[s][us]:
					fam[family].fp++
					t.Logf("false alarm: %s %s row at %s: %v", family, s, validators.FormatTime(us), codesOf(o, r))
				}
			}
		}
		for us, family := range l.bad[s] {
			if r := rowAt(ts, us); r < 0 || !flagged[family][r] {
				fam[family].fn++
			}
		}
		confirmed := 0
		for _, f := range o.Findings {
			if f.Code == "poisoning.confirmed_move" {
				confirmed++
			}
		}
		if confirmed > 0 {
			t.Logf("source %s: %d outliers or jumps confirmed by the other sources (kept as real moves)", s, confirmed)
		}
		if l.wantNone && len(o.QuarantinedRows()) > 0 {
			t.Errorf("source %s: %d rows quarantined in a move all sources confirm", s, len(o.QuarantinedRows()))
		}
		checkQuarantined(t, s, o, l, ts)
		scoreBuckets(t, s, o, l, knownGaps, fam["gaps"])
	}
	for _, f := range []string{"poisoning", "gaps"} {
		if s := fam[f]; s.tp+s.fp+s.fn > 0 || f == "poisoning" {
			record(t, f, "prices: "+name, s.tp, s.fp, s.fn)
		}
	}
}

// checkQuarantined requires every labelled poisoning row to be quarantined.
func checkQuarantined(t *testing.T, s string, o *validators.Outcome, l *labels, ts *validators.Col[int64]) {
	for us, family := range l.bad[s] {
		if r := rowAt(ts, us); family == "poisoning" && r >= 0 && !o.Quarantined[r] {
			t.Errorf("source %s: bad row at %s was not quarantined", s, validators.FormatTime(us))
		}
	}
}

func scoreBuckets(t *testing.T, s string, o *validators.Outcome, l *labels, known map[string]bool, sc *score) {
	found := make([]bool, len(l.missing))
	for _, f := range failing(o, "gaps") {
		if f.Code != "gaps.time_bucket" || known[s+" "+f.Subject] {
			continue
		}
		from, to := parseInterval(f.Subject)
		hit := false
		for i, m := range l.missing {
			if m.source == s && from.Before(m.to) && m.from.Before(to) {
				found[i], hit = true, true
			}
		}
		if !hit {
			sc.fp++
			t.Logf("unexplained gap: %s %s", s, f.Subject)
		}
	}
	for i, m := range l.missing {
		if m.source != s {
			continue
		}
		if found[i] {
			sc.tp++
		} else {
			sc.fn++
			t.Logf("missed gap %s %s..%s", s, m.from, m.to)
		}
	}
}

func parseInterval(s string) (time.Time, time.Time) {
	a, b, _ := strings.Cut(s, "/")
	from, _ := time.Parse(time.RFC3339, a)
	to, _ := time.Parse(time.RFC3339, b)
	return from, to
}

func rowAt(ts *validators.Col[int64], us int64) int {
	i := sort.Search(len(ts.Values), func(i int) bool { return ts.Values[i] >= us })
	if i < len(ts.Values) && ts.Values[i] == us {
		return i
	}
	return -1
}

func codesOf(o *validators.Outcome, row int) []string {
	var out []string
	for _, f := range failing(o, "") {
		for _, r := range f.Rows {
			if r == row {
				out = append(out, string(f.Code)+": "+f.Message)
			}
		}
	}
	return out
}
