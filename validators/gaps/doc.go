// Package gaps holds the validators that catch missing data: time-bucket
// coverage, staleness against a source's heartbeat and values frozen for
// longer than allowed, sequence gaps (GovernorBravo proposal ids, Snapshot
// message indexes) and references to ids that never appeared, missing votes
// shown by a passed proposal whose recorded tally cannot have passed,
// block-range coverage against the previous version, null rates, and
// row-count anomalies against the metric history.
//
// Every validator is built from its configuration struct (DefaultXConfig,
// NewX) or through Factories for a validators.Registry.
package gaps
