// Package sources defines the Source interface that every ingestor
// implements, the sentinel errors a source reports, and the registry of
// source kinds that cmd/groundtruth builds explicitly. Implementations live in
// sub-packages, one per kind (sources/file, ...); sources/sourcetest holds the
// conformance suite every implementation runs.
package sources
