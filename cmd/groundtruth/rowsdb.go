package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// versionRowsDB opens a throwaway in-memory DuckDB database with one view,
// "D@N", over the Parquet copies of version m (the catalog holds no rows),
// for exports that write files with COPY. The caller calls the returned
// close function.
func versionRowsDB(ctx context.Context, st *store.Store, m *datasets.Manifest) (*sql.Conn, func(), error) {
	vs, err := st.SQLVersions(ctx, m.Dataset)
	if err != nil {
		return nil, nil, err
	}
	var v *sqlview.Version
	for i := range vs {
		if vs[i].Version == m.Version {
			v = &vs[i]
		}
	}
	if v == nil {
		return nil, nil, fmt.Errorf("%w: %s@%d is not in the catalog", store.ErrNotFound, m.Dataset, m.Version)
	}
	// The copies are proven against the segments first: an export
	// certifies the rows it writes as the version's.
	cv := st.CopyVerifier()
	for _, seg := range v.Segments {
		if err := cv.Verify(ctx, seg); err != nil {
			return nil, nil, fmt.Errorf("the rows of %s@%d: %w", m.Dataset, m.Version, err)
		}
	}
	sel, err := sqlview.SelectSQL(v)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: the rows of %s@%d: %v", store.ErrCatalog, m.Dataset, m.Version, err)
	}
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, nil, err
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		connector.Close()
		return nil, nil, err
	}
	closeAll := func() { conn.Close(); db.Close(); connector.Close() }
	view := fmt.Sprintf(`CREATE VIEW "%s@%d" AS %s`, m.Dataset, m.Version, sel)
	if _, err := conn.ExecContext(ctx, view); err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("%w: the rows of %s@%d: %v", store.ErrCatalog, m.Dataset, m.Version, err)
	}
	return conn, closeAll, nil
}
