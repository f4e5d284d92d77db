package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// DefaultMaxRunRows is Job.MaxRunRows when unset: a validated run reads
// its source in parts of at most this many rows (plus the rest of the
// source's last record, and of its input unit for sources that cannot stop
// inside one), so that a run holds at most one part in memory.
const DefaultMaxRunRows = 500_000

// ErrSourceNoStop means a source returned sources.ErrEnough as its error
// instead of stopping with a cursor (see the sources.Source contract).
var ErrSourceNoStop = errors.New("source does not stop when its Emit returns ErrEnough")

// maxRunRows returns the job's part size.
func (j Job) maxRunRows() int {
	if j.MaxRunRows > 0 {
		return j.MaxRunRows
	}
	return DefaultMaxRunRows
}

// ingestParts runs a validated job part by part: each part is fetched
// (at most Job.MaxRunRows rows), validated and sealed as its own version
// with its own validation run, so the validators of a part see the
// earlier parts as history. It goes on until a part ends because the
// source is exhausted, a part fails or is blocked, or ctx is cancelled
// between parts; the parts committed before stay committed, with the
// checkpoint after the last of them. The result is the last part's, with
// the earlier parts in Earlier and Rows counting every part.
func ingestParts(ctx context.Context, st *store.Store, job Job, now time.Time, hooks runHooks) (*IngestResult, *sources.Rewind, error) {
	var earlier []*IngestResult
	var rows uint64
	for part := 1; ; part++ {
		start := time.Now()
		res, rewind, cut, err := ingestValidated(ctx, st, job, now, part)
		if res != nil {
			rows += res.Rows
			res.Earlier, res.Rows = earlier, rows
		}
		if err != nil || rewind != nil || !cut {
			if res == nil && len(earlier) > 0 {
				last := *earlier[len(earlier)-1]
				last.Earlier, last.Rows = earlier[:len(earlier)-1], rows
				res = &last
			}
			return res, rewind, err
		}
		hooks.partDone(part, res, time.Since(start))
		if err := ctx.Err(); err != nil {
			return res, nil, fmt.Errorf("job %s: stopped after part %d: %w", job.Name, part, err)
		}
		earlier = append(earlier[:len(earlier):len(earlier)], settled(res))
	}
}

// settled is what a run keeps of a sealed part: its manifest, rows and
// report, not the validators' outcome, which references the part's
// records (a run must not hold its earlier parts in memory).
func settled(res *IngestResult) *IngestResult {
	out := &IngestResult{Manifest: res.Manifest, Rows: res.Rows}
	if v := res.Validation; v != nil {
		out.Validation = &ValidationResult{RunID: v.RunID, Report: v.Report, ReportHash: v.ReportHash}
	}
	return out
}

// fetchPart reads the source after cursor (a source cursor or a held
// cursor, see holdback.go) into retained records, asking the source to
// stop (sources.ErrEnough) once max rows came; f.cut reports that it
// asked: the source may have more.
func fetchPart(ctx context.Context, job Job, cursor []byte, max int) (*fetched, error) {
	f, err := fetchFrom(ctx, job.Source, cursor, max)
	if err != nil {
		return f, fmt.Errorf("job %s: %w", job.Name, err)
	}
	return f, nil
}

// idlePart reports a later part that found nothing: the previous part was
// cut exactly at the end of the input.
func idlePart(part int, recs []arrow.RecordBatch, res sources.Result, cursor []byte) bool {
	return part > 1 && rowsOf(recs) == 0 && res.Rewind == nil && len(res.BadValues) == 0 && bytes.Equal(res.Cursor, cursor)
}

// Parts returns the validated run's parts in order: Earlier, then this
// result.
func (in *IngestResult) Parts() []*IngestResult {
	if in == nil {
		return nil
	}
	out := append([]*IngestResult(nil), in.Earlier...)
	return append(out, in)
}
