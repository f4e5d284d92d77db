package validators

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Validator checks the new rows of one run of a job before they are sealed.
//
// Input: Validate receives the run's new rows as Arrow records matching
// in.Schema (in the order the source emitted them), the dataset's name and
// schema, the run's provenance and time, and read access to history through
// in.History: earlier versions of this and other datasets (segment scans,
// and SQL over the catalog's views "D" and "D@N"), metric baselines of good
// versions and the keys of rows flagged before. Records and history are
// read-only: a validator never retains, releases or changes them.
//
// Call order: a Suite calls the validators of a job one after the other in
// the order they are configured, each exactly once per run, from one
// goroutine; a Validator need not be safe for concurrent use by several
// runs but must not keep state from one run to the next (two runs with the
// same input and history give the same findings, in the same order).
// Findings of one validator are not visible to the next; the Suite applies
// the policy to all findings together after the last validator.
//
// Output: findings whose codes are among Codes(), with a valid severity,
// Validator set to Name(), a message, and Rows that are positions of input
// rows (0 <= row < in.Rows()), sorted and without duplicates. A check that
// passes may return a passing finding with its measured value.
//
// Errors: an error means the validator could not run (bad configuration
// for this schema: wrap ErrConfig; unreadable history: wrap the cause). The
// Suite stops and the run seals nothing. When ctx is cancelled Validate
// returns promptly with an error wrapping ctx.Err(); it checks ctx at least
// once per record batch and before reading history. Empty input (no
// records, or records with no rows) is valid and yields no failing
// findings about rows.
type Validator interface {
	// Name is the validator's configured, stable name (its kind unless
	// the configuration names it), written into every finding.
	Name() string
	// Codes lists every code Validate may emit.
	Codes() []CodeInfo
	// Validate checks in and returns its findings.
	Validate(ctx context.Context, in *Input) ([]Finding, error)
}

// Input is what a Validator sees of one run.
type Input struct {
	// Dataset is the dataset the run writes.
	Dataset string
	// Schema is the dataset's declared schema (the source's schema).
	Schema *datasets.Schema
	// Records are the run's new rows in order; Table offers columns of them.
	Records []arrow.RecordBatch
	// Table is a columnar view of Records, shared by the validators of a
	// run so a column is decoded once.
	Table *Table
	// Provenance describes the inputs of the new rows (block range, digests).
	Provenance datasets.Provenance
	// Now is the time of the run; staleness is measured against it.
	Now time.Time
	// History reads earlier versions; never nil (NoHistory when there is none).
	History History
	// Logger receives debug messages; never nil.
	Logger *slog.Logger
	// BadValues are cells the source could not parse as their declared
	// type; the suite quarantines their rows (poisoning.bad_value).
	BadValues []BadValue
	// Backfill is set when the run imports history on request
	// (groundtruth backfill): checks that measure age at the run's time
	// (gaps.freshness) measure it at the data's own newest time instead,
	// as their mode: backfill does.
	Backfill bool
	// Origins locate the rows of HTTP sources (the answer's URL and the
	// item index), in row order; Table.Locator reads them when the rows
	// carry no locator columns.
	Origins []Origin

	memo memoTable
}

// Memo returns the value built for key during this run, calling build the
// first time only: validators of a run share derived data (history
// tables, indexes) through it. Keys start with the building package's
// name. cleanup, when build returns one, runs when the run ends (Close).
// Memo is safe for concurrent use (the Suite runs validators in
// parallel): a second caller of the same key waits for the first build
// and gets its value; a build that fails is not kept, so a later call
// builds again.
func (in *Input) Memo(key string, build func() (any, func(), error)) (any, error) {
	return in.memo.get(key, build)
}

// Close releases what Memo built; the Suite calls it after a run.
func (in *Input) Close() { in.memo.close() }

// Rows returns the number of input rows.
func (in *Input) Rows() int { return in.Table.Len() }

// History gives validators read access to what was sealed before.
//
// Versions are those of the catalog; version 0 means the latest. Baselines
// come only from good versions: attested ones, or, while nothing of a
// dataset was ever attested, sealed ones (never revoked ones). Rows that
// were flagged at warn or above are reported by Flagged so that windows and
// baselines can leave them out.
type History interface {
	// Manifest returns the manifest of dataset@version; an error wrapping
	// ErrNoHistory when the dataset or version does not exist.
	Manifest(ctx context.Context, dataset string, version uint64) (*datasets.Manifest, error)
	// Scan calls fn with the rows [from, to) of dataset@version in order
	// (to 0 means the end), as records of the dataset's schema. fn does
	// not keep a record after it returns unless it calls Retain.
	Scan(ctx context.Context, dataset string, version, from, to uint64, fn func(arrow.RecordBatch) error) error
	// Query runs a read-only SQL query against the catalog's gt.* tables
	// (SQLite or PostgreSQL; the catalog holds no rows, read them with
	// Scan); ErrUnsupported when the history has no catalog.
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	// Baselines returns the metrics of up to n good versions of dataset,
	// newest first; empty when there are none.
	Baselines(ctx context.Context, dataset string, n int) ([]*Metrics, error)
	// Flagged returns the keys of rows of dataset that earlier runs flagged
	// at warn or above and kept.
	Flagged(ctx context.Context, dataset string) (map[string]bool, error)
}

// Sentinel errors of the validation stage.
var (
	// ErrConfig means a validator's configuration is invalid, or does not
	// fit the dataset's schema (a column that does not exist).
	ErrConfig = errors.New("validator configuration error")
	// ErrNoHistory means the dataset or version asked for does not exist.
	ErrNoHistory = errors.New("no such history")
	// ErrUnsupported means the history cannot answer this kind of request.
	ErrUnsupported = errors.New("not supported by this history")
	// ErrContract means a validator broke the Validator contract (an
	// undeclared code, a bad severity, a row out of range).
	ErrContract = errors.New("validator contract violation")
	// ErrBlocked means the policy blocked the version.
	ErrBlocked = errors.New("version blocked by validation policy")
)
