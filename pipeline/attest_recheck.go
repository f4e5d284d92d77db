package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// DefaultRecheck is how often a job's attestation stage looks its latest
// attested versions up on the chain when AttestPolicy.Recheck is 0.
const DefaultRecheck = time.Minute

// recheckDue reports whether the policy's dataset is to be looked up on
// the chain now, and if so notes the time.
func (p *AttestPolicy) recheckDue(now time.Time) bool {
	every := p.Recheck
	if every == 0 {
		every = DefaultRecheck
	}
	p.recheckMu.Lock()
	defer p.recheckMu.Unlock()
	if every < 0 || now.Sub(p.rechecked) < every {
		return false
	}
	p.rechecked = now
	return true
}

// recheck looks up on the chain, at most once per p.Recheck (never when
// it is negative), the records of
// the dataset's latest attested versions (catchUp of them) when the backend
// keeps one record per version (the registry). A version whose record the
// chain no longer holds — a reorg deeper than the confirmation depth after
// the version was recorded attested — is set back to sealed, with a
// warning, so that this run's attestation stage attests it again from the
// signatures the catalog holds. It returns the versions set back.
func (r *Runner) recheck(ctx context.Context, spec *Spec, starting func(context.Context) error) ([]uint64, error) {
	p, ds := spec.Attest, spec.Job.Dataset
	if !p.recheckDue(time.Now()) {
		return nil, nil
	}
	col, err := p.Collector(ctx)
	if err != nil {
		return nil, err
	}
	rc, ok := col.Backend.(attest.RecordChecker)
	if !ok {
		return nil, nil
	}
	versions, err := r.latestAttested(ctx, ds)
	if err != nil {
		return nil, err
	}
	var gone []uint64
	for _, v := range versions {
		rec, err := r.Store.Version(ctx, ds, v)
		if err != nil {
			return gone, err
		}
		if ok, err := rc.Recorded(ctx, attest.StatementOf(rec.Manifest, rec.ManifestHash)); err != nil || ok {
			if err != nil {
				return gone, err
			}
			continue
		}
		r.log().Warn("the chain no longer records the attestation of a version recorded attested (a reorg deeper than the confirmation depth): attesting it again",
			"dataset", ds, "version", v)
		if err := starting(ctx); err != nil {
			return gone, err
		}
		if err := r.Store.SetVersionStatus(ctx, ds, v, attest.StatusSealed); err != nil {
			return gone, err
		}
		gone = append(gone, v)
	}
	return gone, nil
}

// latestAttested returns the dataset's latest versions recorded attested.
func (r *Runner) latestAttested(ctx context.Context, dataset string) ([]uint64, error) {
	rows, err := r.Store.DB().QueryContext(ctx, `SELECT version FROM gt.versions WHERE dataset = ? AND status = ? ORDER BY version DESC LIMIT ?`,
		dataset, attest.StatusAttested, catchUp)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrCatalog, err)
	}
	defer rows.Close()
	var out []uint64
	for rows.Next() {
		var v uint64
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("%w: %v", store.ErrCatalog, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
