// Package store is groundtruth's immutable, versioned dataset store: the
// content-addressed segment and manifest files of package datasets under a
// data directory, plus the catalog (package catalogdb: DATA/catalog.sqlite,
// or a PostgreSQL database named by Options.Catalog) that records
// datasets, versions, segments, runs, checkpoints and the rest of the gt
// tables. The catalog holds no rows: versions are queryable with SQL
// through SQLEngine, a datasets/sqlview engine over the Parquet copies of
// their segments. Readers take no lock; a version writer holds its
// dataset's write lease (gt.leases) from Begin to Commit or Abort, so
// processes write different datasets at once and never the same one.
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
// A catalog.duckdb of an earlier release is migrated at the first writing
// Open (MigrateCatalog). The build tag duckdb_arrow is set by the Makefile.
package store
