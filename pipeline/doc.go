// Package pipeline runs groundtruth's jobs. A job reads its source from
// the committed checkpoint, validates the new rows (findings, policies,
// quarantine), seals them into a new version whose catalog transaction also
// commits the new checkpoint — so each row is ingested exactly once even
// across crashes — and has the version attested (the pipeline key signing as
// one of k, co-signers, or left pending for stewards).
//
// Runner runs one job once; the same code path serves `groundtruth ingest`,
// `job run`, `backfill`, `run --once` and the daemon. Daemon is a group of
// actors (oklog/run): the cron scheduler, which skips a tick while the
// job's previous run is still going, retries failed runs with backoff and
// marks jobs failing; the HTTP server with /metrics, /healthz, /readyz and
// the data API when mounted; and signal handling with a shutdown grace.
package pipeline
