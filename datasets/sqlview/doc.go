// Package sqlview answers SQL over the immutable files of a store without
// copying rows into a database file.
//
// At seal, every new segment (an Arrow IPC file named by its SHA-256) gets a
// Parquet copy, sql/<segment-sha256>.parquet, written by WriteSegment (and
// recreated by Rebuild from the segment file alone: the copy is derived
// data, never hashed into a manifest). The copy keeps addresses and 32-byte
// hashes as fixed-size binary (the views show them as lowercase 0x text),
// stores each uint256/int256 column as DECIMAL(38,0) (a 16-byte
// FIXED_LEN_BYTE_ARRAY that DuckDB reads and sums natively) plus
// "<name>#text" for the rare values beyond ±(10^38−1), and timestamps as
// TIMESTAMP WITH TIME ZONE. A
// row's position in a version, _row, is the segment's first row in that
// version plus the row's position in the file, so one file serves every
// version that keeps the segment. The footer records the copy's format
// and which wide columns needed text (ReadCopyInfo). The store writes the
// copy inside the seal, from the batches it already holds (Writer).
//
// A view's uint256/int256 column is DECIMAL(38,0) when every value of the
// column in the version lies within ±(10^38−1), else BIGNUM (exact, slower
// to aggregate); a version's segments never change, so neither does its
// view's type. sum() over DECIMAL(38,0) is exact or fails with DuckDB's
// "Overflow in HUGEINT addition"; sum(CAST(CAST(x AS HUGEINT) AS BIGNUM))
// never overflows.
//
// An Engine is an in-memory DuckDB database with one view per version,
// "D@N"; a view "D" for the latest attested, non-revoked version of D; and
// a view versions listing every version with its status. Engine.Refresh
// replaces the views when the list of versions changes. Only a single
// SELECT is run, external access is off except for reading the Parquet
// folder, and the configuration is locked, so user SQL cannot write files.
//
// Script returns the same views as SQL text, for the official duckdb CLI.
package sqlview
