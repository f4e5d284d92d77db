// Package poisoning holds the validators that catch manipulated values:
// robust outliers of a series against its history (median/MAD on returns,
// Hampel on levels), a jump guard, values pinned at an oracle's bounds,
// the median of several sources with a quorum and a band (a single source
// off the band is quarantined, a move all sources confirm is not), a slow
// bias of one source, conflicting duplicates, re-fetch mismatches, schema
// changes and distribution drift against the last good version (PSI,
// Jensen–Shannon, L∞).
//
// Every validator is built from its configuration struct (DefaultXConfig,
// NewX) or through Factories for a validators.Registry.
package poisoning
