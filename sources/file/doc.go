// Package file implements the "file" source kind: CSV, JSONL and Parquet
// drops (third-party exports) read with declared columns and types.
//
// Every value is converted exactly or rejected with the file, line (row for
// Parquet) and column named; see docs/sources.md for the accepted forms of
// each type. Each row gets three provenance columns after the declared
// ones: _source (the source id), _file_sha256 (the SHA-256 of the whole
// file as read by this fetch) and _line (the 1-based line where the record
// starts, or the 1-based row for Parquet).
//
// The cursor holds the number of bytes consumed, the SHA-256 of that
// prefix and the records read. A file that grew by appending yields only
// the new records; an edited, truncated or replaced file is an error
// wrapping sources.ErrChanged and nothing is emitted. Parquet files are
// read whole and any change to one is ErrChanged.
//
// Files are streamed: a fetch hashes the file in one pass, then decodes it
// in a second pass (checking that the bytes did not change in between) and
// emits Arrow records of at most batch_rows rows.
package file
