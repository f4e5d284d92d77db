package main

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// jobEnv is everything running jobs needs. ingest, job run, backfill and
// the daemon all build it with openJobs and run jobs through its Runner:
// one code path from the configuration to a sealed, attested version.
type jobEnv struct {
	cfg    *config.Config
	st     *store.Store
	specs  []*pipeline.Spec
	runner *pipeline.Runner
	reg    *prometheus.Registry
	att    *attestSetup
}

// jobOptions say what openJobs prepares.
type jobOptions struct {
	// attest builds the attestation stage (keys are decrypted now).
	attest bool
	// process adds the Go and process collectors to the registry.
	process bool
	// jobs names the jobs the command runs (their runner locks are
	// taken); empty means every job of the configuration.
	jobs []string
}

// close releases the store and the chain connection.
func (e *jobEnv) close() {
	if e.att != nil {
		e.att.close()
	}
	e.st.Close()
}

// spec returns the named job's spec.
func (e *jobEnv) spec(name string) (*pipeline.Spec, error) {
	if _, err := findJob(e.cfg, name); err != nil {
		return nil, err
	}
	for _, s := range e.specs {
		if s.Job.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w: job %q", store.ErrNotFound, name)
}

// openJobs loads the configuration and builds every job (source,
// validators, schedule, run settings, attestation policy), listing every
// problem before anything runs, then opens the data directory for writing.
func (a *app) openJobs(cmd *cobra.Command, path string, o jobOptions) (*jobEnv, error) {
	raw := &lazyRaw{}
	cfg, srcs, err := a.loadConfig(path, raw)
	if err != nil {
		return nil, err
	}
	env := &jobEnv{cfg: cfg, reg: prometheus.NewRegistry()}
	if o.attest && cfg.Attestation != nil && anyAttests(cfg) {
		if env.att, err = a.newAttestSetup(cfg, path); err != nil {
			return nil, err
		}
	}
	if env.specs, err = a.buildSpecs(cfg, srcs, env.att); err != nil {
		env.closeAttest()
		return nil, err
	}
	if err := checkDetection(cfg, srcs, specSuites(env.specs)); err != nil {
		env.closeAttest()
		return nil, err
	}
	jobs := o.jobs
	if len(jobs) == 0 {
		for _, s := range env.specs {
			jobs = append(jobs, s.Job.Name)
		}
	}
	if env.st, err = a.openRunnerStore(cmd.Context(), a.jobDataDir(cmd, cfg), jobs...); err != nil {
		env.closeAttest()
		if errors.Is(err, store.ErrLocked) {
			return nil, fmt.Errorf("%w\n(one process runs a job at a time: stop the daemon, ingest or backfill running it, or run another job)", err)
		}
		return nil, err
	}
	raw.raw = env.st.Raw()
	if env.att != nil {
		env.att.root = env.st.Root()
	}
	if err := env.metrics(o.process, a); err != nil {
		env.close()
		return nil, err
	}
	return env, nil
}

// specSuites returns the validation suites of specs by job name (the
// checks config validate runs on them run before any job does).
func specSuites(specs []*pipeline.Spec) map[string]*validators.Suite {
	out := map[string]*validators.Suite{}
	for _, s := range specs {
		if s.Job.Validation != nil {
			out[s.Job.Name] = s.Job.Validation
		}
	}
	return out
}

func (e *jobEnv) closeAttest() {
	if e.att != nil {
		e.att.close()
	}
}

// metrics registers the collectors and creates the runner.
func (e *jobEnv) metrics(process bool, a *app) error {
	if process {
		e.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m, err := pipeline.NewMetrics(e.reg)
	if err != nil {
		return err
	}
	e.runner = &pipeline.Runner{Store: e.st, Metrics: m, Log: a.logger(), Redactor: a.red, RecordIdle: true}
	return nil
}

// jobDataDir is the configuration's data_dir unless --data-dir or
// $GROUNDTRUTH_DATA_DIR says otherwise; the configuration's catalog is
// used unless --catalog or $GROUNDTRUTH_CATALOG names one.
func (a *app) jobDataDir(cmd *cobra.Command, cfg *config.Config) string {
	if a.catalog == "" {
		a.catalog = cfg.Catalog
	}
	if cmd.Flags().Changed("data-dir") || a.getenv("GROUNDTRUTH_DATA_DIR") != "" {
		return ""
	}
	return cfg.DataDir
}

// buildSpecs builds the spec of every job; problems of all jobs are
// reported together.
func (a *app) buildSpecs(cfg *config.Config, srcs map[string]sources.Source, att *attestSetup) ([]*pipeline.Spec, error) {
	var out []*pipeline.Spec
	var errs []error
	for i := range cfg.Jobs {
		s, err := a.buildSpec(cfg, &cfg.Jobs[i], srcs[cfg.Jobs[i].Name], att)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, s := range out {
		s.Job.Peers = peerJobs(cfg, srcs, s.Job.Validation)
	}
	return out, nil
}

// peerJobs returns the jobs writing the peer datasets of suite's checks.
func peerJobs(cfg *config.Config, srcs map[string]sources.Source, suite *validators.Suite) []pipeline.PeerJob {
	if suite == nil {
		return nil
	}
	var out []pipeline.PeerJob
	for _, d := range suite.PeerDatasets() {
		for i := range cfg.Jobs {
			if j := &cfg.Jobs[i]; j.Dataset == d && srcs[j.Name] != nil {
				out = append(out, pipeline.PeerJob{Name: j.Name, Dataset: d, Source: srcs[j.Name]})
			}
		}
	}
	return out
}

// buildSpec builds one job's spec from its configuration.
func (a *app) buildSpec(cfg *config.Config, job *config.Job, src sources.Source, att *attestSetup) (*pipeline.Spec, error) {
	suite, err := a.buildSuite(job)
	if err != nil {
		return nil, err
	}
	rs := cfg.Effective(job)
	s := &pipeline.Spec{
		Job: pipeline.Job{Name: job.Name, Dataset: job.Dataset, Source: src, Validation: suite, FailOnBadValue: job.OnBadValue == config.BadValueFail,
			Deployment: configDeployment(cfg), Pipeline: datasets.PipelineInfo{Version: version, ConfigHash: cfg.Hash()}},
		Timeout: *rs.Timeout, Retries: *rs.Retries, Backoff: *rs.RetryBackoff, MaxBackoff: *rs.RetryBackoffMax, Jitter: *rs.Jitter,
	}
	if job.MaxRunRows != nil {
		s.Job.MaxRunRows = *job.MaxRunRows
	}
	if job.Schedule != "" {
		loc, err := time.LoadLocation(*rs.Timezone)
		if err != nil {
			return nil, fmt.Errorf("%w: job %q: %v", errUsage, job.Name, err)
		}
		if s.Schedule, err = config.ParseSchedule(job.Schedule, loc); err != nil {
			return nil, fmt.Errorf("%w: job %q: %v", errUsage, job.Name, err)
		}
	}
	if att != nil && cfg.AttestEnabled(job) {
		s.Attest = att.policy(cfg, job)
	}
	return s, nil
}

// anyAttests reports whether a job attests its versions.
func anyAttests(cfg *config.Config) bool {
	for i := range cfg.Jobs {
		if cfg.AttestEnabled(&cfg.Jobs[i]) {
			return true
		}
	}
	return false
}

// reviewSeverities converts a job's review list.
func reviewSeverities(job *config.Job) []validators.Severity {
	if job.Attest == nil {
		return nil
	}
	out := make([]validators.Severity, len(job.Attest.Review))
	for i, s := range job.Attest.Review {
		out[i] = validators.Severity(s)
	}
	return out
}

func newJobCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "job", Short: "List the configured jobs or run one now"}
	cmd.AddCommand(newJobRunCmd(a), newJobListCmd(a))
	return cmd
}

func newJobRunCmd(a *app) *cobra.Command {
	var path string
	var noAttest bool
	cmd := &cobra.Command{
		Use:   "run NAME --config FILE",
		Short: "Run one job now, as the daemon would: ingest, validate, seal, attest",
		Long: "job run runs the job once through the daemon's code path and records the run in the run history.\n" +
			"Its exit status is the run's: 0 when it sealed a version or found nothing new, else the code of its error\n" +
			"(7 for a network failure, 6 for bad source input, ...).",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
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
			res := env.runner.Run(cmd.Context(), s, pipeline.TriggerManual, 1)
			if perr := a.printRuns([]*pipeline.RunResult{res}); perr != nil {
				return errors.Join(res.Err, perr)
			}
			return res.Err
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", "groundtruth.yaml", "configuration file")
	cmd.Flags().BoolVar(&noAttest, "no-attest", false, "seal without attesting (the version stays sealed)")
	return cmd
}

func newJobListCmd(a *app) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "list --config FILE",
		Short: "List the configured jobs with their schedules and next ticks",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, srcs, err := a.loadConfig(path, nil)
			if err != nil {
				return err
			}
			specs, err := a.buildSpecs(cfg, srcs, nil)
			if err != nil {
				return err
			}
			return a.printJobs(cfg, specs, time.Now())
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", "groundtruth.yaml", "configuration file")
	return cmd
}

// printJobs lists the jobs and when they next run.
func (a *app) printJobs(cfg *config.Config, specs []*pipeline.Spec, now time.Time) error {
	type row struct {
		Job, Dataset, Schedule, Timezone string
		Next                             *time.Time `json:",omitempty"`
		Timeout, Jitter                  string
		Retries                          int
		Attest                           bool
	}
	var rows []row
	for i, s := range specs {
		j := &cfg.Jobs[i]
		rs := cfg.Effective(j)
		r := row{Job: j.Name, Dataset: j.Dataset, Schedule: j.Schedule, Timezone: *rs.Timezone, Timeout: rs.Timeout.String(),
			Jitter: pipeline.JitterOf(j.Name, *rs.Jitter).Round(time.Millisecond).String(), Retries: *rs.Retries, Attest: cfg.AttestEnabled(j)}
		if s.Schedule != nil {
			n := s.Schedule.Next(now).Add(pipeline.JitterOf(j.Name, s.Jitter))
			r.Next = &n
		}
		rows = append(rows, r)
	}
	if a.jsonOut {
		return a.printJSON(rows)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tDATASET\tSCHEDULE\tNEXT\tJITTER\tTIMEOUT\tRETRIES\tATTEST")
	for _, r := range rows {
		next := "-"
		if r.Next != nil {
			next = r.Next.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%v\n", r.Job, r.Dataset, orDash(r.Schedule), next, r.Jitter, r.Timeout, r.Retries, r.Attest)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
