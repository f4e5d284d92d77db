package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func newDatasetsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "datasets", Short: "List, show and export datasets and their versions"}
	cmd.AddCommand(newDatasetsListCmd(a), newDatasetsShowCmd(a), newDatasetsExportCmd(a))
	return cmd
}

func newDatasetsListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List datasets with their latest version",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openStore(cmd.Context(), "", true)
			if err != nil {
				return err
			}
			defer st.Close()
			list, err := st.Datasets(cmd.Context())
			if err != nil {
				return err
			}
			if a.jsonOut {
				if list == nil {
					list = []store.DatasetInfo{}
				}
				return a.printJSON(list)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATASET\tVERSION\tROWS\tSTATUS\tMERKLE ROOT\tUPDATED")
			for _, d := range list {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", d.Name, d.LatestVersion, d.Rows, d.Status, d.MerkleRoot, d.UpdatedAt.UTC().Format("2006-01-02 15:04:05Z"))
			}
			return tw.Flush()
		},
	}
}

func newDatasetsShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show DATASET[@N]",
		Short: "Print a version's manifest (the latest when @N is left out)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, rec, err := a.openVersion(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			if a.jsonOut {
				_, err := fmt.Fprintf(a.stdout, "%s\n", rec.ManifestJSON)
				return err
			}
			if err := a.printJSON(rec.Manifest); err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "manifest hash: %s\n", rec.ManifestHash)
			return err
		},
	}
}

func newDatasetsExportCmd(a *app) *cobra.Command {
	var format, out string
	var cf croissantFlags
	cmd := &cobra.Command{
		Use:   "export DATASET@N",
		Short: "Export a version's rows as Parquet, CSV or JSONL (--croissant: Parquet with Croissant metadata)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cf.dir != "" {
				return a.exportCroissant(cmd.Context(), args[0], &cf)
			}
			copyFmt, ok := map[string]string{"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}[format]
			if !ok {
				return fmt.Errorf("%w: --format %q: want parquet, csv or jsonl", errUsage, format)
			}
			st, rec, err := a.openVersion(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			name := rec.Manifest.Dataset
			if out == "" {
				out = fmt.Sprintf("%s@%d.%s", name, rec.Manifest.Version, format)
			}
			abs, err := filepath.Abs(out)
			if err != nil {
				return err
			}
			if _, err := os.Stat(abs); err == nil {
				return fmt.Errorf("%w: %s exists; remove it or choose another -o", errUsage, out)
			}
			q := fmt.Sprintf(`COPY (SELECT * FROM "%s@%d" ORDER BY _row) TO '%s' (%s)`, name, rec.Manifest.Version, strings.ReplaceAll(abs, "'", "''"), copyFmt)
			if _, err := st.DB().ExecContext(cmd.Context(), q); err != nil {
				return fmt.Errorf("%w: exporting %s@%d: %v", store.ErrCatalog, name, rec.Manifest.Version, err)
			}
			fmt.Fprintf(a.stdout, "%s@%d: %d rows written to %s\n", name, rec.Manifest.Version, rec.Manifest.RowCount, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "parquet", "parquet, csv or jsonl")
	cmd.Flags().StringVarP(&out, "output", "o", "", "output file (default DATASET@N.FORMAT)")
	cf.register(cmd)
	return cmd
}
