// Package pipeline runs groundtruth's jobs: a job reads its source from the
// committed checkpoint, and its rows are sealed into a new version whose
// catalog transaction also commits the new checkpoint, so each row is
// ingested exactly once even across crashes. The scheduler, validation and
// attestation stages build on Ingest.
package pipeline
