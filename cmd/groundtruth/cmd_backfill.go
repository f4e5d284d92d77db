package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/pipeline"
)

func newBackfillCmd(a *app) *cobra.Command {
	var path string
	var from, to, step uint64
	var noAttest bool
	cmd := &cobra.Command{
		Use:   "backfill NAME --config FILE --from-block N --to-block M [--step K]",
		Short: "Run a chain job over a bounded block range, one version per step, with progress",
		Long: `backfill runs a chain job (evm_logs, governor, erc20) through the daemon's code path over
blocks N to M, sealing (and attesting) one version per --step blocks, with a progress
bar on a terminal and a plain line per version otherwise. The checkpoint commits
with each version, so an interrupted backfill continues where it stopped.

The range must connect to what the job has read: on an empty dataset it starts at
--from-block; otherwise it continues from the job's next block (blocks already read
are not read again) and a --from-block after that block is refused (a gap). It stops
early when the chain's safe head is before --to-block.

A backfill imports history: gaps.freshness measures staleness at the data's own
newest time (as its mode: backfill does), so old blocks are not reported stale.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("to-block") {
				return fmt.Errorf("%w: --to-block is required", errUsage)
			}
			env, err := a.openJobs(cmd, path, jobOptions{attest: !noAttest, jobs: args[:1]})
			if err != nil {
				return err
			}
			defer env.close()
			s, err := env.spec(args[0])
			if err != nil {
				return err
			}
			if err := env.runner.Recover(cmd.Context(), []*pipeline.Spec{s}); err != nil {
				return err
			}
			prog := pipeline.NewProgress(a.stderr, isTerminal(a.stderr), "backfill "+s.Job.Name, "blocks")
			res, err := env.runner.Backfill(cmd.Context(), s, pipeline.BackfillOptions{From: from, To: to, Step: step, Progress: prog})
			if err != nil {
				return err
			}
			return a.printBackfill(s, res, to)
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", "groundtruth.yaml", "configuration file")
	cmd.Flags().Uint64Var(&from, "from-block", 0, "first block of the range")
	cmd.Flags().Uint64Var(&to, "to-block", 0, "last block of the range (inclusive, required)")
	cmd.Flags().Uint64Var(&step, "step", 0, "blocks per version (default: the source's max_blocks_per_fetch)")
	cmd.Flags().BoolVar(&noAttest, "no-attest", false, "seal without attesting")
	return cmd
}

// printBackfill says how far the backfill got.
func (a *app) printBackfill(s *pipeline.Spec, res *pipeline.BackfillResult, to uint64) error {
	versions := 0
	for _, r := range res.Runs {
		if r.Record.Version != nil {
			versions++
		}
	}
	if a.jsonOut {
		return a.printJSON(map[string]any{"job": s.Job.Name, "nextBlock": res.Next, "complete": res.Complete, "skipped": res.Skipped, "versions": versions})
	}
	switch {
	case res.Skipped:
		fmt.Fprintf(a.stdout, "%s: blocks up to %d were already ingested (next block %d)\n", s.Job.Name, to, res.Next)
	case res.Complete:
		fmt.Fprintf(a.stdout, "%s: backfilled up to block %d in %d versions\n", s.Job.Name, to, versions)
	default:
		fmt.Fprintf(a.stdout, "%s: stopped at block %d: the chain's safe head is before block %d (%d versions sealed); run again later\n", s.Job.Name, res.Next-1, to, versions)
	}
	return nil
}

// isTerminal reports whether w is a terminal (character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
