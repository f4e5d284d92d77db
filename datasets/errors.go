package datasets

import "errors"

// Sentinel errors, one per failure class; errors returned by this package wrap
// one of them with %w so callers can map them to exit codes.
var (
	// ErrSchema means a schema is invalid or data does not match its schema.
	ErrSchema = errors.New("schema error")
	// ErrValue means a single value cannot be represented in its column type.
	ErrValue = errors.New("invalid value")
	// ErrIntegrity means a file, hash, root or proof does not match what it
	// claims: the data was changed, damaged or lost.
	ErrIntegrity = errors.New("integrity check failed")
	// ErrManifest means a manifest cannot be parsed or is inconsistent.
	ErrManifest = errors.New("invalid manifest")
	// ErrProof means a proof was requested for impossible indexes or sizes.
	ErrProof = errors.New("invalid proof request")
)
