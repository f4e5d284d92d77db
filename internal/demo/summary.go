package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// Summary is what the demo did, as printed (and written to summary.json).
type Summary struct {
	Dir       string         `json:"dir"`
	RPC       string         `json:"rpc"`
	ChainID   uint64         `json:"chainId"`
	Registry  common.Address `json:"registry"`
	Stewards  []Steward      `json:"stewards"`
	Threshold int            `json:"threshold"`
	Head      uint64         `json:"head"`
	Proposals int            `json:"proposals"`
	Votes     int            `json:"votes"`
	Feeds     []FeedInfo     `json:"feeds"`
	// Runs are the pipeline's runs, as the run history records them.
	Runs         []store.RunRecord `json:"runs"`
	Datasets     []DatasetSummary  `json:"datasets"`
	Families     []FamilySummary   `json:"families"`
	Attacks      []AttackResult    `json:"attacks"`
	Attestations []Attestation     `json:"attestations"`
	Verified     []Verification    `json:"verified"`
	Seconds      float64           `json:"seconds"`
}

// FeedInfo is a price feed as the summary shows it.
type FeedInfo struct {
	Name     string `json:"name"`
	Dataset  string `json:"dataset"`
	URL      string `json:"url"`
	Poisoned bool   `json:"poisoned,omitempty"`
}

// DatasetSummary is one dataset's version made by the demo's run.
type DatasetSummary struct {
	Dataset     string `json:"dataset"`
	Job         string `json:"job"`
	Version     uint64 `json:"version"`
	Status      string `json:"status"`
	Root        string `json:"root"`
	Rows        uint64 `json:"rows"`
	RowsIn      uint64 `json:"rowsIn"`
	Accepted    uint64 `json:"accepted"`
	Quarantined uint64 `json:"quarantined"`
	// Reasons counts the quarantined rows by the codes that quarantined them.
	Reasons map[string]int `json:"reasons,omitempty"`
	// Signers is how many stewards signed; Attestation the run's
	// attestation state (attested, pending, review).
	Signers     int    `json:"signers"`
	Attestation string `json:"attestation"`
}

// FamilySummary counts the findings of one family (poisoning, gaming, gaps).
type FamilySummary struct {
	Family string `json:"family"`
	// Failing are the failing findings by code; Passed the checks that passed.
	Failing []CodeCount `json:"failing"`
	Passed  int         `json:"passed"`
}

// CodeCount is how often a code failed and how many rows it named.
type CodeCount struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Findings int      `json:"findings"`
	Rows     int      `json:"rows"`
	Datasets []string `json:"datasets"`
}

// AttackResult says whether the validators flagged a scripted attack.
type AttackResult struct {
	Attack
	Flagged int  `json:"flagged"`
	Want    int  `json:"want"`
	OK      bool `json:"ok"`
}

// Attestation is one attestation transaction on the registry.
type Attestation struct {
	Ref     string   `json:"ref"`
	Tx      string   `json:"tx"`
	Block   uint64   `json:"block"`
	Signers []string `json:"signers"`
}

// Verification is the outcome of `groundtruth verify REF --rpc … --registry …`.
type Verification struct {
	Ref    string `json:"ref"`
	OK     bool   `json:"ok"`
	Output string `json:"output,omitempty"`
}

// Summarize builds the summary from the runs and the data directory's
// catalog (st, opened read-only).
func Summarize(ctx context.Context, w *World, runs []*pipeline.RunResult, st *store.Store) (*Summary, error) {
	s := &Summary{Dir: w.Dir, RPC: w.Chain.RPCURL(), ChainID: w.Chain.ChainID().Uint64(), Registry: w.Registry, Stewards: w.Stewards,
		Threshold: Threshold, Head: w.Head, Proposals: w.Proposals, Votes: w.Votes}
	for _, f := range w.Feeds.List {
		s.Feeds = append(s.Feeds, FeedInfo{Name: f.Name, Dataset: f.Dataset, URL: f.URL, Poisoned: f.Poisoned})
	}
	reports := map[string]*validators.Report{}
	for _, r := range runs {
		s.Runs = append(s.Runs, r.Record)
		if r.Ingest != nil && r.Ingest.Validation != nil {
			reports[r.Record.Dataset] = r.Ingest.Validation.Report
		}
		ds, err := datasetSummary(ctx, st, r)
		if err != nil {
			return nil, err
		}
		if ds != nil {
			s.Datasets = append(s.Datasets, *ds)
		}
	}
	s.Families = families(reports)
	for _, a := range w.Attacks {
		s.Attacks = append(s.Attacks, judge(a, reports[a.Dataset]))
	}
	var err error
	s.Attestations, err = attestations(ctx, w, st)
	return s, err
}

// datasetSummary summarises the version a run sealed (nil when none).
func datasetSummary(ctx context.Context, st *store.Store, r *pipeline.RunResult) (*DatasetSummary, error) {
	rec := r.Record
	if rec.Version == nil {
		return nil, nil
	}
	d := &DatasetSummary{Dataset: rec.Dataset, Job: rec.Job, Version: *rec.Version, RowsIn: rec.RowsIn, Accepted: rec.RowsAccepted,
		Quarantined: rec.RowsQuarantined, Attestation: rec.Attestation}
	for _, o := range r.Attested {
		if o.Version == d.Version {
			d.Signers = o.Signers
		}
	}
	vs, err := st.Versions(ctx, rec.Dataset)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.Version == d.Version {
			d.Status, d.Root, d.Rows = v.Status, v.MerkleRoot.String(), v.Rows
		}
	}
	if r.Ingest != nil && r.Ingest.Validation != nil {
		d.Reasons = reasons(r.Ingest.Validation.Report)
	}
	return d, nil
}

// reasons counts quarantined rows by the codes of the failing findings
// that quarantined them.
func reasons(rep *validators.Report) map[string]int {
	q := map[string]bool{}
	for _, k := range rep.Quarantined {
		q[k] = true
	}
	out := map[string]int{}
	for _, f := range rep.Findings {
		if f.Passed || f.Action != validators.Quarantine {
			continue
		}
		for _, k := range f.Rows {
			if q[k] {
				out[string(f.Code)]++
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// families counts every report's findings by family and code.
func families(reports map[string]*validators.Report) []FamilySummary {
	byFam := map[string]*FamilySummary{}
	codes := map[string]*CodeCount{}
	for _, name := range sortedKeys(reports) {
		for _, f := range reports[name].Findings {
			fam, _, _ := strings.Cut(string(f.Code), ".")
			fs := byFam[fam]
			if fs == nil {
				fs = &FamilySummary{Family: fam}
				byFam[fam] = fs
			}
			if f.Passed {
				fs.Passed++
				continue
			}
			c := codes[string(f.Code)]
			if c == nil {
				c = &CodeCount{Code: string(f.Code), Severity: string(f.Severity)}
				codes[string(f.Code)] = c
			}
			c.Findings++
			c.Rows += len(f.Rows)
			if !slices.Contains(c.Datasets, name) {
				c.Datasets = append(c.Datasets, name)
			}
		}
	}
	for _, code := range sortedKeys(codes) {
		fam, _, _ := strings.Cut(code, ".")
		byFam[fam].Failing = append(byFam[fam].Failing, *codes[code])
	}
	var out []FamilySummary
	for _, fam := range sortedKeys(byFam) {
		out = append(out, *byFam[fam])
	}
	return out
}

// judge counts the attack's rows named by failing findings of its codes.
func judge(a Attack, rep *validators.Report) AttackResult {
	res := AttackResult{Attack: a, Want: a.Min}
	if res.Want == 0 {
		res.Want = len(a.Keys)
	}
	if rep == nil {
		return res
	}
	flagged := map[string]bool{}
	for _, f := range rep.Findings {
		if !f.Passed && slices.Contains(a.Codes, string(f.Code)) {
			for _, k := range f.Rows {
				flagged[k] = true
			}
		}
	}
	for _, k := range a.Keys {
		if matchKey(flagged, k) {
			res.Flagged++
		}
	}
	res.OK = res.Want > 0 && res.Flagged >= res.Want
	return res
}

// matchKey reports whether a flagged row has key k; "*/" + suffix matches
// any source's row with that suffix (price rows are keyed source/ts).
func matchKey(flagged map[string]bool, k string) bool {
	if !strings.HasPrefix(k, "*/") {
		return flagged[k]
	}
	for f := range flagged {
		if strings.HasSuffix(f, k[1:]) {
			return true
		}
	}
	return false
}

// attestations reads the registry transactions from the catalog, with
// their blocks and signers.
func attestations(ctx context.Context, w *World, st *store.Store) ([]Attestation, error) {
	// One row per attestation and signer (portable SQL: no string_agg).
	rows, err := st.DB().QueryContext(ctx, `SELECT a.dataset, a.version, a.ref, s.signer
		FROM gt.attestations a LEFT JOIN
		  (SELECT DISTINCT dataset, version, lower(signer) AS signer FROM gt.signatures WHERE purpose = 'attest') s
		  ON s.dataset = a.dataset AND s.version = a.version
		ORDER BY a.attested_at, a.dataset, a.version, a.ref`)
	if err != nil {
		return nil, fmt.Errorf("attestations: %w", err)
	}
	defer rows.Close()
	names := map[string]string{}
	for _, s := range w.Stewards {
		names[strings.ToLower(s.Address.Hex())] = s.Name
	}
	var out []Attestation
	for rows.Next() {
		var ds, ref string
		var ver uint64
		var signer *string
		if err := rows.Scan(&ds, &ver, &ref, &signer); err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%s@%d", ds, ver)
		if n := len(out); n == 0 || out[n-1].Ref != name || out[n-1].Tx != ref {
			a := Attestation{Ref: name, Tx: ref}
			if rc, err := w.Chain.Client().TransactionReceipt(ctx, common.HexToHash(ref)); err == nil {
				a.Block = rc.BlockNumber.Uint64()
			}
			out = append(out, a)
		}
		if signer != nil {
			a := &out[len(out)-1]
			a.Signers = append(a.Signers, cmp.Or(names[*signer], *signer))
			sort.Strings(a.Signers)
		}
	}
	return out, rows.Err()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Failures lists what the demo promised and did not do: an attack not
// flagged, a run that failed, a version not attested, a verification that
// failed.
func (s *Summary) Failures() []string {
	var out []string
	for _, a := range s.Attacks {
		if !a.OK {
			out = append(out, fmt.Sprintf("attack not flagged: %s (%d of %d rows)", a.Name, a.Flagged, a.Want))
		}
	}
	for _, r := range s.Runs {
		if r.Error != "" {
			out = append(out, fmt.Sprintf("run %s: %s", r.Job, r.Error))
		}
	}
	for _, d := range s.Datasets {
		if d.Status != "attested" {
			out = append(out, fmt.Sprintf("%s@%d is %s, not attested", d.Dataset, d.Version, d.Status))
		}
	}
	for _, v := range s.Verified {
		if !v.OK {
			out = append(out, fmt.Sprintf("verify %s failed", v.Ref))
		}
	}
	return out
}
