package pipeline

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// peerHistory is the history a job's validators read: the catalog's
// versions and quarantine, plus the rows each peer job's source has that
// the peer has not validated yet (pending observations). The caller
// releases the returned records after the run. A peer whose source fails
// is left out with a warning: the job's checks then see only what that
// peer sealed or quarantined.
func peerHistory(ctx context.Context, st *store.Store, job Job) (validators.History, []arrow.RecordBatch) {
	var hist validators.History = validators.NoHistory{}
	if st != nil {
		hist = NewCatalogHistory(st)
	}
	if len(job.Peers) == 0 {
		return hist, nil
	}
	pending := map[string][]arrow.RecordBatch{}
	var all []arrow.RecordBatch
	for _, p := range job.Peers {
		recs, err := peekPeer(ctx, st, p)
		all = append(all, recs...)
		if err != nil {
			job.Validation.Logger().Warn("peer not read; its unvalidated rows are left out of the cross-source checks",
				"job", job.Name, "peer", p.Name, "err", err)
			continue
		}
		pending[p.Dataset] = append(pending[p.Dataset], recs...)
	}
	return validators.WithPending(hist, pending), all
}

// peekPeer reads the peer's source after its committed checkpoint without
// moving it (after a held checkpoint: the rows the peer holds back are
// observations too).
func peekPeer(ctx context.Context, st *store.Store, p PeerJob) ([]arrow.RecordBatch, error) {
	var cursor []byte
	if st != nil {
		var err error
		if cursor, err = st.Checkpoint(ctx, p.Name); err != nil {
			return nil, err
		}
	}
	f, err := fetchFrom(ctx, p.Source, cursor, 0)
	if err != nil {
		return f.recs, fmt.Errorf("peer job %s: %w", p.Name, err)
	}
	return f.recs, nil
}
