package store

// validationDDL creates the catalog tables of the validation stage
// (findings, quarantine, metric history); every statement is idempotent.
//
//   - gt.validation_runs: one row per validation run with its report
//     (canonical JSON and hash) and outcome: pending (written before the
//     version commits), sealed, blocked, aborted or dry_run.
//   - gt.findings: every finding of a run, passed checks included.
//   - gt.flagged_rows: keys of kept rows flagged at warn or above, left out
//     of windows and baselines.
//   - gt.quarantine: quarantined rows (as one-row Arrow IPC streams, with a
//     JSON rendering) with their reasons and the steward's decision.
//   - gt.metrics: the metrics of each run's accepted rows, by version.
//   - gt.lineage: what each version took in besides the source's rows
//     (approved quarantine decisions), referenced by its report.
var validationDDL = []string{
	`CREATE TABLE IF NOT EXISTS gt.validation_runs (
		run_id VARCHAR PRIMARY KEY, job VARCHAR, dataset VARCHAR NOT NULL, version UBIGINT,
		outcome VARCHAR NOT NULL, report_hash VARCHAR NOT NULL, report_json VARCHAR NOT NULL,
		cursor VARCHAR, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.findings (
		run_id VARCHAR NOT NULL, ordinal INTEGER NOT NULL, dataset VARCHAR NOT NULL,
		code VARCHAR NOT NULL, severity VARCHAR NOT NULL, validator VARCHAR NOT NULL, passed BOOLEAN NOT NULL,
		action VARCHAR NOT NULL, subject VARCHAR NOT NULL, value DOUBLE, threshold DOUBLE,
		message VARCHAR NOT NULL, row_keys VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY (run_id, ordinal))`,
	`CREATE TABLE IF NOT EXISTS gt.flagged_rows (
		dataset VARCHAR NOT NULL, row_key VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
		code VARCHAR NOT NULL, severity VARCHAR NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.quarantine (
		id VARCHAR PRIMARY KEY, dataset VARCHAR NOT NULL, job VARCHAR, run_id VARCHAR NOT NULL,
		row_key VARCHAR NOT NULL, row_json VARCHAR NOT NULL, row_ipc BLOB NOT NULL,
		codes VARCHAR NOT NULL, reasons VARCHAR NOT NULL, status VARCHAR NOT NULL,
		steward VARCHAR, decided_at TIMESTAMPTZ, note VARCHAR, signature VARCHAR,
		applied_run VARCHAR, applied_version UBIGINT, created_at TIMESTAMPTZ NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.metrics (
		run_id VARCHAR PRIMARY KEY, dataset VARCHAR NOT NULL, version UBIGINT,
		rows_measured UBIGINT NOT NULL, rows_in UBIGINT NOT NULL, metrics_json VARCHAR NOT NULL,
		created_at TIMESTAMPTZ NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.lineage (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL, kind VARCHAR NOT NULL,
		ref VARCHAR NOT NULL, detail VARCHAR NOT NULL, run_id VARCHAR NOT NULL)`,
}
