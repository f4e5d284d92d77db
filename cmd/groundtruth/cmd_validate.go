package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/gaming"
	"github.com/groundtruth-dao/groundtruth/validators/gaps"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
)

func newValidateCmd(a *app) *cobra.Command {
	var path, jobName, reportPath string
	cmd := &cobra.Command{
		Use:   "validate --config FILE --job NAME [--report FILE]",
		Short: "Run a job's source and validators without sealing (a dry run) and print the findings",
		Long: "validate reads the job's source from its committed checkpoint, runs the job's validation checks against the\n" +
			"data directory's history and prints the findings as a table (--json: the report). Nothing is written to the\n" +
			"data directory. --report writes the report's canonical JSON. A run the policy would block exits with status 1.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			raw := &lazyRaw{}
			cfg, srcs, err := a.loadConfig(path, raw)
			if err != nil {
				return err
			}
			job, err := findJob(cfg, jobName)
			if err != nil {
				return err
			}
			suite, err := a.buildSuite(job)
			if err != nil {
				return err
			}
			if suite == nil {
				return fmt.Errorf("%w: job %q has no validation section", errUsage, job.Name)
			}
			dir := ""
			if !cmd.Flags().Changed("data-dir") && a.getenv("GROUNDTRUTH_DATA_DIR") == "" {
				dir = cfg.DataDir
			}
			st, err := a.openStore(cmd.Context(), dir, true)
			switch {
			case errors.Is(err, store.ErrNotFound):
				st = nil // nothing sealed yet: no history
			case err != nil:
				return err
			default:
				defer st.Close()
			}
			raw.raw = &dryRaw{mem: map[datasets.Hash][]byte{}, st: st}
			vr, err := pipeline.Validate(cmd.Context(), st, a.pipelineJob(cfg, job, srcs, suite), time.Now())
			if err != nil {
				return err
			}
			return a.finishReport(vr, reportPath)
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", "groundtruth.yaml", "configuration file")
	cmd.Flags().StringVar(&jobName, "job", "", "job to validate (required)")
	cmd.Flags().StringVar(&reportPath, "report", "", "write the report's canonical JSON to this file")
	cmd.MarkFlagRequired("job")
	return cmd
}

// pipelineJob assembles the pipeline's view of a configured job.
func (a *app) pipelineJob(cfg *config.Config, job *config.Job, srcs map[string]sources.Source, suite *validators.Suite) pipeline.Job {
	return pipeline.Job{Name: job.Name, Dataset: job.Dataset, Source: srcs[job.Name], Validation: suite, Deployment: configDeployment(cfg),
		Pipeline: datasets.PipelineInfo{Version: version, ConfigHash: cfg.Hash()}, Peers: peerJobs(cfg, srcs, suite)}
}

// finishReport writes the report file, prints the summary or the JSON
// report, and turns a blocked run into an error.
func (a *app) finishReport(vr *pipeline.ValidationResult, reportPath string) error {
	if reportPath != "" {
		if err := os.WriteFile(reportPath, vr.ReportJSON, 0o644); err != nil {
			return err
		}
	}
	if a.jsonOut {
		if err := a.printJSON(vr.Report); err != nil {
			return err
		}
	} else {
		if err := vr.Report.WriteText(a.stdout); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "report %s\n", vr.ReportHash)
	}
	if vr.Report.Blocked {
		return fmt.Errorf("%w (report %s)", validators.ErrBlocked, vr.ReportHash)
	}
	return nil
}

// validatorRegistry is the explicit list of validator kinds this binary knows.
func validatorRegistry() (*validators.Registry, error) {
	var fs []validators.Factory
	fs = append(fs, poisoning.Factories()...)
	fs = append(fs, gaming.Factories()...)
	fs = append(fs, gaps.Factories()...)
	return validators.NewRegistry(fs...)
}

// buildSuite builds a job's validators and policy; nil when the job has no
// validation section. Configuration problems are usage errors.
func (a *app) buildSuite(job *config.Job) (*validators.Suite, error) {
	if job.Validation == nil {
		return nil, nil
	}
	reg, err := validatorRegistry()
	if err != nil {
		return nil, err
	}
	var vals []validators.Validator
	var errs []error
	for i := range job.Validation.Checks {
		c := &job.Validation.Checks[i]
		f, err := reg.Lookup(c.Kind)
		if err != nil {
			file, pos := c.Pos()
			errs = append(errs, fmt.Errorf("%s:%d:%d: job %q check #%d: %w", file, pos.Line, pos.Col, job.Name, i+1, err))
			continue
		}
		v, err := f.New(c.DisplayName(), c.Decode, validators.Deps{Logger: a.logger()})
		var probs *config.Problems
		switch {
		case errors.As(err, &probs): // decoding problems carry their file:line and the check
			errs = append(errs, err)
			continue
		case err != nil:
			file, pos := c.Pos()
			errs = append(errs, fmt.Errorf("%s:%d:%d: job %q check %q: %w", file, pos.Line, pos.Col, job.Name, c.DisplayName(), err))
			continue
		}
		vals = append(vals, v)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", errUsage, errors.Join(errs...))
	}
	rules := map[string]validators.Action{}
	for k, v := range job.Validation.Policy {
		rules[k] = validators.Action(v)
	}
	suite, err := validators.NewSuite(vals, rules, validators.SuiteOptions{Logger: a.logger()})
	if err != nil {
		return nil, fmt.Errorf("%w: job %q: %w", errUsage, job.Name, err)
	}
	return suite, nil
}

// buildSuites builds every job's validation suite, reporting the problems
// of all jobs together (config validate).
func (a *app) buildSuites(cfg *config.Config, srcs map[string]sources.Source) error {
	var errs []error
	suites := map[string]*validators.Suite{}
	for i := range cfg.Jobs {
		s, err := a.buildSuite(&cfg.Jobs[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		suites[cfg.Jobs[i].Name] = s
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return checkDetection(cfg, srcs, suites)
}

// ingestReport writes an ingest's validation report and prints its summary
// (on stderr with --json, which keeps stdout for the version).
func (a *app) ingestReport(vr *pipeline.ValidationResult, reportPath string) error {
	if reportPath != "" {
		if err := os.WriteFile(reportPath, vr.ReportJSON, 0o644); err != nil {
			return err
		}
	}
	w := a.stdout
	if a.jsonOut {
		w = a.stderr
	}
	if len(vr.Report.Failing()) == 0 {
		return nil
	}
	return vr.Report.WriteText(w)
}

// dryRaw keeps the raw bodies a dry run fetches in memory (a dry run
// writes nothing to the data directory); bodies stored earlier are read
// from the store.
type dryRaw struct {
	mem map[datasets.Hash][]byte
	st  *store.Store
}

func (d *dryRaw) Put(_ context.Context, body []byte) (datasets.Hash, error) {
	h := datasets.Hash(sha256.Sum256(body))
	d.mem[h] = append([]byte(nil), body...)
	return h, nil
}

func (d *dryRaw) Get(ctx context.Context, h datasets.Hash) ([]byte, error) {
	if b, ok := d.mem[h]; ok {
		return b, nil
	}
	if d.st == nil {
		return nil, fmt.Errorf("%w: raw body %s", store.ErrNotFound, h)
	}
	return d.st.Raw().Get(ctx, h)
}
