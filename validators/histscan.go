package validators

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
)

// ScanHistory streams up to the last maxRows rows (all of them when
// maxRows is 0) of dataset's latest version through fn, one record batch
// at a time, so that a validator reading the whole history holds one batch
// of it at once rather than every batch.
//
// Its contract:
//   - Order: fn sees the batches in row order, oldest first, each as a
//     Table of that one batch (row 0 of each Table is the batch's first
//     row). The rows are those LoadHistory would return, in the same order.
//   - Release: the batch and the Table are valid only while fn runs; the
//     History releases the record after fn returns. fn may keep values it
//     copied out (decoded columns are Go slices, but holding them holds
//     their memory), never the Table or its records.
//   - Empty: when the dataset has no version, fn is not called and the
//     result is nil. When the version holds no row in the range, fn is
//     called once with an empty Table of the dataset's schema, so that a
//     column a validator names and the schema lacks is still an error.
//   - Errors: an error of fn stops the scan and is returned as fn returned
//     it; an error of the History (other than ErrNoHistory on the
//     manifest) or of ctx is returned as the History returned it.
//
// Unlike HistoryTable, ScanHistory is not memoized: each call reads the
// history again. The History interface has no column projection, so every
// column of each batch is read; the Table decodes only the columns fn asks
// for.
func ScanHistory(ctx context.Context, h History, dataset string, maxRows uint64, fn func(*Table) error) error {
	m, err := h.Manifest(ctx, dataset, 0)
	if err != nil {
		if isNoHistory(err) {
			return nil
		}
		return err
	}
	var from uint64
	if maxRows > 0 && m.RowCount > maxRows {
		from = m.RowCount - maxRows
	}
	schema := m.Schema
	called := false
	err = h.Scan(ctx, dataset, m.Version, from, 0, func(r arrow.RecordBatch) error {
		if r.NumRows() == 0 {
			return nil
		}
		called = true
		return fn(NewTable(&schema, []arrow.RecordBatch{r}))
	})
	if err != nil || called {
		return err
	}
	return fn(NewTable(&schema, nil))
}

// AnyWord reports whether a row of t's column (read as Words) holds one of
// the values in set: a scan of the history skips a batch for which it is
// false without decoding its other columns.
func AnyWord(t *Table, column string, set map[[32]byte]bool) (bool, error) {
	c, err := t.Words(column)
	if err != nil {
		return false, err
	}
	for i, v := range c.Values {
		if set[v] && c.Valid(i) {
			return true, nil
		}
	}
	return false, nil
}
