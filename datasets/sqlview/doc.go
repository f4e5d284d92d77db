// Package sqlview answers SQL over the immutable files of a store without
// copying rows into a database file.
//
// At seal, every new segment (an Arrow IPC file named by its SHA-256) gets a
// Parquet copy, sql/<segment-sha256>.parquet, written by WriteSegment (and
// recreated by Rebuild from the segment file alone: the copy is derived
// data, never hashed into a manifest). The copy keeps addresses and 32-byte
// hashes as fixed-size binary (the views show them as lowercase 0x text),
// stores each uint256/int256 column as the two 64-bit halves of a signed
// 128-bit integer ("<name>#hi", "<name>#lo") plus "<name>#text" for the
// rare values beyond 128 bits (the views join them into DuckDB's exact
// BIGNUM), and timestamps as TIMESTAMP WITH TIME ZONE. A
// row's position in a version, _row, is the segment's first row in that
// version plus the row's position in the file, so one file serves every
// version that keeps the segment.
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
