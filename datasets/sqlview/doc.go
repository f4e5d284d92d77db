// Package sqlview answers SQL over the immutable files of a store without
// copying rows into a database file.
//
// At seal, every new segment (an Arrow IPC file named by its SHA-256) gets a
// Parquet copy, sql/<segment-sha256>.parquet, written by WriteSegment (and
// recreated by Rebuild from the segment file alone: the copy is derived
// data, never hashed into a manifest). The copy holds the columns in the
// forms SQL users expect: addresses and 32-byte hashes as lowercase 0x hex
// text, uint256/int256 as decimal text (the views cast them to DuckDB's
// exact BIGNUM), timestamps as TIMESTAMP WITH TIME ZONE. A row's position in
// a version, _row, is the segment's first row in that version plus the
// row's position in the file, so one file serves every version that keeps
// the segment.
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
