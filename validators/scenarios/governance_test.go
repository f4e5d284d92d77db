package scenarios

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/validators"
)

var update = flag.Bool("update", false, "rewrite the golden lists of real findings")

// governanceCase is one real export with its example configuration.
type governanceCase struct {
	name, example, csv string
	// proposal column of votes, vote event, weight column, for value
	voteID, voteEvent, weight, forValue string
	quorum                              float64
}

var governanceCases = []governanceCase{
	{"bravo", "compound-bravo-validated", "governance/compound_governor_bravo.csv", "proposalId", "VoteCast", "votes", "1.0", 4e23},
	{"aave", "aave-governance-v2-validated", "governance/aave_governance_v2.csv", "id", "VoteEmitted", "votingPower", "True", 3.2e23},
	{"alpha", "compound-alpha-validated", "governance/compound_governor_alpha.csv", "proposalId", "VoteCast", "votes", "True", 4e23},
}

// TestRealGovernanceUntouched runs the example configurations on the real
// exports and lists every finding at warn or above with the reason it is
// real (testdata/<name>_real_findings.golden; -update rewrites it). A
// finding without a reason is a false alarm and fails the test.
func TestRealGovernanceUntouched(t *testing.T) {
	for _, c := range governanceCases {
		t.Run(c.name, func(t *testing.T) {
			job, src, suite := exampleJob(t, c.example, shareddata.SharedData(t, c.csv))
			recs := fetchAll(t, src)
			defer releaseAll(recs)
			out := run(t, suite, job.Dataset, src.Schema(), recs, validators.NoHistory{}, time.Now())
			var lines []string
			for _, f := range failing(out, "") {
				reason := realReason(f)
				if reason == "" {
					t.Errorf("false alarm on real data: %s %s %s: %s", f.Severity, f.Code, f.Subject, f.Message)
				}
				lines = append(lines, fmt.Sprintf("%s\t%s\t%s\t%s", f.Code, f.Subject, f.Severity, reason))
			}
			t.Logf("%d rows, %d findings at warn or above, all explained", out.Input.Rows(), len(lines))
			checkGolden(t, filepath.Join("testdata", c.name+"_real_findings.golden"), strings.Join(lines, "\n")+"\n")
		})
	}
}

// realReason explains why a finding on the untouched export is real, or
// returns "" when it cannot.
func realReason(f validators.Finding) string {
	switch f.Code {
	case "gaming.few_voter_quorum":
		voters := f.Message[strings.Index(f.Message, "["):]
		return fmt.Sprintf("real: the on-chain tally reached quorum through %g of the largest delegates %s; delegated power is that concentrated", f.Value, voters)
	case "gaming.upgrade_call":
		return "real: an executed governance upgrade of the protocol's own contracts (" + f.Message + "); upgrades are listed for review, not errors"
	case "gaming.ownership_call":
		return "real: a governance hand-over of admin rights (" + f.Message + ") that passed on chain"
	}
	return ""
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the findings (run with -update after checking them):\n--- got\n%s", path, got)
	}
}

// damage is what was done to a copy of an export.
type damage struct {
	createdRemoved []int64           // ProposalCreated rows removed, votes kept
	wholeRemoved   []int64           // every row of the proposal removed
	whalesRemoved  []int64           // largest for votes removed until below quorum
	dupKeys        map[string]string // "txhash/log_index" of inserted copies → their weight
}

// TestDamagedGovernance damages copies of the real exports (ProposalCreated
// rows removed, whole proposals removed, the largest for votes of passed
// proposals removed, 30 votes duplicated with changed weights right after
// their originals: half with the same key, half with another log index)
// and scores the findings: the duplicates row by row (poisoning), the
// removals as incidents (gaps) matched by the finding's subject. Findings
// the untouched export also has are real and not counted.
func TestDamagedGovernance(t *testing.T) {
	for _, c := range governanceCases {
		t.Run(c.name, func(t *testing.T) {
			orig := shareddata.SharedData(t, c.csv)
			known := realFindings(t, c, orig)
			damaged := filepath.Join(t.TempDir(), c.name+".csv")
			d := damageCSV(t, c, orig, damaged)
			job, src, suite := exampleJob(t, c.example, damaged)
			recs := fetchAll(t, src)
			defer releaseAll(recs)
			out := run(t, suite, job.Dataset, src.Schema(), recs, validators.NoHistory{}, time.Now())
			scoreDuplicates(t, c, out, d, known)
			scoreRemovals(t, c, out, d, known)
		})
	}
}

func realFindings(t *testing.T, c governanceCase, csvPath string) map[string]bool {
	job, src, suite := exampleJob(t, c.example, csvPath)
	recs := fetchAll(t, src)
	defer releaseAll(recs)
	out := run(t, suite, job.Dataset, src.Schema(), recs, validators.NoHistory{}, time.Now())
	known := map[string]bool{}
	for _, f := range failing(out, "") {
		known[string(f.Code)+" "+f.Subject] = true
	}
	return known
}

func scoreDuplicates(t *testing.T, c governanceCase, out *validators.Outcome, d *damage, known map[string]bool) {
	tb := out.Input.Table
	bad := map[int]bool{}
	weightCol := map[string]string{"bravo": "votes", "aave": "voting_power", "alpha": "votes"}[c.name]
	for r := 0; r < tb.Len(); r++ {
		if w, ok := d.dupKeys[tb.Value(r, "txhash")+"/"+tb.Value(r, "log_index")]; ok && tb.Value(r, weightCol) == w {
			bad[r] = true
		}
	}
	if len(bad) != len(d.dupKeys) {
		t.Fatalf("found %d of the %d inserted copies in the input", len(bad), len(d.dupKeys))
	}
	tp, fp, fn := scoreRows(out, "poisoning", bad, known)
	record(t, "poisoning", c.name+": changed duplicates", tp, fp, fn)
}

// scoreRows scores the rows flagged at warn or above by family against bad.
func scoreRows(out *validators.Outcome, family string, bad map[int]bool, known map[string]bool) (tp, fp, fn int) {
	flagged := map[int]bool{}
	for _, f := range failing(out, family) {
		if known[string(f.Code)+" "+f.Subject] {
			continue
		}
		for _, r := range f.Rows {
			flagged[r] = true
		}
	}
	for r := range flagged {
		if bad[r] {
			tp++
		} else {
			fp++
		}
	}
	for r := range bad {
		if !flagged[r] {
			fn++
		}
	}
	return tp, fp, fn
}

func scoreRemovals(t *testing.T, c governanceCase, out *validators.Outcome, d *damage, known map[string]bool) {
	type incident struct {
		name  string
		match func(validators.Finding) bool
	}
	var incs []incident
	for _, id := range append(append([]int64{}, d.createdRemoved...), d.wholeRemoved...) {
		incs = append(incs, incident{fmt.Sprintf("proposal %d created", id), func(f validators.Finding) bool {
			return f.Code == "gaps.sequence_gap" && inRange(f.Subject, id) || f.Code == "gaps.orphan_reference" && strings.HasSuffix(f.Subject, fmt.Sprintf(":%d", id))
		}})
	}
	for _, id := range d.whalesRemoved {
		incs = append(incs, incident{fmt.Sprintf("votes of proposal %d", id), func(f validators.Finding) bool {
			p := fmt.Sprintf("proposal:%d", id) // the subject names the governor first: 0x…/proposal:N
			return f.Code == "gaps.tally_shortfall" && (f.Subject == p || strings.HasSuffix(f.Subject, "/"+p))
		}})
	}
	found := make([]bool, len(incs))
	fp := 0
	for _, f := range failing(out, "gaps") {
		hit := false
		for i, inc := range incs {
			if inc.match(f) {
				found[i], hit = true, true
			}
		}
		if !hit && !known[string(f.Code)+" "+f.Subject] {
			fp++
			t.Logf("unexplained gaps finding: %s %s %s", f.Code, f.Subject, f.Message)
		}
	}
	tp := 0
	for i, ok := range found {
		if ok {
			tp++
		} else {
			t.Logf("missed: %s", incs[i].name)
		}
	}
	record(t, "gaps", c.name+": removed rows (incidents)", tp, fp, len(incs)-tp)
}

// inRange reports whether a subject "col:a..b" covers id.
func inRange(subject string, id int64) bool {
	_, r, ok := strings.Cut(subject, ":")
	a, b, ok2 := strings.Cut(r, "..")
	if !ok || !ok2 {
		return false
	}
	lo, err1 := strconv.ParseInt(a, 10, 64)
	hi, err2 := strconv.ParseInt(b, 10, 64)
	return err1 == nil && err2 == nil && lo <= id && id <= hi
}
