package validators

import (
	"crypto/sha256"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// ReportFormat is the version of the report format this package writes.
const ReportFormat = 1

// Report is the validation report of one run (docs/validators.md). Its
// canonical JSON (datasets.CanonicalJSON) is hashed into the manifest of the
// version the run sealed.
type Report struct {
	FormatVersion int    `json:"formatVersion"`
	Dataset       string `json:"dataset"`
	Job           string `json:"job"`
	Run           string `json:"run"`
	CreatedAt     string `json:"createdAt"`
	// DryRun is true for `groundtruth validate`, which seals nothing.
	DryRun bool `json:"dryRun"`
	// Blocked is true when a finding's action blocked the version.
	Blocked bool      `json:"blocked"`
	Rows    RowCounts `json:"rows"`
	// Validators are the names of the validators that ran, in order.
	Validators []string        `json:"validators"`
	Findings   []ReportFinding `json:"findings"`
	// Quarantined are the keys of the rows left out of the version.
	Quarantined []string `json:"quarantined"`
	// Decisions are the stewards' quarantine decisions applied by this run
	// (approved rows are appended to the version after the new rows).
	Decisions []Decision `json:"decisions"`
	// Policy is the effective action of every code of the validators.
	Policy map[string]Action `json:"policy"`
}

// RowCounts counts the rows of a run.
type RowCounts struct {
	Input       int `json:"input"`
	Accepted    int `json:"accepted"`
	Quarantined int `json:"quarantined"`
	Approved    int `json:"approved"`
}

// ReportFinding is a finding as the report shows it.
type ReportFinding struct {
	Code      Code     `json:"code"`
	Severity  Severity `json:"severity"`
	Validator string   `json:"validator"`
	Rows      []string `json:"rows"`
	// Locators say where each row came from, in the order of Rows:
	// "<source> line N" for files, "block B log L" for chain events;
	// absent when the rows carry no such columns.
	Locators  []string `json:"locators,omitempty"`
	Subject   string   `json:"subject,omitempty"`
	Value     Number   `json:"value"`
	Threshold Number   `json:"threshold"`
	Passed    bool     `json:"passed"`
	// Action is what the policy did: keep, quarantine or block ("" for a
	// passed check).
	Action  Action `json:"action"`
	Message string `json:"message"`
}

// Decision is a steward's decision on a quarantined row.
type Decision struct {
	// ID is the quarantine entry's id.
	ID string `json:"id"`
	// Row is the row's key as it was quarantined.
	Row      string `json:"row"`
	Decision string `json:"decision"`
	Steward  string `json:"steward"`
	// DecidedAt is RFC 3339 UTC.
	DecidedAt string `json:"decidedAt"`
	Note      string `json:"note,omitempty"`
	// Signature is the steward's EIP-712 signature of the decision
	// (docs/SPEC.md §12.7), 0x hex; empty for a decision recorded without
	// a key. Steward is then the signer's address.
	Signature string `json:"signature"`
	Codes     []Code `json:"codes"`
}

// RunInfo identifies a run for its report.
type RunInfo struct {
	Dataset, Job, Run string
	Now               time.Time
	DryRun            bool
	Decisions         []Decision
	Approved          int
}

// Canonical returns the report's canonical JSON bytes.
func (r *Report) Canonical() ([]byte, error) { return datasets.CanonicalJSON(r) }

// Hash returns the SHA-256 of the canonical JSON: the manifest's reportHash.
func (r *Report) Hash() (datasets.Hash, error) {
	b, err := r.Canonical()
	if err != nil {
		return datasets.Hash{}, err
	}
	return datasets.Hash(sha256.Sum256(b)), nil
}

// Failing returns the findings that did not pass.
func (r *Report) Failing() []ReportFinding {
	var out []ReportFinding
	for _, f := range r.Findings {
		if !f.Passed {
			out = append(out, f)
		}
	}
	return out
}

// WriteText prints the human summary: one line per failing finding (most
// severe first), then the counts.
func (r *Report) WriteText(w io.Writer) error {
	fail := r.Failing()
	sort.SliceStable(fail, func(i, j int) bool { return fail[i].Severity.Rank() > fail[j].Severity.Rank() })
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tCODE\tACTION\tROWS\tVALUE\tTHRESHOLD\tSUBJECT\tMESSAGE")
	for _, f := range fail {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, f.Code, f.Action, rowsCell(f.Rows),
			formatNumber(f.Value), formatNumber(f.Threshold), f.Subject, oneLine(f.Message, 100))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := "accepted"
	switch {
	case r.Blocked:
		verdict = "BLOCKED"
	case r.DryRun:
		verdict = "dry run"
	}
	_, err := fmt.Fprintf(w, "%s: %d rows in, %d accepted, %d quarantined, %d approved; %d findings failed, %d checks passed; %s\n",
		r.Dataset, r.Rows.Input, r.Rows.Accepted, r.Rows.Quarantined, r.Rows.Approved, len(fail), len(r.Findings)-len(fail), verdict)
	return err
}

func rowsCell(rows []string) string {
	switch len(rows) {
	case 0:
		return "-"
	case 1:
		return oneLine(rows[0], 40)
	}
	return fmt.Sprintf("%s (+%d)", oneLine(rows[0], 30), len(rows)-1)
}

func formatNumber(n Number) string {
	b, _ := n.MarshalJSON()
	return string(b)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
