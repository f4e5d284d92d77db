package store

import "errors"

// Sentinel errors of the store.
var (
	// ErrNotFound means the dataset or version does not exist.
	ErrNotFound = errors.New("not found")
	// ErrSchemaChange means rows do not match the dataset's recorded schema.
	ErrSchemaChange = errors.New("schema change")
	// ErrLocked means another process is writing the same dataset (it holds
	// the dataset's write lease); the message names it.
	ErrLocked = errors.New("dataset is locked by another writer")
	// ErrCatalog means the catalog could not be read or written.
	ErrCatalog = errors.New("catalog error")
	// ErrCatalogStale means the catalog does not record every version whose
	// manifest is in the data directory: it is missing, empty, damaged or
	// older than the files. `groundtruth catalog rebuild` repairs it.
	ErrCatalogStale = errors.New("catalog does not match the data directory")
	// ErrDuplicateKey means a version would hold two rows with one declared
	// key (within the new rows or against the rows it keeps).
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrReadOnly means a write was attempted on a read-only store or query.
	ErrReadOnly = errors.New("read-only")
)
