package store

// legacyJournalStatements are catalog statements that earlier releases
// journaled and the current source no longer holds (a column added to a
// condition, a statement folded into another). A data directory written by
// those releases holds them, and its journal must still replay: they are
// accepted beside CatalogStatements. The list is history, not a copy of the
// current statements: TestLegacyStatementsAreNotCurrent keeps it so. It
// was made from the source of every commit of datasets/store since the
// journal exists (git log 4a41bc3^..), minus the current statements.
var legacyJournalStatements = []string{
	`INSERT INTO gt.datasets VALUES (?, ?, now()) ON CONFLICT DO NOTHING`,
	`UPDATE gt.quarantine SET status = ?, steward = ?, decided_at = ?, note = ?, signature = ? WHERE id = ? AND status = 'pending'`,
	`UPDATE gt.segments SET loaded = true WHERE id = ?`,
	`UPDATE gt.quarantine SET status = ?, steward = ?, decided_at = ?, note = ?, signature = ? WHERE id = ? AND status = 'pending'
		AND (run_id IS NULL OR run_id NOT IN (SELECT run_id FROM gt.validation_runs WHERE outcome = 'pending'))`,
}

// LegacyJournalStatements returns a copy of the legacy list (for tests and
// tools).
func LegacyJournalStatements() []string {
	return append([]string(nil), legacyJournalStatements...)
}
