package scenarios

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"

	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// minProtocolPrecision is the precision target of the families measured
// under the production protocol.
const minProtocolPrecision = 0.95

// realTally counts the real large moves of one order: observations, and
// how many of them were flagged (warn or above) or quarantined.
type realTally struct{ seen, flagged, quarantined int }

var (
	realMu     sync.Mutex
	realScores = map[string]*realTally{} // order → tally
)

// protocolFamily names a family measured under the protocol in an order.
func protocolFamily(family, order string) string {
	return family + " (protocol " + order + ")"
}

// scoreProtocol scores one order of one scenario: poisoning rows must be
// quarantined, frozen values flagged, missing stretches reported; real
// large moves must not be quarantined.
func scoreProtocol(t *testing.T, scenario, order string, l *labels, real map[string]map[int64]bool, srcs map[string][]validatorstest.Point, obs map[string]*observed) {
	fam := map[string]*score{"poisoning": {}, "gaps": {}}
	var rt realTally
	for _, s := range sourceNames {
		ob := obs[s]
		flagged := map[string]map[int64]bool{"poisoning": {}, "gaps": {}}
		for us, fs := range ob.codes {
			for _, f := range fs {
				if f.Code != "gaps.stale" {
					flagged[f.Code.Family()][us] = true
				}
			}
		}
		for family, set := range flagged {
			for us := range set {
				switch {
				case l.bad[s][us] == family && (family != "poisoning" || ob.quarantined[us]):
					fam[family].tp++
				case l.bad[s][us] != "" || l.grey[s][us]:
				default:
					fam[family].fp++
					t.Logf("[%s] false alarm: %s %s row at %s: %s", order, family, s, validators.FormatTime(us), messages(ob.codes[us]))
				}
			}
		}
		for us, family := range l.bad[s] {
			if !flagged[family][us] || (family == "poisoning" && !ob.quarantined[us]) {
				fam[family].fn++
				t.Logf("[%s] missed: %s %s row at %s (%s)", order, family, s, validators.FormatTime(us), messages(ob.codes[us]))
			}
		}
		for us := range real[s] {
			if l.bad[s][us] != "" || !inWindow(us, l) {
				continue
			}
			rt.seen++
			if len(ob.codes[us]) > 0 {
				rt.flagged++
			}
			if ob.quarantined[us] {
				rt.quarantined++
				t.Errorf("[%s] real move quarantined: %s row at %s: %s", order, s, validators.FormatTime(us), messages(ob.codes[us]))
			}
		}
		scoreGaps(t, s, order, ob, l, srcs[s], fam["gaps"])
	}
	for _, f := range []string{"poisoning", "gaps"} {
		if s := fam[f]; s.tp+s.fp+s.fn > 0 || f == "poisoning" {
			record(t, protocolFamily(f, order), "prices: "+scenario, s.tp, s.fp, s.fn)
		}
	}
	realMu.Lock()
	defer realMu.Unlock()
	if realScores[order] == nil {
		realScores[order] = &realTally{}
	}
	r := realScores[order]
	r.seen, r.flagged, r.quarantined = r.seen+rt.seen, r.flagged+rt.flagged, r.quarantined+rt.quarantined
}

// inWindow reports whether the observation at us belongs to the scenario
// (its window was validated): the real move's row exists in the run.
func inWindow(us int64, l *labels) bool {
	return l.window[0] <= us && us < l.window[1]
}

// scoreGaps matches time-bucket findings with the removed stretches; a
// reported gap where the real series has no observation either is a real
// gap of the data and not counted.
func scoreGaps(t *testing.T, s, order string, ob *observed, l *labels, clean []validatorstest.Point, sc *score) {
	found := make([]bool, len(l.missing))
	for _, f := range ob.gaps {
		from, to := parseInterval(f.Subject)
		hit := false
		for i, m := range l.missing {
			if m.source == s && from.Before(m.to) && m.from.Before(to) {
				found[i], hit = true, true
			}
		}
		if !hit && len(window(clean, from, to)) > 0 {
			sc.fp++
			t.Logf("[%s] unexplained gap: %s %s", order, s, f.Subject)
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
			t.Logf("[%s] missed gap %s %s..%s", order, s, m.from, m.to)
		}
	}
}

func messages(fs []validators.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Code)+": "+f.Message)
	}
	return strings.Join(out, "; ")
}

// printReal prints the real large moves per order.
func printReal() {
	if len(realScores) == 0 {
		return
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "real moves ≥ %.2f log, order\tobservations\tflagged\tquarantined\t\n", realMove)
	for _, o := range sortedKeys(realScores) { // the orders, then the transformed series' orders
		r := realScores[o]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", o, r.seen, r.flagged, r.quarantined)
	}
	tw.Flush()
}
