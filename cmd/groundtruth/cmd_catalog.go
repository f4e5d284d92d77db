package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// errCheckFailed means catalog check found problems (exit 12).
var errCheckFailed = errors.New("the catalog and the files disagree")

func newCatalogCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Check the catalog against the files of the data directory, or rebuild it from them",
		Long: "The files of the data directory (manifests, segments, leaf indexes) are the truth; the catalog is an\n" +
			"index of them. catalog check lists where they disagree; catalog rebuild makes a new catalog from the files.",
	}
	cmd.AddCommand(newCatalogCheckCmd(a), newCatalogRebuildCmd(a), newCatalogMigrateCmd(a))
	return cmd
}

func newCatalogCheckCmd(a *app) *cobra.Command {
	var prune, repair bool
	cmd := &cobra.Command{
		Use:   "check [--prune] [--repair] [--json]",
		Short: "List missing files, unreferenced files, hash mismatches and catalog rows without files",
		Long: "check reads every manifest and segment file once and compares them with the catalog. It lists files a\n" +
			"version references that are missing, catalog rows whose files are missing, files whose content does not\n" +
			"match their hash, manifests the catalog does not record (run `groundtruth catalog rebuild`) and files no\n" +
			"version references (leftovers of interrupted writes). The exit status is 0 only when nothing is listed,\n" +
			"else 12. --prune deletes the unreferenced files it listed, and nothing else (it takes the writer lock).\n" +
			"It also lists the Parquet copies for SQL (sql/<segment-sha256>.parquet) that are missing, unreadable or\n" +
			"stale (a crash between a segment and its copy); --repair recreates them from the segments.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := store.Open(ctx, a.dataDir, store.Options{ReadOnly: !prune && !repair, AllowStale: true, Catalog: a.catalog, JobRunner: prune, Logger: a.logger()})
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
			if repair {
				if err := st.RepairSQLCopies(ctx, rep); err != nil {
					return err
				}
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
	cmd.Flags().BoolVar(&repair, "repair", false, "recreate the missing or damaged Parquet copies (sql/) from the segments")
	return cmd
}

func newCatalogRebuildCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rebuild [--json]",
		Short: "Rebuild the catalog from the files alone, then verify every version",
		Long: "rebuild makes a new catalog from the manifests (versions, segments, parents) and the journal\n" +
			"(checkpoints, statuses, signatures, attestations, revocations, steward keys, validation runs, quarantine\n" +
			"and decisions, lineage, run history), installs it and verifies every version from its files. The previous\n" +
			"SQLite catalog is kept as catalog.sqlite.replaced-TIME, never deleted; a PostgreSQL catalog is rebuilt in place\n" +
			"in one transaction, its previous schema kept as gt_replaced_TIME_NS. It takes the runner lock: exit 5 while the daemon, ingest or backfill\n" +
			"runs on the data directory; exit 3 when a version does not verify; exit 12, replaying nothing and leaving the\n" +
			"old catalog as it was, when a journal entry holds a statement groundtruth never writes (the error names the file).",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := store.Open(ctx, a.dataDir, store.Options{AllowStale: true, Catalog: a.catalog, JobRunner: true, Logger: a.logger()})
			if err != nil {
				return err
			}
			defer st.Close()
			rep, err := st.Rebuild(ctx)
			if err != nil {
				return err
			}
			res, verr := verifyAll(cmd, st)
			if a.jsonOut {
				if err := a.printJSON(map[string]any{"rebuild": rep, "verified": res}); err != nil {
					return err
				}
			} else {
				printRebuild(a.stdout, a.dataDir, rep, res)
			}
			return verr
		},
	}
}

// rebuildVerification counts the versions that verify after a rebuild.
type rebuildVerification struct {
	Versions int      `json:"versions"`
	Verified int      `json:"verified"`
	Failed   []string `json:"failed"`
}

// verifyAll verifies every version of every dataset from its files.
func verifyAll(cmd *cobra.Command, st *store.Store) (*rebuildVerification, error) {
	ctx := cmd.Context()
	res := &rebuildVerification{Failed: []string{}}
	list, err := st.Datasets(ctx)
	if err != nil {
		return res, err
	}
	for _, d := range list {
		vs, err := st.Versions(ctx, d.Name)
		if err != nil {
			return res, err
		}
		for _, v := range vs {
			res.Versions++
			ver, err := st.Verify(ctx, d.Name, v.Version)
			if err == nil {
				err = ver.Err()
			}
			if err != nil {
				res.Failed = append(res.Failed, err.Error())
				continue
			}
			res.Verified++
		}
	}
	if len(res.Failed) > 0 {
		return res, fmt.Errorf("%w: %d of %d versions do not verify after the rebuild; first: %s", datasets.ErrIntegrity, len(res.Failed), res.Versions, res.Failed[0])
	}
	return res, nil
}

func printRebuild(w io.Writer, dir string, rep *store.RebuildReport, res *rebuildVerification) {
	fmt.Fprintf(w, "rebuilt the catalog of %s from its files: %d datasets, %d versions, %d journal entries\n", dir, rep.Datasets, rep.Versions, rep.JournalEntries)
	if rep.Replaced != "" {
		fmt.Fprintf(w, "the previous catalog is kept as %s\n", rep.Replaced)
	}
	for _, p := range rep.Skipped {
		fmt.Fprintf(w, "skipped %s %s: %s\n", p.Path, p.Version, p.Detail)
	}
	fmt.Fprintf(w, "%d of %d versions verify\n", res.Verified, res.Versions)
	for _, f := range res.Failed {
		fmt.Fprintf(w, "  %s\n", f)
	}
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
	paths("journal entries the catalog does not record (run `groundtruth catalog rebuild`)", r.UnindexedJournal)
	problems("journal entries holding statements groundtruth never writes (forged: remove them; `catalog rebuild` refuses them)", r.ForgedJournal)
	paths("unreferenced files (`--prune` deletes them)", r.UnreferencedFiles)
	paths("pruned", r.Pruned)
	problems("Parquet copies for SQL (`--repair` recreates them)", r.SQLCopies)
	paths("Parquet copies recreated", r.RepairedCopies)
}
