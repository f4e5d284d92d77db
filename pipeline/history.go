package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// CatalogHistory is the validators.History of a store: versions from the
// catalog, rows from the segment files, metric baselines and flagged rows
// from the validation tables.
type CatalogHistory struct {
	st *store.Store
}

// NewCatalogHistory returns the history of st.
func NewCatalogHistory(st *store.Store) *CatalogHistory { return &CatalogHistory{st: st} }

// Manifest implements validators.History.
func (h *CatalogHistory) Manifest(ctx context.Context, dataset string, version uint64) (*datasets.Manifest, error) {
	rec, err := h.st.Version(ctx, dataset, version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %v", validators.ErrNoHistory, err)
	}
	if err != nil {
		return nil, err
	}
	return rec.Manifest, nil
}

// Scan implements validators.History by reading the version's segments,
// skipping those entirely before from.
func (h *CatalogHistory) Scan(ctx context.Context, dataset string, version, from, to uint64, fn func(arrow.RecordBatch) error) error {
	m, err := h.Manifest(ctx, dataset, version)
	if err != nil {
		return err
	}
	if to == 0 || to > m.RowCount {
		to = m.RowCount
	}
	var pos uint64
	for _, ref := range m.Segments {
		if pos >= to {
			break
		}
		if pos+ref.Rows <= from {
			pos += ref.Rows
			continue
		}
		if err := h.scanSegment(ctx, m, ref, pos, from, to, fn); err != nil {
			return err
		}
		pos += ref.Rows
	}
	return nil
}

// scanSegment reads the segment's batches one at a time, each released
// after fn returns, so that a whole-history scan holds one batch at once.
func (h *CatalogHistory) scanSegment(ctx context.Context, m *datasets.Manifest, ref datasets.SegmentRef, pos, from, to uint64, fn func(arrow.RecordBatch) error) error {
	sr, err := datasets.OpenSegment(h.st.Root(), ref, &m.Schema)
	if err != nil {
		return err
	}
	defer sr.Close()
	lo, hi := max(from, pos)-pos, to-pos // the rows of this segment to emit
	var off uint64                       // rows of the segment before batch b
	for b := 0; b < sr.NumBatches() && off < hi; b++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := sr.Batch(b)
		if err != nil {
			return err
		}
		n := uint64(rec.NumRows())
		if off+n > lo {
			err = validators.ScanRange(ctx, []arrow.RecordBatch{rec}, max(lo, off)-off, hi-off, fn)
		}
		rec.Release()
		if err != nil {
			return err
		}
		off += n
	}
	return nil
}

// Query implements validators.History: canonical SQL over the gt tables of
// the catalog (SQLite or PostgreSQL), rebound for its backend.
func (h *CatalogHistory) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return h.st.DB().QueryContext(ctx, query, args...)
}

// Baselines implements validators.History.
func (h *CatalogHistory) Baselines(ctx context.Context, dataset string, n int) ([]*validators.Metrics, error) {
	raw, err := h.st.MetricHistory(ctx, dataset, n)
	if err != nil {
		return nil, err
	}
	out := make([]*validators.Metrics, 0, len(raw))
	for _, b := range raw {
		var m validators.Metrics
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%w: metrics of %s: %v", store.ErrCatalog, dataset, err)
		}
		out = append(out, &m)
	}
	return out, nil
}

// Flagged implements validators.History.
func (h *CatalogHistory) Flagged(ctx context.Context, dataset string) (map[string]bool, error) {
	return h.st.FlaggedKeys(ctx, dataset)
}

// Unsealed implements validators.Observations: the dataset's quarantined
// rows that wait for a steward or were approved and not yet appended
// (rejected rows are not observations: a steward judged them wrong).
func (h *CatalogHistory) Unsealed(ctx context.Context, dataset string, fn func(arrow.RecordBatch, validators.Status) error) error {
	es, err := h.st.QuarantineList(ctx, store.QuarantineFilter{Dataset: dataset})
	if err != nil {
		return err
	}
	for _, e := range es {
		if e.Status == store.QuarantineRejected || e.AppliedVersion != nil {
			continue
		}
		recs, err := decodeRows(e.RowIPC)
		if err != nil {
			release(recs)
			return fmt.Errorf("quarantine entry %s of %s: %w", e.ID, dataset, err)
		}
		for _, r := range recs {
			if err == nil {
				err = fn(r, validators.StatusQuarantined)
			}
			r.Release()
		}
		if err != nil {
			return err
		}
	}
	return nil
}
