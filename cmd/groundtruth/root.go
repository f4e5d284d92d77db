package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainlink"
	"github.com/groundtruth-dao/groundtruth/sources/erc20"
	"github.com/groundtruth-dao/groundtruth/sources/evmlogs"
	"github.com/groundtruth-dao/groundtruth/sources/file"
	"github.com/groundtruth-dao/groundtruth/sources/governor"
	"github.com/groundtruth-dao/groundtruth/sources/httpprices"
	"github.com/groundtruth-dao/groundtruth/sources/snapshot"
)

// app holds what every subcommand shares: global flags and outputs.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	dataDir        string
	catalog        string
	jsonOut        bool
	logLevel       string
	logFormat      string
	// red masks secrets in every error, log line and stored run: the
	// configuration's ${VAR} values (registered when it is loaded), RPC
	// endpoints read from files or the environment, and the secret parts
	// of every URL.
	red *redact.Redactor
}

// newRootCmd builds the command tree.
func newRootCmd(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv, red: redact.New()}
	root := &cobra.Command{
		Use:           "groundtruth",
		Short:         "Verifiable, attested datasets for AI agents acting for DAOs",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	def := getenv("GROUNDTRUTH_DATA_DIR")
	if def == "" {
		def = "./groundtruth-data"
	}
	root.PersistentFlags().StringVar(&a.dataDir, "data-dir", def, "data directory (env GROUNDTRUTH_DATA_DIR)")
	root.PersistentFlags().StringVar(&a.catalog, "catalog", getenv("GROUNDTRUTH_CATALOG"), "catalog: a postgres:// URL or an SQLite file (default DATA/catalog.sqlite; env GROUNDTRUTH_CATALOG)")
	root.PersistentFlags().BoolVar(&a.jsonOut, "json", false, "print JSON instead of text")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "text", "log format: text or json")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return fmt.Errorf("%w: %v", errUsage, err) })
	root.AddCommand(
		newIngestCmd(a), newDatasetsCmd(a), newVerifyCmd(a), newQueryCmd(a), newConfigCmd(a),
		newValidateCmd(a),
		newQuarantineCmd(a),
		newRunCmd(a),
		newRunsCmd(a),
		newJobCmd(a),
		newBackfillCmd(a),
		newDemoCmd(a),
		newServeCmd(a),
		newCatalogCmd(a),
	)
	root.AddCommand(attestCommands(a)...)
	maskErrors(root, a.red)
	return root
}

// maskErrors makes every command of the tree return its error with
// secrets masked (errors.Is still sees the original, for the exit code).
func maskErrors(cmd *cobra.Command, red *redact.Redactor) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error { return red.Error(run(c, args)) }
	}
	for _, sub := range cmd.Commands() {
		maskErrors(sub, red)
	}
}

// readConfig loads a configuration file and registers its ${VAR} values
// as secrets.
func (a *app) readConfig(path string) (*config.Config, error) {
	c, err := config.Load(path, a.getenv)
	if err != nil {
		return nil, err
	}
	a.red.Merge(c.Redactor())
	if c.Attestation != nil {
		a.red.AddEndpoint(c.Attestation.RPCURL)
	}
	if c.Serve != nil {
		a.red.AddEndpoint(c.Serve.RPCURL)
	}
	return c, nil
}

// logger returns the configured logger on stderr; it masks secrets.
func (a *app) logger() *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
		lvl = slog.LevelWarn
	}
	var h slog.Handler = slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: lvl})
	if a.logFormat == "json" {
		h = slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: lvl})
	}
	return slog.New(redact.Handler(h, a.red))
}

// registry is the explicit list of source kinds this binary knows.
func (a *app) registry() (*sources.Registry, error) {
	return sources.NewRegistry(
		file.Factory(),
		evmlogs.Factory(),
		governor.Factory(),
		erc20.Factory(),
		chainlink.Factory(),
		snapshot.Factory(),
		httpprices.Factory(),
	)
}

// openStore opens the data directory.
func (a *app) openStore(ctx context.Context, dir string, readOnly bool) (*store.Store, error) {
	if dir == "" {
		dir = a.dataDir
	}
	return store.Open(ctx, dir, store.Options{ReadOnly: readOnly, Catalog: a.catalog, Logger: a.logger()})
}

// openCertifying opens the data directory read-only for a command that
// certifies data or selects it by attestation status (datasets export and
// show, bundle, query, verify, datasets sql). A catalog older than the
// journal — journal entries it does not record, such as a restored backup
// that predates a revocation (round 2 F104) — is refused with
// store.ErrCatalogStale (exit 12, with the rebuild hint) rather than read
// with a warning: what it says about statuses may be undone. (A writer
// records an entry in the catalog before its file appears, so a live
// writer never causes this.)
func (a *app) openCertifying(ctx context.Context) (*store.Store, error) {
	st, err := a.openStore(ctx, "", true)
	if err != nil {
		return nil, err
	}
	if s := st.Stale(); s != nil && len(s.UnindexedJournal) > 0 {
		err := s.Err(st.Root())
		st.Close()
		return nil, err
	}
	return st, nil
}

// openRunnerStore opens the data directory for running jobs: for writing,
// with the runner locks of jobs (one runner per job; several processes may
// run disjoint jobs), or with the whole directory's runner lock when jobs
// is empty (no job runs meanwhile).
func (a *app) openRunnerStore(ctx context.Context, dir string, jobs ...string) (*store.Store, error) {
	if dir == "" {
		dir = a.dataDir
	}
	return store.Open(ctx, dir, store.Options{Catalog: a.catalog, JobRunner: true, Jobs: jobs, Logger: a.logger()})
}

// openVersion opens the data directory read-only and looks up the version
// named by ref (DATASET or DATASET@N); the caller closes the store.
func (a *app) openVersion(ctx context.Context, ref string) (*store.Store, *store.VersionRecord, error) {
	return a.openVersionRW(ctx, ref, true)
}

// openVersionRW is openVersion with the store opened for writing unless
// readOnly.
func (a *app) openVersionRW(ctx context.Context, ref string, readOnly bool) (*store.Store, *store.VersionRecord, error) {
	name, ver, err := parseRef(ref)
	if err != nil {
		return nil, nil, err
	}
	open := a.openCertifying
	if !readOnly {
		open = func(ctx context.Context) (*store.Store, error) { return a.openStore(ctx, "", false) }
	}
	st, err := open(ctx)
	if err != nil {
		return nil, nil, err
	}
	rec, err := st.Version(ctx, name, ver)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, rec, nil
}

// printJSON writes v as indented JSON.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// exactArgs is cobra.ExactArgs with errors marked as usage errors.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		return nil
	}
}

// firstLine returns the first line of the file at path, trimmed: how
// secrets (a token, an RPC endpoint) are read from files, so that they
// stay out of the process list.
func firstLine(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return line, nil
}
