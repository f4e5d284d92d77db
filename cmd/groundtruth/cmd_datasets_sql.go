package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func newDatasetsSQLCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "sql DATASET[@N]",
		Short: "Print SQL that creates the views of a dataset's versions over their Parquet files, for the duckdb CLI",
		Long: `sql prints CREATE VIEW statements for the official duckdb CLI (or any DuckDB):
"D@N" for every version of DATASET (only N with @N), "D" for its latest attested,
non-revoked version (none: a comment says why) and versions (dataset, version,
status, rows, root, manifest_hash). The views read the segments' Parquet copies
(DATA/sql/<segment-sha256>.parquet) by absolute path; a missing copy is written
first. Example:

  duckdb -cmd "$(groundtruth --data-dir DATA datasets sql votes)" -c 'SELECT count(*) FROM votes'`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			name, version, err := parseRef(args[0])
			if err != nil {
				return err
			}
			st, err := a.openCertifying(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			all, err := st.SQLVersions(ctx, name)
			if err != nil {
				return err
			}
			var vs []sqlview.Version
			for _, v := range all {
				if version == 0 || v.Version == version {
					vs = append(vs, v)
				}
			}
			if len(vs) == 0 {
				return fmt.Errorf("%w: no version %s", store.ErrNotFound, args[0])
			}
			for _, v := range vs {
				rec, err := st.Version(ctx, v.Dataset, v.Version)
				if err != nil {
					return err
				}
				if err := store.WriteParquetCopies(ctx, st.Root(), rec.Manifest); err != nil {
					return err
				}
			}
			script, err := sqlview.Script(vs)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.stdout, script)
			return err
		},
	}
}
