package console

import (
	"context"
	"net/http"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// JobState is one job on the overview.
type JobState struct {
	Name     string     `json:"name"`
	Dataset  string     `json:"dataset"`
	Schedule string     `json:"schedule,omitempty"`
	LastRun  *RunBrief  `json:"lastRun,omitempty"`
	NextTick *time.Time `json:"nextTick,omitempty"`
	// Failing is the daemon's failing state (retries exhausted), or
	// without the daemon whether the job's last run failed.
	Failing bool `json:"failing"`
}

// RunBrief is a run's identity and outcome.
type RunBrief struct {
	ID      string     `json:"id"`
	Outcome string     `json:"outcome"`
	Started time.Time  `json:"startedAt"`
	Ended   *time.Time `json:"endedAt,omitempty"`
	Error   string     `json:"error,omitempty"`
}

// VersionState is one version on the overview: its status and, by status,
// who signed it (pending), where it was anchored (attested) or why it was
// revoked.
type VersionState struct {
	Version   uint64                   `json:"version"`
	Rows      uint64                   `json:"rows"`
	Status    string                   `json:"status"`
	Root      string                   `json:"merkleRoot"`
	CreatedAt time.Time                `json:"createdAt"`
	Signers   []common.Address         `json:"signers"`
	Threshold int                      `json:"threshold,omitempty"`
	Receipts  []*attest.Receipt        `json:"receipts,omitempty"`
	Revoked   []store.RevocationRecord `json:"revocations,omitempty"`
}

// DatasetState is one dataset on the overview, newest version first.
type DatasetState struct {
	Name     string         `json:"name"`
	Versions []VersionState `json:"versions"`
}

// Overview is the console's home page.
type Overview struct {
	Jobs      []JobState       `json:"jobs"`
	Datasets  []DatasetState   `json:"datasets"`
	Stewards  []common.Address `json:"stewards"`
	Threshold int              `json:"threshold"`
	Backend   string           `json:"backend,omitempty"`
	// AttestationError says why the steward set is unknown, if it is.
	AttestationError string `json:"attestationError,omitempty"`
	Pending          int    `json:"pendingQuarantine"`
}

// maxVersions bounds the versions listed per dataset.
const maxVersions = 20

func (c *Console) handleOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ov := Overview{Jobs: []JobState{}, Datasets: []DatasetState{}, Stewards: []common.Address{}}
	backend := ""
	if col, err := c.collector(ctx); err != nil {
		ov.AttestationError = err.Error()
	} else {
		ov.Stewards, ov.Threshold = col.Policy.Stewards, col.Policy.Threshold
		backend = col.Backend.Target().Backend
		ov.Backend = backend
	}
	jobs, err := c.jobStates(ctx)
	if err != nil {
		return err
	}
	ov.Jobs = scopeJobs(ctx, jobs)
	ds, err := c.cfg.Store.Datasets(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if !allowed(ctx, d.Name) {
			continue
		}
		st, err := c.datasetState(ctx, d.Name, backend, ov.Threshold)
		if err != nil {
			return err
		}
		ov.Datasets = append(ov.Datasets, st)
	}
	pending, err := c.cfg.Store.QuarantineList(ctx, store.QuarantineFilter{Status: store.QuarantinePending})
	if err != nil {
		return err
	}
	for _, e := range pending {
		if allowed(ctx, e.Dataset) {
			ov.Pending++
		}
	}
	writeJSON(w, http.StatusOK, ov)
	return nil
}

// jobStates returns the configured jobs with their last run.
func (c *Console) jobStates(ctx context.Context) ([]JobState, error) {
	runs, err := c.cfg.Store.Runs(ctx, store.RunFilter{Limit: 500, Datasets: scopeDatasets(ctx)})
	if err != nil {
		return nil, err
	}
	last := map[string]*store.RunRecord{}
	for i := range runs {
		if _, ok := last[runs[i].Job]; !ok {
			last[runs[i].Job] = &runs[i]
		}
	}
	jobs := c.cfg.Jobs
	if len(jobs) == 0 { // serve without a configuration: the jobs that ran
		for _, r := range runs {
			if !containsJob(jobs, r.Job) {
				jobs = append(jobs, Job{Name: r.Job, Dataset: r.Dataset})
			}
		}
	}
	out := []JobState{}
	for _, j := range jobs {
		s := JobState{Name: j.Name, Dataset: j.Dataset, Schedule: j.Schedule}
		if r := last[j.Name]; r != nil {
			s.LastRun = &RunBrief{ID: r.ID, Outcome: r.Outcome, Started: r.Started, Ended: r.Ended, Error: r.Error}
			s.Failing = r.Outcome == store.RunFailed
		}
		if c.cfg.Schedule != nil {
			if t, failing, ok := c.cfg.Schedule(j.Name); ok {
				s.Failing = failing
				if !t.IsZero() {
					s.NextTick = &t
				}
			}
		}
		out = append(out, s)
	}
	return out, nil
}

func containsJob(jobs []Job, name string) bool {
	for _, j := range jobs {
		if j.Name == name {
			return true
		}
	}
	return false
}

// datasetState returns a dataset's latest versions with their signers,
// anchors and revocations.
func (c *Console) datasetState(ctx context.Context, name, backend string, k int) (DatasetState, error) {
	st := c.cfg.Store
	vs, err := st.Versions(ctx, name)
	if err != nil {
		return DatasetState{}, err
	}
	out := DatasetState{Name: name, Versions: []VersionState{}}
	for i := len(vs) - 1; i >= 0 && len(out.Versions) < maxVersions; i-- {
		v := vs[i]
		s := VersionState{Version: v.Version, Rows: v.Rows, Status: v.Status, Root: v.MerkleRoot.String(), CreatedAt: v.CreatedAt,
			Signers: []common.Address{}, Threshold: k}
		if backend != "" {
			if err := c.signersOf(ctx, &s, name, backend); err != nil {
				return DatasetState{}, err
			}
		}
		if v.Status == attest.StatusRevoked {
			if s.Revoked, err = st.Revocations(ctx, name, v.Version); err != nil {
				return DatasetState{}, err
			}
		}
		out.Versions = append(out.Versions, s)
	}
	return out, nil
}

// signersOf fills in a version's recorded signers and anchoring receipts.
func (c *Console) signersOf(ctx context.Context, s *VersionState, name, backend string) error {
	st := c.cfg.Store
	docs, err := st.Signatures(ctx, name, s.Version, backend)
	if err != nil {
		return err
	}
	seen := map[common.Address]bool{}
	for _, d := range docs {
		if f, err := attest.ParseSignatureFile(d); err == nil && f.Purpose == attest.PurposeAttest && !seen[f.Signer] {
			seen[f.Signer] = true
			s.Signers = append(s.Signers, f.Signer)
		}
	}
	evs, err := st.Attestations(ctx, name, s.Version, backend)
	if err != nil {
		return err
	}
	for _, d := range evs {
		ev, err := attest.ParseEvidence(d)
		if err != nil {
			continue
		}
		s.Receipts = append(s.Receipts, ev.Receipts...)
		for _, f := range ev.Signatures {
			if !seen[f.Signer] {
				seen[f.Signer] = true
				s.Signers = append(s.Signers, f.Signer)
			}
		}
	}
	return nil
}
