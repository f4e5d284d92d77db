package poisoning

import "github.com/groundtruth-dao/groundtruth/validators"

// Factories returns the factories of the poisoning validators, for a
// validators.Registry.
func Factories() []validators.Factory {
	return []validators.Factory{
		factory(SeriesKind, "robust outliers (median/MAD, Hampel), jump guard and bounds of a numeric series, confirmed by peers", seriesCodes, DefaultSeriesConfig, NewSeries),
		factory(CrossSourceKind, "median of N sources with a quorum and a band; slow bias of one source", crossCodes, DefaultCrossSourceConfig, NewCrossSource),
		factory(DuplicatesKind, "conflicting and exact duplicates within a run and against recent history (re-fetch mismatch)", dupCodes, DefaultDuplicatesConfig, NewDuplicates),
		factory(SchemaKind, "schema changes against the dataset's sealed schema", (&Schema{}).Codes(), func() SchemaConfig { return SchemaConfig{} }, NewSchema),
		factory(DriftKind, "distribution drift against the last good version (PSI, Jensen–Shannon, L∞)", driftCodes, DefaultDriftConfig, NewDrift),
	}
}

// factory builds a Factory from a default configuration and a constructor.
func factory[C any, V validators.Validator](kind, summary string, codes []validators.CodeInfo, defaults func() C, build func(string, C) (V, error)) validators.Factory {
	return validators.Factory{
		Kind: kind, Summary: summary, Codes: codes,
		New: func(name string, decode validators.Decode, _ validators.Deps) (validators.Validator, error) {
			cfg := defaults()
			if err := decode(&cfg); err != nil {
				return nil, err
			}
			return build(or(name, kind), cfg)
		},
	}
}
