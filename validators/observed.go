package validators

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Status says where an observation of a peer dataset stands.
type Status string

// Statuses of observations.
const (
	// StatusSealed rows are in the dataset's latest version.
	StatusSealed Status = "sealed"
	// StatusQuarantined rows were quarantined by their own job and wait
	// for a steward (or were approved and not yet appended).
	StatusQuarantined Status = "quarantined"
	// StatusPending rows were fetched by their job's source but are not
	// validated yet (the peer job has not run for them).
	StatusPending Status = "pending"
)

// Observations is implemented by histories that also return the rows of a
// dataset that were observed but are in no sealed version: rows in
// quarantine (pending or approved, never rejected ones) and rows the
// dataset's job has fetched but not yet validated. Cross-source checks
// compare sources on everything they observed, so one source's quarantine
// of a real move does not take away its confirmation of the others' (no
// cascade), and the order in which the jobs of a group run does not change
// what each one sees.
type Observations interface {
	// Unsealed calls fn with the unsealed rows of dataset and their
	// status; fn does not keep a record after it returns unless it calls
	// Retain. No rows (and no error) when there are none.
	Unsealed(ctx context.Context, dataset string, fn func(rec arrow.RecordBatch, st Status) error) error
}

// ObservedTable is the rows of a peer dataset that are not sealed, with
// the status of each row.
type ObservedTable struct {
	*Table
	Status []Status
}

// UnsealedTable returns the unsealed rows of dataset as a table shared by
// the validators of a run; nil when the history has none or does not know
// unsealed rows. Records whose schema differs from the first one's are an
// error wrapping ErrConfig.
func UnsealedTable(ctx context.Context, in *Input, dataset string) (*ObservedTable, error) {
	h, ok := in.History.(Observations)
	if !ok {
		return nil, nil
	}
	v, err := in.Memo("validators.unsealed/"+dataset, func() (any, func(), error) {
		return loadUnsealed(ctx, h, dataset)
	})
	if err != nil {
		return nil, err
	}
	t, _ := v.(*ObservedTable)
	return t, nil
}

func loadUnsealed(ctx context.Context, h Observations, dataset string) (*ObservedTable, func(), error) {
	var recs []arrow.RecordBatch
	var status []Status
	release := func() {
		for _, r := range recs {
			r.Release()
		}
	}
	var first *arrow.Schema
	err := h.Unsealed(ctx, dataset, func(rec arrow.RecordBatch, st Status) error {
		if first == nil {
			first = rec.Schema()
		} else if !first.Equal(rec.Schema()) {
			return fmt.Errorf("%w: unsealed rows of %s have two schemas", ErrConfig, dataset)
		}
		rec.Retain()
		recs = append(recs, rec)
		for range rec.NumRows() {
			status = append(status, st)
		}
		return nil
	})
	if err != nil || first == nil {
		release()
		return nil, nil, err
	}
	schema, err := datasets.SchemaFromArrow(first)
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("unsealed rows of %s: %w", dataset, err)
	}
	return &ObservedTable{Table: NewTable(schema, recs), Status: status}, release, nil
}

// WithPending returns h with the fetched, not yet validated rows of other
// datasets added as pending observations (pending maps a dataset to its
// records, which the caller keeps alive for the run). Unsealed rows h
// itself knows come first.
func WithPending(h History, pending map[string][]arrow.RecordBatch) History {
	if len(pending) == 0 {
		return h
	}
	return &pendingHistory{History: h, pending: pending}
}

type pendingHistory struct {
	History
	pending map[string][]arrow.RecordBatch
}

// Unsealed implements Observations.
func (p *pendingHistory) Unsealed(ctx context.Context, dataset string, fn func(arrow.RecordBatch, Status) error) error {
	if o, ok := p.History.(Observations); ok {
		if err := o.Unsealed(ctx, dataset, fn); err != nil {
			return err
		}
	}
	for _, r := range p.pending[dataset] {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(r, StatusPending); err != nil {
			return err
		}
	}
	return nil
}
