package sources

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Cursor is a source's opaque position (JSON chosen by the source). It is
// committed in the same catalog transaction as the version sealed from the
// rows read up to it, so a crash between fetch and seal re-reads the same
// range: nothing is skipped and nothing is duplicated. A nil cursor means
// "from the beginning".
type Cursor []byte

// Emit receives records in order. The callee does not keep rec after it
// returns unless it calls Retain. An error from Emit stops the fetch and is
// returned by Fetch unchanged, except ErrEnough (see Source).
type Emit func(rec arrow.RecordBatch) error

// ErrEnough is returned by an Emit that has received as many rows as the
// caller wants from this Fetch (a validated run reads its input in parts of
// at most max_run_rows). It is not a failure: see the Source contract.
var ErrEnough = errors.New("enough rows for this fetch")

// Rewind asks the store to make a non-append version that keeps only the
// first KeepRows rows of the latest version. Sources use it for chain
// reorganisations and retractions. A Fetch that returns a Rewind must not
// have emitted rows; its Cursor points at the position after the kept rows.
// The pipeline commits the shortened version (with Reason as its note) and
// then calls Fetch again from that cursor, which re-reads the replaced range
// as an ordinary append. Sources keep in their cursor what they need to map
// a fork point to a row count (e.g. cumulative rows per recent block).
type Rewind struct {
	KeepRows uint64
	Reason   string
}

// Result is what a successful Fetch reports besides the emitted records.
type Result struct {
	// Cursor is the position after the last emitted row; it must be set even
	// when no rows were emitted (it may equal the input cursor).
	Cursor Cursor
	// Provenance describes the inputs of the emitted rows (digests of input
	// files or raw responses, the block range).
	Provenance datasets.Provenance
	// Rewind is non-nil when part of the history must be replaced; see Rewind.
	Rewind *Rewind
	// BadValues are cells that did not parse as their column's declared
	// type. Their rows were emitted with the cell null (nullable columns)
	// or the type's zero value; the validation stage quarantines them
	// (poisoning.bad_value). Sources configured to fail on bad values
	// return an error wrapping ErrBadInput instead.
	BadValues []BadValue
	// Pages say which answer each emitted row of an HTTP source came from
	// (URL after redirects, item index), in row order; file and chain
	// sources carry their locators in columns instead.
	Pages []Page
}

// Page locates a run of emitted rows in one HTTP answer: rows FirstRow,
// FirstRow+1, … of this Fetch are Items[0], Items[1], … of the answer at
// URL (after redirects, secrets masked). Unit names what Items count:
// "item" (0-based index in the answer's array) or "line" (1-based CSV line).
type Page struct {
	URL      string
	Unit     string
	FirstRow int
	Items    []int
}

// Locator returns the locator of the page's i-th row: "URL item N".
func (p Page) Locator(i int) string {
	return p.URL + " " + p.Unit + " " + strconv.Itoa(p.Items[i])
}

// BadValue is one cell that did not parse as its declared type.
type BadValue struct {
	// Row is the row's position among the rows emitted by this Fetch.
	Row int
	// Column is the output column; Raw the value as read (shortened).
	Column, Raw string
	// Locator says where the row came from (file:line, or an HTTP
	// answer's URL and item index).
	Locator string
	// Problem says why the value does not parse.
	Problem string
}

// Source reads records for one dataset from one origin.
//
// Contract:
//   - ID and Schema are pure and may be called at any time.
//   - Fetch is never called concurrently for one Source. It reads everything
//     available after cursor (or a bounded amount, returning a cursor that
//     resumes exactly after the last emitted row), passes records matching
//     Schema to emit in order, and returns the new cursor.
//   - When Emit returns ErrEnough (or an error wrapping it), the source
//     emits no further record and returns successfully (a nil error) with
//     Result.Cursor right after the last record it emitted, that record
//     included, and the Provenance, BadValues and Pages of the emitted rows
//     only. Fetching again from that cursor yields the rest: nothing
//     skipped, nothing duplicated. A source that cannot stop between two
//     records of one input unit (one HTTP answer, one block range) may
//     finish that unit first, emitting its remaining records while Emit
//     keeps returning ErrEnough, and then stops after it; its package
//     documentation names the unit, which bounds the overshoot. ErrEnough
//     returned for the last record of the input is an ordinary end.
//   - A source never sleeps for scheduling; retries with backoff of single
//     requests are allowed within ctx's deadline.
//   - Fetch returns promptly with ctx.Err() (wrapped) when ctx is cancelled.
//   - Errors wrap one of the sentinel errors below so callers can tell a
//     retryable failure from bad input or a history rewrite.
type Source interface {
	// ID returns the configured, stable id of the source; it is written into
	// every row's provenance.
	ID() string
	// Schema returns the schema of the records Fetch emits, provenance
	// columns included.
	Schema() *datasets.Schema
	// Fetch reads the records after cursor and emits them in order.
	Fetch(ctx context.Context, cursor Cursor, emit Emit) (Result, error)
}

// Sentinel errors, one per failure class.
var (
	// ErrConfig means the source's configuration is invalid.
	ErrConfig = errors.New("source configuration error")
	// ErrBadInput means an input (file, response body) cannot be decoded; the
	// error names the source, the input and the position (row, column, byte
	// offset).
	ErrBadInput = errors.New("bad source input")
	// ErrChanged means the origin rewrote data that was already ingested in a
	// way the source cannot reconcile on its own (a file edited in place).
	ErrChanged = errors.New("source data changed")
	// ErrTransient means a retryable failure (5xx, timeout, connection reset).
	ErrTransient = errors.New("transient source failure")
	// ErrCursor means the committed cursor cannot be decoded by this source.
	ErrCursor = errors.New("invalid source cursor")
)

// Deps are the shared services a source may use; all are passed in, never
// global.
type Deps struct {
	Logger *slog.Logger
	// HTTP is the client for HTTP sources (nil means http.DefaultClient).
	HTTP *http.Client
	// Getenv resolves environment variables (nil means os.Getenv).
	Getenv func(string) string
	// BaseDir resolves relative paths in the configuration (the folder of
	// the configuration file).
	BaseDir string
	// Raw keeps raw response bodies content-addressed (nil: not kept).
	Raw RawStore
}

// RawStore keeps the raw bodies (HTTP responses, RPC results) that produced
// rows, compressed and named by the SHA-256 of the uncompressed body, so a
// later re-fetch can be compared byte for byte (split-view defence). Rows
// carry the digest in their provenance.
type RawStore interface {
	// Put stores body (idempotently) and returns its SHA-256.
	Put(ctx context.Context, body []byte) (datasets.Hash, error)
	// Get returns the body with the given digest.
	Get(ctx context.Context, digest datasets.Hash) ([]byte, error)
}

// Decode decodes a source's own configuration section into v strictly:
// unknown fields are errors that carry the file and line.
type Decode func(v any) error

// Factory builds sources of one kind.
type Factory struct {
	// Kind is the name used in configuration (source.kind).
	Kind string
	// Summary is a one-line description for help texts.
	Summary string
	// New decodes the kind's configuration and returns a ready source.
	New func(id string, decode Decode, deps Deps) (Source, error)
}

// NewFactory builds the Factory of a kind whose sources are made by build
// from a configuration struct: the kind's section is decoded strictly into
// defaults() and handed to build. A failed build returns a nil Source, never
// a typed nil.
func NewFactory[C any, S Source](kind, summary string, defaults func() C, build func(id string, cfg C, deps Deps) (S, error)) Factory {
	return Factory{
		Kind:    kind,
		Summary: summary,
		New: func(id string, decode Decode, deps Deps) (Source, error) {
			cfg := defaults()
			if err := decode(&cfg); err != nil {
				return nil, err
			}
			src, err := build(id, cfg, deps)
			if err != nil {
				return nil, err
			}
			return src, nil
		},
	}
}
