package main

import (
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// catalogQuery matches a query naming a catalog table (gt.<name>).
var catalogQuery = regexp.MustCompile(`(?i)\bgt\.[a-z_]+`)

func newQueryCmd(a *app) *cobra.Command {
	var format string
	var limit int
	cmd := &cobra.Command{
		Use:   "query 'SQL'",
		Short: "Run a read-only SQL query over the versions' rows (views \"D\" and \"D@N\") or the catalog (gt.*)",
		Long: `query runs one read-only SELECT. Over rows it runs in an in-memory DuckDB
engine over the versions' Parquet copies (datasets/sqlview): the latest
attested, non-revoked version of dataset D is the view "D" (never a sealed
or pending one: a dataset without an attested version has no "D", and the
error names its "D@N"), version N of any status is "D@N", and "versions"
lists them with their status; each has a _row column (the row's position in the
version, i.e. its Merkle leaf index). A query naming a catalog table (schema gt:
gt.datasets, gt.versions, gt.segments, gt.checkpoints, gt.runs, ...) runs on the
catalog (SQLite or PostgreSQL) opened read-only instead: exactly one read-only
SELECT (a second statement after ";", ATTACH, PRAGMA or any write is refused
with exit 2; PostgreSQL runs it in a read-only transaction).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.jsonOut {
				format = "json"
			}
			st, err := a.openCertifying(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			print := func(rows *sql.Rows) error {
				switch format {
				case "table":
					return printTable(a, rows, limit)
				case "csv":
					return printCSV(a, rows)
				case "json":
					return printJSONRows(a, rows)
				}
				return fmt.Errorf("%w: --format %q: want table, csv or json", errUsage, format)
			}
			if catalogQuery.MatchString(args[0]) {
				err := st.QueryCatalog(cmd.Context(), args[0], print)
				if errors.Is(err, store.ErrCatalogQuery) {
					return fmt.Errorf("%w: query: %v", errUsage, err)
				}
				return err
			}
			e, err := st.SQLEngine(cmd.Context(), sqlview.Options{Verifier: st.CopyVerifier()})
			if err != nil {
				return err
			}
			defer e.Close()
			if err := e.Query(cmd.Context(), args[0], print); err != nil {
				if errors.Is(err, sqlview.ErrQuery) || errors.Is(err, sqlview.ErrNotQueryable) {
					return fmt.Errorf("%w: query: %v", errUsage, err)
				}
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table, csv or json")
	cmd.Flags().IntVar(&limit, "max-rows", 1000, "table format: stop printing after this many rows")
	return cmd
}

// scanRows returns the column names and a function reading the next row as strings.
func scanRows(rows *sql.Rows) ([]string, func() ([]any, error), error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	next := func() ([]any, error) {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]any, len(vals))
		for i, v := range vals {
			out[i] = jsonValue(v)
		}
		return out, nil
	}
	return cols, next, nil
}

// jsonValue turns driver values into printable, JSON-friendly values.
func jsonValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return fmt.Sprintf("0x%x", x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case fmt.Stringer:
		return x.String()
	}
	return v
}

func text(v any) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprint(v)
}

func printTable(a *app, rows *sql.Rows, limit int) error {
	cols, next, err := scanRows(rows)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = redact.Escape(c)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	n := 0
	for rows.Next() {
		n++
		if n > limit {
			continue
		}
		vals, err := next()
		if err != nil {
			return err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = redact.Escape(text(v)) // no raw ESC, newline or tab from the data

		}
		fmt.Fprintln(tw, strings.Join(parts, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if n > limit {
		fmt.Fprintf(a.stdout, "(%d rows, %d shown; use --max-rows or --format csv)\n", n, limit)
	} else {
		fmt.Fprintf(a.stdout, "(%d rows)\n", n)
	}
	return rows.Err()
}

func printCSV(a *app, rows *sql.Rows) error {
	cols, next, err := scanRows(rows)
	if err != nil {
		return err
	}
	w := csv.NewWriter(a.stdout)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = csvText(c)
	}
	w.Write(head)
	for rows.Next() {
		vals, err := next()
		if err != nil {
			return err
		}
		rec := make([]string, len(vals))
		for i, v := range vals {
			if v != nil {
				rec[i] = csvText(fmt.Sprint(v))
			}
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return rows.Err()
}

// csvText is a CSV cell safe for a terminal and a spreadsheet: control
// characters written as Go escapes (\x1b, \n; --format json keeps the exact
// values) and formula cells (=, +, -, @) behind a single quote.
func csvText(s string) string { return api.CSVCell(redact.Escape(s)) }

func printJSONRows(a *app, rows *sql.Rows) error {
	cols, next, err := scanRows(rows)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals, err := next()
		if err != nil {
			return err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c] = vals[i]
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return a.printJSON(out)
}
