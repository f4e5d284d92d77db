package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// Hold-back: the newest rows of a validated run that are newer than what
// every peer has observed wait, unconsumed, until the peers have reported
// past them or max_hold has passed (docs/validators.md, "Hold-back").
// The run consumes the rows before the first held row: its checkpoint is
// the cursor it fetched from plus the number of rows consumed after it
// (a held cursor), and the next run fetches from the same cursor again
// and skips those rows. Sources need no support for it; they must only
// re-read the same rows from the same cursor, which the exactly-once
// contract already asks of them.

// holdCutter is a check that can hold back the newest rows of a run
// (poisoning.series and poisoning.cross_source with peers).
type holdCutter interface {
	HoldCut(ctx context.Context, in *validators.Input) (int, error)
}

// JudgedNow returns how many of in's rows, a prefix in input order, the
// suite judges now: the fewest any of its hold-back checks allows. in
// needs Schema, Records, Now and History; its Table is built when nil.
func JudgedNow(ctx context.Context, suite *validators.Suite, in *validators.Input) (int, error) {
	if in.Table == nil {
		in.Table = validators.NewTable(in.Schema, in.Records)
	}
	n := in.Rows()
	for _, v := range suite.Validators() {
		h, ok := v.(holdCutter)
		if !ok {
			continue
		}
		k, err := h.HoldCut(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("hold-back of %s (%s): %w", in.Dataset, v.Name(), err)
		}
		n = min(n, k)
	}
	return n, nil
}

// heldPrefix starts a held cursor; no source's own cursor starts so.
const heldPrefix = `{"groundtruth_hold":`

// heldCursor is a checkpoint inside a fetch: Skip rows read from the
// source's Cursor were consumed.
type heldCursor struct {
	Cursor []byte `json:"cursor"`
	Skip   int    `json:"skip"`
}

// wrapHeld returns the checkpoint of a run that consumed skip rows after
// the source cursor inner.
func wrapHeld(inner []byte, skip int) []byte {
	b, _ := json.Marshal(map[string]heldCursor{"groundtruth_hold": {Cursor: inner, Skip: skip}})
	return b
}

// unwrapHeld splits a checkpoint into the source's cursor and the rows
// after it that were consumed (0 for a source's own cursor).
func unwrapHeld(c []byte) ([]byte, int, error) {
	if !bytes.HasPrefix(c, []byte(heldPrefix)) {
		return c, 0, nil
	}
	var m map[string]heldCursor
	if err := json.Unmarshal(c, &m); err != nil || m["groundtruth_hold"].Skip < 0 {
		return nil, 0, fmt.Errorf("%w: held checkpoint %.80q does not decode: %v", sources.ErrCursor, c, err)
	}
	h := m["groundtruth_hold"]
	return h.Cursor, h.Skip, nil
}

// fetched is what one fetch after a checkpoint read.
type fetched struct {
	recs []arrow.RecordBatch
	res  sources.Result
	// inner is the source cursor the fetch started from and skip the rows
	// after it that earlier runs consumed (dropped from recs).
	inner []byte
	skip  int
	// sizes are the row counts of the records the source emitted from
	// inner, the skipped ones included.
	sizes []int
	// cut reports that the source was asked to stop (max rows came): it
	// may have more.
	cut bool
}

// fetchFrom fetches after a checkpoint that may be a held cursor: the
// rows it consumed are dropped from the result (their bad values and
// pages shifted). With max > 0 the source is asked to stop
// (sources.ErrEnough) once max rows after the skipped ones came.
func fetchFrom(ctx context.Context, src sources.Source, checkpoint []byte, max int) (*fetched, error) {
	inner, skip, err := unwrapHeld(checkpoint)
	if err != nil {
		return &fetched{}, fmt.Errorf("source %s: %w", src.ID(), err)
	}
	f := &fetched{inner: inner, skip: skip}
	rows := 0
	f.res, err = src.Fetch(ctx, sources.Cursor(inner), func(rec arrow.RecordBatch) error {
		if err := src.Schema().CheckArrow(rec.Schema()); err != nil {
			return err
		}
		rec.Retain()
		f.recs = append(f.recs, rec)
		f.sizes = append(f.sizes, int(rec.NumRows()))
		rows += int(rec.NumRows())
		if max > 0 && rows-skip >= max {
			f.cut = true
			return sources.ErrEnough
		}
		return nil
	})
	if errors.Is(err, sources.ErrEnough) {
		err = ErrSourceNoStop
	}
	if err != nil || skip == 0 || f.res.Rewind != nil {
		return f, err
	}
	kept := sliceRows(f.recs, skip, rowsOf(f.recs))
	release(f.recs)
	f.recs, f.res = kept, shiftResult(f.res, skip, -1)
	return f, nil
}

// rebaseMinRows is how many consumed rows after a held cursor's source
// cursor make the next hold move that cursor forward (rebaseHeld).
const rebaseMinRows = 4096

// rebaseHeld returns the held cursor of a run that consumed the first
// consumed rows after inner. Without a rebase, a job whose every run holds
// some rows would keep its first cursor for good and re-read everything
// since it on each run; so once consumed reaches rebaseMinRows the source
// is read again from inner and asked to stop at the last record boundary
// at or before consumed, and the held cursor starts there. A source that
// cannot stop there (it finishes a larger unit) keeps the old base, which
// is correct, only slower.
func rebaseHeld(ctx context.Context, src sources.Source, inner []byte, consumed int, sizes []int) []byte {
	stopAfter, cum := 0, 0
	for _, n := range sizes {
		if cum+n > consumed {
			break
		}
		cum += n
		stopAfter++
	}
	if consumed < rebaseMinRows || stopAfter == 0 {
		return wrapHeld(inner, consumed)
	}
	emitted, got := 0, 0
	res, err := src.Fetch(ctx, sources.Cursor(inner), func(rec arrow.RecordBatch) error {
		got++
		emitted += int(rec.NumRows())
		if got == stopAfter {
			return sources.ErrEnough
		}
		return nil
	})
	if err != nil || res.Rewind != nil || emitted > consumed || len(res.Cursor) == 0 {
		return wrapHeld(inner, consumed)
	}
	if emitted == consumed {
		return res.Cursor
	}
	return wrapHeld(res.Cursor, consumed-emitted)
}

// holdBack cuts f's records to the rows the job judges now. The result's
// cursor is a held cursor when rows were held (moved forward by
// rebaseHeld when settle is set: a run that commits it, not a dry run);
// held counts them.
func holdBack(ctx context.Context, job Job, hist validators.History, f *fetched, now time.Time, settle bool) (int, error) {
	n := rowsOf(f.recs)
	if job.Backfill || len(job.Peers) == 0 || n == 0 || job.Validation == nil {
		return 0, nil
	}
	in := &validators.Input{Dataset: job.Dataset, Schema: job.Source.Schema(), Records: f.recs, Now: now, History: hist, Logger: job.Validation.Logger()}
	k, err := JudgedNow(ctx, job.Validation, in)
	in.Close()
	if err != nil || k == n {
		return 0, err
	}
	job.Validation.Logger().Info("rows held back until the peers report past them",
		"job", job.Name, "held", n-k, "judged", k)
	kept := sliceRows(f.recs, 0, k)
	release(f.recs)
	f.recs = kept
	f.res = shiftResult(f.res, 0, k)
	if settle {
		f.res.Cursor = rebaseHeld(ctx, job.Source, f.inner, f.skip+k, f.sizes)
	} else {
		f.res.Cursor = wrapHeld(f.inner, f.skip+k)
	}
	f.cut = false // the rest waits for the peers: no further part now
	return n - k, nil
}

// sliceRows returns retained slices of rows [from, to) of recs.
func sliceRows(recs []arrow.RecordBatch, from, to int) []arrow.RecordBatch {
	var out []arrow.RecordBatch
	off := 0
	for _, r := range recs {
		lo, hi := max(from-off, 0), min(to-off, int(r.NumRows()))
		if lo < hi {
			out = append(out, r.NewSlice(int64(lo), int64(hi)))
		}
		off += int(r.NumRows())
	}
	return out
}

// shiftResult keeps the bad values and pages of rows [from, to) (to < 0:
// all after from), renumbered from 0.
func shiftResult(res sources.Result, from, to int) sources.Result {
	in := func(row int) bool { return row >= from && (to < 0 || row < to) }
	bad := res.BadValues
	res.BadValues = nil
	for _, b := range bad {
		if in(b.Row) {
			b.Row -= from
			res.BadValues = append(res.BadValues, b)
		}
	}
	pages := res.Pages
	res.Pages = nil
	for _, p := range pages {
		q := sources.Page{URL: p.URL, Unit: p.Unit, FirstRow: -1}
		for i, item := range p.Items {
			if in(p.FirstRow + i) {
				if q.FirstRow < 0 {
					q.FirstRow = p.FirstRow + i - from
				}
				q.Items = append(q.Items, item)
			}
		}
		if len(q.Items) > 0 {
			res.Pages = append(res.Pages, q)
		}
	}
	return res
}
