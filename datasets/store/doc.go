// Package store is groundtruth's immutable, versioned dataset store: the
// content-addressed segment and manifest files of package datasets under a
// data directory, plus the DuckDB catalog (catalog.duckdb) that records
// datasets, versions, segments, runs and checkpoints and holds every row so
// versions are queryable with SQL (view "D" is the latest version of dataset
// D, view "D@N" its version N).
//
// Writes are crash-safe: files are written to tmp/, fsynced and renamed into
// place; a version becomes visible only when its catalog transaction commits,
// together with the job's new checkpoint; its manifest file is renamed into
// manifests/ only after that commit. The files are the truth and the catalog
// is an index of them: nothing is deleted at open. A catalog that does not
// record every manifest in manifests/ (missing, empty, damaged or an older
// backup) makes a writing Open fail with ErrCatalogStale; Check lists the
// differences and Prune deletes only the unreferenced files Check listed.
//
// DuckDB's Arrow interface (build tag duckdb_arrow) is used to load rows; the
// Makefile sets the tag.
package store
