package main

import (
	"fmt"

	"github.com/spf13/cobra"

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
			cfg, srcs, err := a.loadConfig(path)
			if err != nil {
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
func (a *app) loadConfig(path string) (*config.Config, map[string]sources.Source, error) {
	reg, err := a.registry()
	if err != nil {
		return nil, nil, err
	}
	return config.LoadWithSources(path, a.getenv, reg, sources.Deps{Logger: a.logger(), Getenv: a.getenv})
}
