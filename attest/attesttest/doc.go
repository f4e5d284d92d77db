// Package attesttest holds test helpers for the attestation backends and the
// CLI: a local chain (anvil) with a DatasetRegistry and EAS deployed, steward
// keys, and statements. It is imported by tests only.
package attesttest
