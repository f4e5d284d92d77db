// Package api holds the wire format of groundtruth's read-only HTTP API
// (package serve) shared by the server and its Go client (serve/client):
// the JSON documents, the error envelope, the response headers and the
// value forms a row's values take in JSON, JSONL and CSV.
//
// Values come in two forms (Form): Readable, the default (numbers as JSON
// numbers, timestamps as ISO-8601 UTC with microseconds, checksummed
// addresses; docs/serving.md), and Canonical, the value forms of
// docs/SPEC.md §10. Parse reads either, so anyone holding a row can
// recompute its canonical encoding and leaf. The canonical forms: bool as JSON true/false; every
// integer type, uint256, int256 and timestamp (microseconds since the
// epoch) as decimal strings; float64 as "0x" + 16 hex digits of its
// IEEE-754 bits; string as a JSON string; bytes, address and bytes32 as
// "0x" + lowercase hex; null as null. The package is pure Go: it does not
// pull DuckDB into clients.
package api
