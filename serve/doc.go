// Package serve is groundtruth's read-only data API: it serves attested
// dataset versions, and only those, to AI agents and their tools.
//
// Every endpoint is under /v1 and answers GET (and HEAD); errors are one
// JSON envelope {status, errorType, error}:
//
//	GET /v1/datasets                                    datasets and their attested versions
//	GET /v1/datasets/{d}                                one dataset, with the latest schema
//	GET /v1/datasets/{d}/versions/{v}                   a version: summary, manifest, attestation
//	GET /v1/datasets/{d}/versions/{v}/manifest          the canonical manifest bytes
//	GET /v1/datasets/{d}/versions/{v}/evidence          the attestation evidence (signatures, txs, UIDs)
//	GET /v1/datasets/{d}/versions/{v}/segments/{sha256} a segment file (Range)
//	GET /v1/datasets/{d}/versions/{v}/data              rows: Arrow IPC (Range), JSONL, CSV; columns=, rows=
//	GET /v1/datasets/{d}/versions/{v}/rows/{i}          one row with its RFC 6962 inclusion proof
//	GET /v1/datasets/{d}/versions/{v}/rows?k1=…&k2=…    one row by its key, with its proof
//	GET /v1/datasets/{d}/consistency?from=N&to=M        a consistency proof between two versions
//
// {v} is a version number or latest (the latest attested, non-revoked
// version). A version that is sealed, pending or revoked, or whose recorded
// attestation the chain does not confirm, answers 403 with the reason. The
// Watcher follows revocations on-chain and stops serving a revoked version
// within one poll interval, recording the revocation in the catalog.
//
// Callers authenticate with bearer tokens whose SHA-256 the configuration
// holds (compared in constant time); each token is scoped to datasets and
// rate limited (429 with Retry-After). CORS is off unless origins are
// configured. Data responses name the version they come from in
// Groundtruth-* headers, so that a caller can keep a receipt of what it
// read; the Go client (serve/client) verifies everything it receives
// against the chain. Server also offers the same operations to in-process
// callers (the MCP server in serve/mcp): Datasets, Dataset, Row, RowByKey,
// Consistency, Query (read-only SQL over attested versions) and Verify.
//
// The design choices (the deterministic Arrow stream behind Range, the row
// blocks behind the row endpoint, the query sandbox) are described in
// docs/serving.md.
package serve
