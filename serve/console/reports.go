package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// maxRuns bounds the runs listed.
const maxRuns = 200

func (c *Console) handleRuns(w http.ResponseWriter, r *http.Request) error {
	runs, err := c.cfg.Store.Runs(r.Context(), store.RunFilter{Job: r.URL.Query().Get("job"), Limit: maxRuns, Datasets: scopeDatasets(r.Context())})
	if err != nil {
		return err
	}
	if runs == nil {
		runs = []store.RunRecord{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": runs})
	return nil
}

// FindingGroup is a report's findings of one family and code.
type FindingGroup struct {
	Family   string    `json:"family"`
	Code     string    `json:"code"`
	Failed   int       `json:"failed"`
	Passed   int       `json:"passed"`
	Findings []Finding `json:"findings"`
}

// RunReport is a run with its validation report: findings grouped by
// family and code, the checks that passed, the rows quarantined.
type RunReport struct {
	Run         store.RunRecord `json:"run"`
	Groups      []FindingGroup  `json:"groups"`
	Quarantined int             `json:"quarantined"`
	// Lineage is what the run's version took in besides the source's rows:
	// the stewards' signed quarantine decisions (gt.lineage).
	Lineage []LineageEntry `json:"lineage"`
}

// LineageEntry is one lineage record of a version.
type LineageEntry struct {
	Kind   string          `json:"kind"`
	Ref    string          `json:"ref"`
	Detail json.RawMessage `json:"detail"`
}

// maxGroupFindings bounds the findings listed per code.
const maxGroupFindings = 50

func (c *Console) handleRun(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	runs, err := c.cfg.Store.Runs(ctx, store.RunFilter{Limit: 10_000, Datasets: scopeDatasets(ctx)})
	if err != nil {
		return err
	}
	i := slices.IndexFunc(runs, func(x store.RunRecord) bool { return x.ID == id })
	if i < 0 {
		return fmt.Errorf("%w: no run %q", store.ErrNotFound, id)
	}
	rep := RunReport{Run: runs[i], Groups: []FindingGroup{}, Lineage: []LineageEntry{}}
	if v := rep.Run.Version; v != nil {
		if rep.Lineage, err = c.lineage(ctx, rep.Run.Dataset, *v); err != nil {
			return err
		}
	}
	if vr := rep.Run.ValidationRun; vr != "" {
		fs, err := c.runFindings(ctx, vr)
		if err != nil {
			return err
		}
		rep.Groups = groupFindings(fs)
		q, err := c.cfg.Store.QuarantineList(ctx, store.QuarantineFilter{Dataset: rep.Run.Dataset})
		if err != nil {
			return err
		}
		for _, e := range q {
			if e.RunID == vr {
				rep.Quarantined++
			}
		}
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// lineage reads a version's lineage records.
func (c *Console) lineage(ctx context.Context, dataset string, version uint64) ([]LineageEntry, error) {
	rows, err := c.cfg.Store.DB().QueryContext(ctx, `SELECT kind, ref, detail FROM gt.lineage WHERE dataset = ? AND version = ? ORDER BY kind, ref`, dataset, version)
	if err != nil {
		return nil, fmt.Errorf("%w: lineage of %s@%d: %v", store.ErrCatalog, dataset, version, err)
	}
	defer rows.Close()
	out := []LineageEntry{}
	for rows.Next() {
		var l LineageEntry
		var detail string
		if err := rows.Scan(&l.Kind, &l.Ref, &detail); err != nil {
			return nil, fmt.Errorf("%w: lineage of %s@%d: %v", store.ErrCatalog, dataset, version, err)
		}
		l.Detail = json.RawMessage(detail)
		if !json.Valid(l.Detail) {
			l.Detail, _ = json.Marshal(detail)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// groupFindings groups findings by code, failing codes first.
func groupFindings(fs []Finding) []FindingGroup {
	var out []FindingGroup
	at := map[string]int{}
	for _, f := range fs {
		i, ok := at[f.Code]
		if !ok {
			fam, _, _ := cut(f.Code)
			out = append(out, FindingGroup{Family: fam, Code: f.Code, Findings: []Finding{}})
			i = len(out) - 1
			at[f.Code] = i
		}
		g := &out[i]
		if f.Passed {
			g.Passed++
		} else {
			g.Failed++
		}
		if len(g.Findings) < maxGroupFindings {
			g.Findings = append(g.Findings, f)
		}
	}
	slices.SortStableFunc(out, func(a, b FindingGroup) int {
		if (a.Failed > 0) != (b.Failed > 0) {
			if a.Failed > 0 {
				return -1
			}
			return 1
		}
		if a.Family != b.Family {
			if a.Family < b.Family {
				return -1
			}
			return 1
		}
		return 0
	})
	if out == nil {
		out = []FindingGroup{}
	}
	return out
}

func cut(code string) (string, string, bool) {
	for i := 0; i < len(code); i++ {
		if code[i] == '.' {
			return code[:i], code[i+1:], true
		}
	}
	return code, "", false
}
