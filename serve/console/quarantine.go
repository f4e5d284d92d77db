package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// Finding is one finding of the validation run that quarantined a row.
type Finding struct {
	Code      string   `json:"code"`
	Severity  string   `json:"severity"`
	Validator string   `json:"validator"`
	Action    string   `json:"action"`
	Subject   string   `json:"subject"`
	Passed    bool     `json:"passed"`
	Value     *float64 `json:"value,omitempty"`
	Threshold *float64 `json:"threshold,omitempty"`
	Message   string   `json:"message"`
	RowKeys   []string `json:"rowKeys,omitempty"`
}

// Entry is a quarantined row with the findings that name it and whether
// its decision's signature verifies. Its values are decoded from the
// stored row (row_ipc), the row a decision signs and the writer appends,
// never taken from the catalog's rendering (row_json).
type Entry struct {
	store.QuarantineEntry
	Findings  []Finding `json:"findings"`
	Signature string    `json:"signatureStatus"`
	// Leaf is the leaf hash of the stored row: what a decision signs.
	Leaf string `json:"leaf"`
	// RowCheck is "ok", or why the entry cannot be decided (its rendering
	// and its stored row disagree, or the row does not decode).
	RowCheck string `json:"rowCheck"`
}

// newEntry returns the console's view of e: the values and leaf of its
// stored row, and whether they agree with the catalog's rendering.
func newEntry(e *store.QuarantineEntry, findings []Finding) Entry {
	en := Entry{QuarantineEntry: *e, Findings: findings, Signature: signatureStatus(e), RowCheck: "ok"}
	values, leaf, err := pipeline.EntryRow(e, nil)
	if values != nil {
		en.RowJSON, en.Leaf = values, leaf.Hex()
	} else {
		en.RowJSON = json.RawMessage("null")
	}
	if err != nil {
		en.RowCheck = err.Error()
	}
	return en
}

// journalCheck flags en when e's stored row is not the row the journal
// recorded at quarantine time (store.CheckQuarantineRow): RowCheck names
// the entry and the journal file. Other errors (the catalog unreadable)
// are returned.
func journalCheck(ctx context.Context, st *store.Store, e *store.QuarantineEntry, en *Entry) error {
	err := st.CheckQuarantineRow(ctx, e)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, store.ErrQuarantineTampered):
		return err
	case en.RowCheck == "ok":
		en.RowCheck = err.Error()
	default:
		en.RowCheck += "; " + err.Error()
	}
	return nil
}

// runFindings reads a validation run's findings (gt.findings).
func (c *Console) runFindings(ctx context.Context, runID string) ([]Finding, error) {
	rows, err := c.cfg.Store.DB().QueryContext(ctx, `SELECT code, severity, validator, action, subject, passed, value, threshold, message, row_keys
		FROM gt.findings WHERE run_id = ? ORDER BY ordinal`, runID)
	if err != nil {
		return nil, fmt.Errorf("%w: findings of run %s: %v", store.ErrCatalog, runID, err)
	}
	defer rows.Close()
	out := []Finding{}
	for rows.Next() {
		var f Finding
		var keys string
		if err := rows.Scan(&f.Code, &f.Severity, &f.Validator, &f.Action, &f.Subject, &f.Passed, &f.Value, &f.Threshold, &f.Message, &keys); err != nil {
			return nil, fmt.Errorf("%w: findings of run %s: %v", store.ErrCatalog, runID, err)
		}
		if err := json.Unmarshal([]byte(keys), &f.RowKeys); err != nil {
			return nil, fmt.Errorf("%w: run %s: row keys %q: %v", store.ErrCatalog, runID, keys, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// entryFindings returns the failing findings of e's run that name e's row
// (or, for a run-wide finding, one of e's codes).
func entryFindings(e *store.QuarantineEntry, all []Finding) []Finding {
	out := []Finding{}
	for _, f := range all {
		if f.Passed {
			continue
		}
		if slices.Contains(f.RowKeys, e.RowKey) || (len(f.RowKeys) == 0 && slices.Contains(e.Codes, f.Code)) {
			g := f
			if len(g.RowKeys) > 5 { // the row's own key is enough here
				g.RowKeys = []string{e.RowKey}
			}
			out = append(out, g)
		}
	}
	return out
}

// queueFilter is the queue's query: dataset, code (or family prefix such
// as "poisoning."), severity and status (default pending; "all").
type queueFilter struct{ dataset, code, severity, status string }

func (f queueFilter) keep(e *Entry) bool {
	if f.code != "" && !slices.ContainsFunc(e.Codes, func(c string) bool { return c == f.code || strings.HasPrefix(c, f.code) }) {
		return false
	}
	if f.severity != "" && !slices.ContainsFunc(e.Findings, func(x Finding) bool { return x.Severity == f.severity }) {
		return false
	}
	return true
}

// entries returns the quarantine entries that pass f, with their findings.
func (c *Console) entries(ctx context.Context, f queueFilter) ([]Entry, error) {
	status := f.status
	switch status {
	case "":
		status = store.QuarantinePending
	case "all":
		status = ""
	case store.QuarantinePending, store.QuarantineApproved, store.QuarantineRejected:
	default:
		return nil, fmt.Errorf("%w: status %q: want pending, approved, rejected or all", ErrBadRequest, f.status)
	}
	list, err := c.cfg.Store.QuarantineList(ctx, store.QuarantineFilter{Dataset: f.dataset, Status: status})
	if err != nil {
		return nil, err
	}
	byRun := map[string][]Finding{}
	out := []Entry{}
	for i := range list {
		e := &list[i]
		all, ok := byRun[e.RunID]
		if !ok {
			if all, err = c.runFindings(ctx, e.RunID); err != nil {
				return nil, err
			}
			byRun[e.RunID] = all
		}
		en := newEntry(e, entryFindings(e, all))
		if f.keep(&en) {
			out = append(out, en)
		}
	}
	return out, nil
}

// signatureStatus says whether a decided entry's signature verifies.
func signatureStatus(e *store.QuarantineEntry) string {
	switch {
	case e.DecidedAt == nil:
		return "-"
	case e.Signature == "":
		return "unsigned"
	}
	if err := pipeline.VerifyEntry(e); err != nil {
		return "INVALID: " + err.Error()
	}
	return "valid"
}

// Queue is the quarantine queue with the values its filters can take.
type Queue struct {
	Entries    []Entry  `json:"entries"`
	Datasets   []string `json:"datasets"`
	Codes      []string `json:"codes"`
	Severities []string `json:"severities"`
}

func (c *Console) handleQueue(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k := range q {
		if !slices.Contains([]string{"dataset", "code", "severity", "status"}, k) {
			return fmt.Errorf("%w: unknown parameter %q (want dataset, code, severity, status)", ErrBadRequest, k)
		}
	}
	f := queueFilter{dataset: q.Get("dataset"), code: q.Get("code"), severity: q.Get("severity"), status: q.Get("status")}
	if f.dataset != "" {
		if err := inScope(r.Context(), f.dataset, fmt.Sprintf("no dataset %q", f.dataset)); err != nil {
			return err
		}
	}
	list, err := c.entries(r.Context(), f)
	if err != nil {
		return err
	}
	all, err := c.entries(r.Context(), queueFilter{status: f.status})
	if err != nil {
		return err
	}
	list, all = scopeEntries(r.Context(), list), scopeEntries(r.Context(), all)
	out := Queue{Entries: list, Datasets: []string{}, Codes: []string{}, Severities: []string{}}
	for _, e := range all {
		out.Datasets = appendNew(out.Datasets, e.Dataset)
		for _, code := range e.Codes {
			out.Codes = appendNew(out.Codes, code)
		}
		for _, f := range e.Findings {
			out.Severities = appendNew(out.Severities, f.Severity)
		}
	}
	slices.Sort(out.Datasets)
	slices.Sort(out.Codes)
	slices.Sort(out.Severities)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func appendNew(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// EntryDetail is one entry with its context: a series plot for a value
// row, the related governance rows for a vote or proposal.
type EntryDetail struct {
	Entry
	Series  *Series  `json:"series,omitempty"`
	Related *Related `json:"related,omitempty"`
}

func (c *Console) handleEntry(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := c.cfg.Store.QuarantineGet(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := inScope(ctx, e.Dataset, fmt.Sprintf("no quarantine entry %q", r.PathValue("id"))); err != nil {
		return err
	}
	all, err := c.runFindings(ctx, e.RunID)
	if err != nil {
		return err
	}
	d := EntryDetail{Entry: newEntry(e, entryFindings(e, all))}
	if err := journalCheck(ctx, c.cfg.Store, e, &d.Entry); err != nil {
		return err
	}
	if d.Series, err = c.series(ctx, e); err != nil {
		return err
	}
	if d.Series == nil {
		if d.Related, err = c.related(ctx, e); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
