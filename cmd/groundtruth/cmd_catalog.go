package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// errCheckFailed means catalog check found problems (exit 12).
var errCheckFailed = errors.New("the catalog and the files disagree")

func newCatalogCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Check the catalog against the files of the data directory",
		Long: "The files of the data directory (manifests, segments, leaf indexes) are the truth; the catalog is an\n" +
			"index of them. catalog check lists where they disagree.",
	}
	cmd.AddCommand(newCatalogCheckCmd(a))
	return cmd
}

func newCatalogCheckCmd(a *app) *cobra.Command {
	var prune bool
	cmd := &cobra.Command{
		Use:   "check [--prune] [--json]",
		Short: "List missing files, unreferenced files, hash mismatches and catalog rows without files",
		Long: "check reads every manifest and segment file once and compares them with the catalog. It lists files a\n" +
			"version references that are missing, catalog rows whose files are missing, files whose content does not\n" +
			"match their hash, manifests the catalog does not record (run `groundtruth catalog rebuild`) and files no\n" +
			"version references (leftovers of interrupted writes). The exit status is 0 only when nothing is listed,\n" +
			"else 12. --prune deletes the unreferenced files it listed, and nothing else (it takes the writer lock).",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := store.Open(ctx, a.dataDir, store.Options{ReadOnly: !prune, AllowStale: true, Logger: a.logger()})
			if err != nil {
				return err
			}
			defer st.Close()
			rep, err := st.Check(ctx)
			if err != nil {
				return err
			}
			if prune {
				if err := st.Prune(ctx, rep); err != nil {
					return err
				}
				rep.UnreferencedFiles = nil
			}
			if a.jsonOut {
				err = a.printJSON(rep)
			} else {
				printCheck(a.stdout, a.dataDir, rep)
			}
			if err != nil {
				return err
			}
			if !rep.Clean() {
				return fmt.Errorf("%w: catalog check of %s found problems (listed above)", errCheckFailed, a.dataDir)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&prune, "prune", false, "delete the unreferenced files the check lists")
	return cmd
}

// printCheck writes a check report as text, one section per kind of problem.
func printCheck(w io.Writer, dir string, r *store.CheckReport) {
	if r.Clean() {
		fmt.Fprintf(w, "catalog check of %s: clean\n", dir)
	}
	problems := func(title string, ps []store.FileProblem) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(ps))
		for _, p := range ps {
			fmt.Fprintf(w, "  %s  %s  %s\n", p.Path, p.Version, p.Detail)
		}
	}
	paths := func(title string, ps []string) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(ps))
		for _, p := range ps {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	problems("missing files (referenced by a manifest the catalog lacks)", r.MissingFiles)
	problems("catalog rows without files", r.CatalogRowsWithoutFiles)
	problems("hash mismatches", r.HashMismatches)
	paths("manifests the catalog does not record (run `groundtruth catalog rebuild`)", r.UnindexedManifests)
	paths("unreferenced files (`--prune` deletes them)", r.UnreferencedFiles)
	paths("pruned", r.Pruned)
}
