package poisoning

import "github.com/groundtruth-dao/groundtruth/validators"

// Factories returns the factories of the poisoning validators, for a
// validators.Registry.
func Factories() []validators.Factory {
	return []validators.Factory{
		validators.NewFactory(SeriesKind, "robust outliers (median/MAD, Hampel), jump guard and bounds of a numeric series, confirmed by peers", seriesCodes, DefaultSeriesConfig, NewSeries),
		validators.NewFactory(CrossSourceKind, "median of N sources with a quorum and a band; slow bias of one source", crossCodes, DefaultCrossSourceConfig, NewCrossSource),
		validators.NewFactory(DuplicatesKind, "conflicting and exact duplicates within a run and against recent history (re-fetch mismatch)", dupCodes, DefaultDuplicatesConfig, NewDuplicates),
		validators.NewFactory(SchemaKind, "schema changes against the dataset's sealed schema", (&Schema{}).Codes(), func() SchemaConfig { return SchemaConfig{} }, NewSchema),
		validators.NewFactory(GovernanceKind, "governance consistency: votes inside their proposal's window and not after a cancellation, one vote per voter and proposal, weights within the supply, well-formed addresses; per group (contract)", governanceCodes, DefaultGovernanceConfig, NewGovernance),
		validators.NewFactory(DriftKind, "distribution drift against the last good version (PSI, Jensen–Shannon, L∞)", driftCodes, DefaultDriftConfig, NewDrift),
	}
}
