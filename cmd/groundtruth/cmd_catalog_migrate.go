package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func newCatalogMigrateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate [--catalog URL|FILE] [--json]",
		Short: "Carry the DuckDB catalog of an earlier release (catalog.duckdb) into the SQLite or PostgreSQL catalog",
		Long: "migrate copies every table of DATA/catalog.duckdb into the catalog (--catalog, $GROUNDTRUTH_CATALOG or the\n" +
			"configuration's catalog:, default DATA/catalog.sqlite), compares every table's row count, keeps the old\n" +
			"file as catalog.duckdb.migrated-TIME (never deleted), writes the Parquet copies SQL reads and verifies\n" +
			"every version from its files. Any writing command does the same migration when it finds catalog.duckdb.\n" +
			"It takes the runner lock (exit 5 while the daemon, ingest or backfill runs).\n" +
			"Exit 4 when there is no catalog.duckdb; exit 3 when a version does not verify.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openRunnerStore(ctx, "")
			if err != nil {
				return err
			}
			defer st.Close()
			rep := st.Migrated()
			if rep == nil {
				return fmt.Errorf("%w: no DuckDB catalog %s in %s to migrate", store.ErrNotFound, store.DuckDBCatalogFile, a.dataDir)
			}
			res, verr := verifyAll(cmd, st)
			if a.jsonOut {
				if err := a.printJSON(map[string]any{"migrate": rep, "verified": res}); err != nil {
					return err
				}
				return verr
			}
			fmt.Fprintf(a.stdout, "migrated %s into %s: %d versions, %d journal entries; the old file is kept as %s\n",
				rep.From, rep.To, rep.Rows["versions"], rep.Rows["journal"], rep.Kept)
			fmt.Fprintf(a.stdout, "verified %d of %d versions from their files\n", res.Verified, res.Versions)
			for _, f := range res.Failed {
				fmt.Fprintf(a.stdout, "  FAILED %s\n", f)
			}
			return verr
		},
	}
}
