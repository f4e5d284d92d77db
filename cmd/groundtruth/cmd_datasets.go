package main

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

func newDatasetsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "datasets", Short: "List, show and export datasets and their versions"}
	cmd.AddCommand(newDatasetsListCmd(a), newDatasetsShowCmd(a), newDatasetsExportCmd(a), newDatasetsSQLCmd(a))
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
	var o exportOpts
	var cf croissantFlags
	cmd := &cobra.Command{
		Use:   "export DATASET@N",
		Short: "Export an attested version's rows as Parquet, CSV or JSONL (--croissant: Parquet with Croissant metadata)",
		Long: `export writes a version's rows in row order. Only attested, non-revoked
versions are exported unless --allow-unattested; then the output says so and
a Parquet file's key-value metadata records groundtruth.status. -o - writes
the rows to stdout (the summary goes to stderr).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cf.dir != "" {
				return a.exportCroissant(cmd.Context(), args[0], &cf)
			}
			return a.exportRows(cmd.Context(), args[0], &o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "parquet", "parquet, csv or jsonl (csv: text cells a spreadsheet would run as formulas get a leading ')")
	cmd.Flags().StringVarP(&o.out, "output", "o", "", "output file, - for stdout (default DATASET@N.FORMAT)")
	cmd.Flags().BoolVar(&o.allowUnattested, "allow-unattested", false, "export a version that is not attested (sealed, pending or revoked); the output says so")
	cf.register(cmd)
	return cmd
}

// exportOpts are the flags of datasets export (without --croissant).
type exportOpts struct {
	format, out     string
	allowUnattested bool
}

func (a *app) exportRows(ctx context.Context, ref string, o *exportOpts) error {
	copyFmt, ok := map[string]string{"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}[o.format]
	if !ok {
		return fmt.Errorf("%w: --format %q: want parquet, csv or jsonl", errUsage, o.format)
	}
	st, rec, err := a.openVersion(ctx, ref)
	if err != nil {
		return err
	}
	defer st.Close()
	m := rec.Manifest
	name := fmt.Sprintf("%s@%d", m.Dataset, m.Version)
	status, err := st.VersionStatus(ctx, m.Dataset, m.Version)
	if err != nil {
		return err
	}
	if status != attest.StatusAttested && !o.allowUnattested {
		return exportRefusal(name, status)
	}
	if status == attest.StatusAttested {
		// The status is one catalog column: an export that says
		// "attested" needs the attestation's evidence for this exact
		// statement too (a black-box attack flipped the column of a
		// sealed version and got it exported as attested).
		if _, _, err := recordedEvidence(ctx, st, attest.StatementOf(m, rec.ManifestHash)); err != nil {
			return fmt.Errorf("%s is recorded attested but %w; groundtruth verify --attested %s says more", name, err, name)
		}
	}
	if o.format == "parquet" {
		copyFmt += ", " + exportMetadata(m, rec.ManifestHash.Hex(), status)
	}
	out, toStdout := o.out, o.out == "-"
	if out == "" {
		out = fmt.Sprintf("%s.%s", name, o.format)
	}
	abs, err := exportTarget(out, toStdout)
	if err != nil {
		return err
	}
	if toStdout {
		defer os.RemoveAll(filepath.Dir(abs))
	}
	if err := exportCopy(ctx, st, m, o.format, copyFmt, abs); err != nil {
		if errors.Is(err, datasets.ErrIntegrity) {
			return fmt.Errorf("exporting %s: %w", name, err)
		}
		return fmt.Errorf("%w: exporting %s: %v", store.ErrCatalog, name, err)
	}
	summary := a.stdout
	if toStdout {
		if err := copyFileTo(a.stdout, abs); err != nil {
			return err
		}
		summary, out = a.stderr, "stdout"
	}
	note := ""
	if status != attest.StatusAttested {
		note = fmt.Sprintf(" — NOT ATTESTED: %s is %s (--allow-unattested)", name, status)
	}
	fmt.Fprintf(summary, "%s: %d rows written to %s%s\n", name, m.RowCount, out, note)
	return nil
}

// exportCopy writes the version's rows in row order with DuckDB's COPY. In
// CSV, string cells go through api.CSVCell (the API's CSV escaping): a
// cell starting with = + - @, a tab or a carriage return that is not a
// plain number gets a leading single quote, so that a spreadsheet does not
// run it as a formula.
func exportCopy(ctx context.Context, st *store.Store, m *datasets.Manifest, format, copyFmt, abs string) error {
	conn, closeDB, err := versionRowsDB(ctx, st, m)
	if err != nil {
		return err
	}
	defer closeDB()
	sel := "*"
	if format == "csv" {
		var repl []string
		for _, c := range m.Schema.Columns {
			if c.Type == datasets.TypeString {
				q := `"` + strings.ReplaceAll(c.Name, `"`, `""`) + `"`
				repl = append(repl, "gt_csv_cell("+q+") AS "+q)
			}
		}
		if len(repl) > 0 {
			if err := duckdb.RegisterScalarUDF(conn, "gt_csv_cell", csvCellUDF{}); err != nil {
				return err
			}
			sel = "* REPLACE (" + strings.Join(repl, ", ") + ")"
		}
	}
	q := fmt.Sprintf(`COPY (SELECT %s FROM "%s@%d" ORDER BY _row) TO '%s' (%s)`, sel, m.Dataset, m.Version, strings.ReplaceAll(abs, "'", "''"), copyFmt)
	_, err = conn.ExecContext(ctx, q)
	return err
}

// csvCellUDF is gt_csv_cell(VARCHAR) → VARCHAR, api.CSVCell in SQL.
type csvCellUDF struct{}

// Config implements duckdb.ScalarFunc.
func (csvCellUDF) Config() duckdb.ScalarFuncConfig {
	vc, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{vc}, ResultTypeInfo: vc}
}

// Executor implements duckdb.ScalarFunc.
func (csvCellUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(v []driver.Value) (any, error) {
		s, _ := v[0].(string)
		return api.CSVCell(s), nil
	}}
}
