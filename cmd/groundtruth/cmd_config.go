package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Check configuration files"}
	var path string
	validate := &cobra.Command{
		Use:   "validate",
		Short: "Decode and validate a configuration, listing every problem with file:line",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, srcs, err := a.loadConfig(path, nil)
			if err != nil {
				return err
			}
			if err := a.buildSuites(cfg, srcs); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: ok (%d jobs, %d sources, config hash %s)\n", path, len(cfg.Jobs), len(srcs), cfg.Hash())
			return nil
		},
	}
	validate.Flags().StringVarP(&path, "config", "c", "groundtruth.yaml", "configuration file")
	cmd.AddCommand(validate)
	return cmd
}

// loadConfig reads a configuration and builds every job's source, listing
// every problem of both steps together.
func (a *app) loadConfig(path string, raw sources.RawStore) (*config.Config, map[string]sources.Source, error) {
	reg, err := a.registry()
	if err != nil {
		return nil, nil, err
	}
	cfg, srcs, err := config.LoadWithSources(path, a.getenv, reg, sources.Deps{Logger: a.logger(), Getenv: a.getenv, Raw: raw})
	if cfg != nil {
		a.red.Merge(cfg.Redactor())
	}
	return cfg, srcs, err
}

// lazyRaw lets sources be built before the data directory is opened; it
// forwards to the store's raw-body store once set.
type lazyRaw struct{ raw sources.RawStore }

func (l *lazyRaw) Put(ctx context.Context, body []byte) (datasets.Hash, error) {
	if l.raw == nil {
		return datasets.Hash{}, fmt.Errorf("raw-body store used before the data directory was opened")
	}
	return l.raw.Put(ctx, body)
}

func (l *lazyRaw) Get(ctx context.Context, h datasets.Hash) ([]byte, error) {
	if l.raw == nil {
		return nil, fmt.Errorf("raw-body store used before the data directory was opened")
	}
	return l.raw.Get(ctx, h)
}
