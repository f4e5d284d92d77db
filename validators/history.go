package validators

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// NoHistory is the History of a store with nothing sealed yet.
type NoHistory struct{}

// Manifest implements History.
func (NoHistory) Manifest(_ context.Context, dataset string, version uint64) (*datasets.Manifest, error) {
	return nil, fmt.Errorf("%w: %s@%d", ErrNoHistory, dataset, version)
}

// Scan implements History.
func (NoHistory) Scan(_ context.Context, dataset string, version, _, _ uint64, _ func(arrow.RecordBatch) error) error {
	return fmt.Errorf("%w: %s@%d", ErrNoHistory, dataset, version)
}

// Query implements History.
func (NoHistory) Query(context.Context, string, ...any) (*sql.Rows, error) {
	return nil, fmt.Errorf("%w: no catalog", ErrUnsupported)
}

// Baselines implements History.
func (NoHistory) Baselines(context.Context, string, int) ([]*Metrics, error) { return nil, nil }

// Flagged implements History.
func (NoHistory) Flagged(context.Context, string) (map[string]bool, error) { return nil, nil }

// MemHistory is an in-memory History for tests, benchmarks and dry runs
// without a catalog. Each Add makes a new version that appends records to
// the previous one. It is not safe for concurrent Adds.
type MemHistory struct {
	sets map[string]*memDataset
}

type memDataset struct {
	schema   *datasets.Schema
	versions [][]arrow.RecordBatch
	metrics  []*Metrics
	flagged  map[string]bool
	unsealed []arrow.RecordBatch
	ustatus  []Status
}

// NewMemHistory returns an empty history.
func NewMemHistory() *MemHistory { return &MemHistory{sets: map[string]*memDataset{}} }

// Add appends recs as a new version of dataset (retaining them) and
// returns the version number.
func (h *MemHistory) Add(dataset string, schema *datasets.Schema, recs ...arrow.RecordBatch) uint64 {
	d := h.sets[dataset]
	if d == nil {
		d = &memDataset{schema: schema, flagged: map[string]bool{}}
		h.sets[dataset] = d
	}
	if d.schema == nil {
		d.schema = schema
	}
	var prev []arrow.RecordBatch
	if n := len(d.versions); n > 0 {
		prev = d.versions[n-1]
	}
	next := append(append([]arrow.RecordBatch{}, prev...), recs...)
	for _, r := range recs {
		r.Retain()
	}
	d.versions = append(d.versions, next)
	return uint64(len(d.versions))
}

// AddUnsealed records recs (retaining them) as rows of dataset observed
// but not sealed, with status st (quarantined or pending); Unsealed
// returns them.
func (h *MemHistory) AddUnsealed(dataset string, st Status, recs ...arrow.RecordBatch) {
	d := h.sets[dataset]
	if d == nil {
		d = &memDataset{flagged: map[string]bool{}}
		h.sets[dataset] = d
	}
	for _, r := range recs {
		r.Retain()
		d.unsealed = append(d.unsealed, r)
		d.ustatus = append(d.ustatus, st)
	}
}

// Unsealed implements Observations.
func (h *MemHistory) Unsealed(ctx context.Context, dataset string, fn func(arrow.RecordBatch, Status) error) error {
	d := h.sets[dataset]
	if d == nil {
		return nil
	}
	for i, r := range d.unsealed {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(r, d.ustatus[i]); err != nil {
			return err
		}
	}
	return nil
}

// AddMetrics records the metrics of a good version (newest last).
func (h *MemHistory) AddMetrics(m *Metrics) {
	if d := h.sets[m.Dataset]; d != nil {
		d.metrics = append(d.metrics, m)
		return
	}
	h.sets[m.Dataset] = &memDataset{metrics: []*Metrics{m}, flagged: map[string]bool{}}
}

// Flag records keys of dataset as flagged by an earlier run.
func (h *MemHistory) Flag(dataset string, keys ...string) {
	if d := h.sets[dataset]; d != nil {
		for _, k := range keys {
			d.flagged[k] = true
		}
	}
}

// Release releases the retained records.
func (h *MemHistory) Release() {
	for _, d := range h.sets {
		seen := map[arrow.RecordBatch]bool{}
		for _, v := range d.versions {
			for _, r := range v {
				if !seen[r] {
					seen[r] = true
					r.Release()
				}
			}
		}
		d.versions = nil
		for _, r := range d.unsealed {
			r.Release()
		}
		d.unsealed, d.ustatus = nil, nil
	}
}

func (h *MemHistory) version(dataset string, version uint64) (*memDataset, []arrow.RecordBatch, uint64, error) {
	d := h.sets[dataset]
	if d == nil || len(d.versions) == 0 {
		return nil, nil, 0, fmt.Errorf("%w: dataset %q has no version", ErrNoHistory, dataset)
	}
	if version == 0 {
		version = uint64(len(d.versions))
	}
	if version > uint64(len(d.versions)) {
		return nil, nil, 0, fmt.Errorf("%w: %s@%d", ErrNoHistory, dataset, version)
	}
	return d, d.versions[version-1], version, nil
}

// Manifest implements History (only dataset, version, schema and row
// count are set).
func (h *MemHistory) Manifest(_ context.Context, dataset string, version uint64) (*datasets.Manifest, error) {
	d, recs, v, err := h.version(dataset, version)
	if err != nil {
		return nil, err
	}
	var rows uint64
	for _, r := range recs {
		rows += uint64(r.NumRows())
	}
	return &datasets.Manifest{FormatVersion: datasets.FormatVersion, Dataset: dataset, Version: v, Schema: *d.schema, RowCount: rows, AppendOnly: true}, nil
}

// Scan implements History.
func (h *MemHistory) Scan(ctx context.Context, dataset string, version, from, to uint64, fn func(arrow.RecordBatch) error) error {
	_, recs, _, err := h.version(dataset, version)
	if err != nil {
		return err
	}
	return ScanRange(ctx, recs, from, to, fn)
}

// ScanRange calls fn with the rows [from, to) of recs (to 0: the end).
func ScanRange(ctx context.Context, recs []arrow.RecordBatch, from, to uint64, fn func(arrow.RecordBatch) error) error {
	var pos uint64
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := uint64(r.NumRows())
		lo, hi := max(from, pos), pos+n
		if to > 0 {
			hi = min(hi, to)
		}
		if lo < hi {
			if err := emitSlice(r, int(lo-pos), int(hi-pos), fn); err != nil {
				return err
			}
		}
		pos += n
	}
	return nil
}

// Query implements History; MemHistory has no catalog.
func (h *MemHistory) Query(context.Context, string, ...any) (*sql.Rows, error) {
	return nil, fmt.Errorf("%w: in-memory history has no catalog", ErrUnsupported)
}

// Baselines implements History.
func (h *MemHistory) Baselines(_ context.Context, dataset string, n int) ([]*Metrics, error) {
	d := h.sets[dataset]
	if d == nil {
		return nil, nil
	}
	var out []*Metrics
	for i := len(d.metrics) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, d.metrics[i])
	}
	return out, nil
}

// Flagged implements History.
func (h *MemHistory) Flagged(_ context.Context, dataset string) (map[string]bool, error) {
	if d := h.sets[dataset]; d != nil {
		return d.flagged, nil
	}
	return nil, nil
}
