package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// version is the software version written into manifests.
var version = "0.1.0-dev"

func newIngestCmd(a *app) *cobra.Command {
	var path, jobName, reportPath string
	cmd := &cobra.Command{
		Use:   "ingest --config FILE --job NAME",
		Short: "Fetch new rows from a job's source and seal them as a new version",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			env, err := a.openJobs(cmd, path, jobOptions{jobs: []string{jobName}})
			if err != nil {
				return err
			}
			defer env.close()
			spec, err := env.spec(jobName)
			if err != nil {
				return err
			}
			if err := env.runner.Recover(cmd.Context(), []*pipeline.Spec{spec}); err != nil {
				return err
			}
			run := env.runner.Run(cmd.Context(), spec, pipeline.TriggerManual, 1)
			res, err := run.Ingest, run.Err
			if res != nil && res.Validation != nil {
				if rerr := a.ingestReport(res.Validation, reportPath); rerr != nil {
					return errors.Join(err, rerr)
				}
			}
			if err != nil {
				return err
			}
			if res.Manifest == nil {
				fmt.Fprintf(a.stdout, "%s: no new rows\n", spec.Job.Dataset)
				return nil
			}
			m := res.Manifest
			if a.jsonOut {
				return a.printJSON(map[string]any{"dataset": m.Dataset, "version": m.Version, "rows": m.RowCount, "newRows": res.Rows, "merkleRoot": m.MerkleRoot})
			}
			fmt.Fprintf(a.stdout, "%s@%d %s (%d rows, %d new)\n", m.Dataset, m.Version, m.MerkleRoot, m.RowCount, res.Rows)
			return nil
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", "groundtruth.yaml", "configuration file")
	cmd.Flags().StringVar(&jobName, "job", "", "job to run (required)")
	cmd.Flags().StringVar(&reportPath, "report", "", "write the validation report's canonical JSON to this file")
	cmd.MarkFlagRequired("job")
	return cmd
}

func findJob(cfg *config.Config, name string) (*config.Job, error) {
	for i := range cfg.Jobs {
		if cfg.Jobs[i].Name == name {
			return &cfg.Jobs[i], nil
		}
	}
	names := make([]string, len(cfg.Jobs))
	for i, j := range cfg.Jobs {
		names[i] = j.Name
	}
	return nil, fmt.Errorf("%w: no job %q in %s (jobs: %v)", errUsage, name, cfg.File, names)
}
