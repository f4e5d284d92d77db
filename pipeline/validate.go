package pipeline

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// ValidationResult is a validated run: the suite's outcome and its report.
type ValidationResult struct {
	RunID      string
	Outcome    *validators.Outcome
	Report     *validators.Report
	ReportJSON []byte
	ReportHash datasets.Hash
}

// Validate runs the job's source from its committed checkpoint and the
// job's validators, without sealing or recording anything (a dry run).
// st may be nil or read-only; without it the run has no history.
func Validate(ctx context.Context, st *store.Store, job Job, now time.Time) (*ValidationResult, error) {
	if job.Validation == nil {
		return nil, fmt.Errorf("job %s has no validation section", job.Name)
	}
	var cursor []byte
	if st != nil {
		var err error
		if cursor, err = st.Checkpoint(ctx, job.Name); err != nil {
			return nil, err
		}
	}
	f, err := fetchPart(ctx, job, cursor, 0)
	defer func() { release(f.recs) }()
	if err != nil {
		return nil, err
	}
	if err := failOnBadValue(job, f.res); err != nil {
		return nil, err
	}
	if rw := f.res.Rewind; rw != nil {
		return nil, fmt.Errorf("job %s: source %s asks to rewind %s to %d rows (%s); run ingest to apply it", job.Name, job.Source.ID(), job.Dataset, rw.KeepRows, rw.Reason)
	}
	hist, peerRecs := peerHistory(ctx, st, job)
	defer release(peerRecs)
	if _, err = holdBack(ctx, job, hist, f, now, false); err != nil {
		return nil, err
	}
	return runSuite(ctx, job, hist, f.recs, f.res, now, validators.RunInfo{DryRun: true})
}

func release(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

// badValueErr returns the error of a fetch that reported bad cells when
// the job cannot quarantine them (why says so), or nil.
func badValueErr(job Job, res sources.Result, why string) error {
	if len(res.BadValues) == 0 {
		return nil
	}
	b := res.BadValues[0]
	return fmt.Errorf("%w: job %s: source %s: %s: column %q: %q: %s (%d bad values; %s)",
		sources.ErrBadInput, job.Name, job.Source.ID(), b.Locator, b.Column, b.Raw, b.Problem, len(res.BadValues), why)
}

// failOnBadValue is badValueErr for jobs with on_bad_value: fail.
func failOnBadValue(job Job, res sources.Result) error {
	if !job.FailOnBadValue {
		return nil
	}
	return badValueErr(job, res, "the job has on_bad_value: fail")
}

// runSuite validates recs and builds the report.
func runSuite(ctx context.Context, job Job, hist validators.History, recs []arrow.RecordBatch, res sources.Result, now time.Time, info validators.RunInfo) (*ValidationResult, error) {
	in := &validators.Input{Dataset: job.Dataset, Schema: job.Source.Schema(), Records: recs, Provenance: res.Provenance, Now: now, History: hist, Backfill: job.Backfill}
	for _, b := range res.BadValues {
		in.BadValues = append(in.BadValues, validators.BadValue{Row: b.Row, Column: b.Column, Raw: b.Raw, Locator: b.Locator, Problem: b.Problem})
	}
	for _, p := range res.Pages {
		in.Origins = append(in.Origins, validators.Origin{URL: p.URL, Unit: p.Unit, FirstRow: p.FirstRow, Items: p.Items})
	}
	out, err := job.Validation.Run(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", job.Name, err)
	}
	info.Dataset, info.Job, info.Now = job.Dataset, job.Name, now
	info.Run = newRunID(job.Name, now)
	rep := out.Report(job.Validation, info)
	raw, err := rep.Canonical()
	if err != nil {
		return nil, err
	}
	return &ValidationResult{RunID: info.Run, Outcome: out, Report: rep, ReportJSON: raw, ReportHash: datasets.Hash(sha256.Sum256(raw))}, nil
}

func newRunID(job string, now time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%s-%s", job, now.UTC().Format("20060102T150405Z"), hex.EncodeToString(b[:]))
}

// encodeRow returns a one-row record as an Arrow IPC stream.
func encodeRow(rec arrow.RecordBatch) ([]byte, error) {
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeRows reads the records of an Arrow IPC stream (the caller
// releases them).
func decodeRows(b []byte) ([]arrow.RecordBatch, error) {
	r, err := ipc.NewReader(bytes.NewReader(b), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return nil, err
	}
	defer r.Release()
	var out []arrow.RecordBatch
	for r.Next() {
		rec := r.RecordBatch()
		rec.Retain()
		out = append(out, rec)
	}
	return out, r.Err()
}

// LocatorReason starts the reason line of a quarantine entry that says
// where the row came from (file:line, block and log, URL and item).
const LocatorReason = "from: "

// quarantineEntries builds the catalog entries of the quarantined rows;
// each entry's last reason says where the row came from, when known.
func quarantineEntries(job Job, out *validators.Outcome) ([]store.QuarantineEntry, error) {
	enc, err := datasets.NewRowEncoder(job.Source.Schema())
	if err != nil {
		return nil, err
	}
	t := out.Input.Table
	var qs []store.QuarantineEntry
	err = out.QuarantinedRecords(func(row int, rec arrow.RecordBatch) error {
		ipcBytes, err := encodeRow(rec)
		if err != nil {
			return err
		}
		if err := enc.Bind(rec); err != nil {
			return err
		}
		h := sha256.Sum256(append([]byte(job.Dataset+"\x00"), enc.AppendRow(nil, 0)...))
		codes, reasons := out.Reasons(row)
		if loc := t.Locator(row); loc != "" {
			reasons = append(reasons, LocatorReason+loc)
		}
		q := store.QuarantineEntry{ID: "q" + hex.EncodeToString(h[:8]), RowKey: t.Key(row), RowIPC: ipcBytes, Reasons: reasons, RowJSON: rowJSON(t, row)}
		for _, c := range codes {
			q.Codes = append(q.Codes, string(c))
		}
		qs = append(qs, q)
		return nil
	})
	return qs, err
}

// rowJSON renders a row's values by column name (null as null).
func rowJSON(t *validators.Table, row int) json.RawMessage {
	m := map[string]any{}
	for _, c := range t.Schema().Columns {
		if v := t.Value(row, c.Name); v != "" || !c.Nullable {
			m[c.Name] = v
		} else {
			m[c.Name] = nil
		}
	}
	b, _ := json.Marshal(m)
	return b
}

func jsonBytes(v any) ([]byte, error) { return json.Marshal(v) }
