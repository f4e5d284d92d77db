package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
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
	jsonOut        bool
	logLevel       string
	logFormat      string
}

// newRootCmd builds the command tree.
func newRootCmd(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv}
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
	return root
}

// logger returns the configured logger on stderr.
func (a *app) logger() *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
		lvl = slog.LevelWarn
	}
	if a.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
	}
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
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
	return store.Open(ctx, dir, store.Options{ReadOnly: readOnly, Logger: a.logger()})
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
	st, err := a.openStore(ctx, "", readOnly)
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
