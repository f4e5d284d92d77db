package sqlview

import "errors"

// Sentinel errors, one per failure class; errors returned by this package
// wrap one of them with %w.
var (
	// ErrInput is a malformed argument: an invalid version list, a Parquet
	// path outside the engine's folder, a schema the copy cannot hold.
	ErrInput = errors.New("sqlview: invalid input")
	// ErrParquet is a failure to read a segment or to write its Parquet copy.
	ErrParquet = errors.New("sqlview: parquet copy")
	// ErrQuery is a query refused or failed: not a single SELECT, a syntax
	// or binder error, a table that does not exist.
	ErrQuery = errors.New("sqlview: query")
	// ErrNotQueryable is a query naming a dataset's view "D" while the
	// dataset has no attested, non-revoked version; the message says what
	// it has instead (pending only, revoked).
	ErrNotQueryable = errors.New("sqlview: no attested version")
	// ErrClosed is a call on a closed engine.
	ErrClosed = errors.New("sqlview: engine closed")
)
