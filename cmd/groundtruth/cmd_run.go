package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/console"
)

// exitSignal is the exit status when a second SIGINT/SIGTERM stops the
// daemon at once (documented in the README with the others).
const exitSignal = 130

// defaultListen is where the daemon serves metrics and health when neither
// --listen nor daemon.listen says otherwise.
const defaultListen = "127.0.0.1:9464"

func newRunCmd(a *app) *cobra.Command {
	var path, listen string
	var once bool
	var grace time.Duration
	cmd := &cobra.Command{
		Use:   "run --config FILE [--once]",
		Short: "Run the pipeline daemon: every job on its schedule, with metrics and health endpoints",
		Long: `run checks the whole configuration (every problem is listed, nothing runs), opens
the data directory (one process per data directory), then runs each job on its
schedule: ingest, validate, seal, attest (or leave the version pending). A run that
overruns its next tick is not stacked: the tick is skipped. Failed runs are retried
with exponential backoff; then the job is marked failing and keeps being scheduled.

It serves /metrics (Prometheus), /healthz, /readyz and /runs on --listen.
SIGINT or SIGTERM stops scheduling and gives runs in flight the grace period
(daemon.shutdown_grace), after which they are abandoned: nothing of them is sealed.
A second signal exits at once (status 130). SIGHUP (or saving the configuration
file) reloads serve.tokens and serve.anonymous without stopping anything.

--once runs every job one time and exits: 0 when every run succeeded, 11 when any failed.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("log-level") {
				a.logLevel = "info"
			}
			if c, err := a.readConfig(path); err == nil && !cmd.Flags().Changed("log-format") {
				a.logFormat = c.DaemonSettings().LogFormat // the sources log with it too; problems are reported below
			}
			env, err := a.openJobs(cmd, path, jobOptions{attest: true, process: !once})
			if err != nil {
				return err
			}
			defer env.close()
			ds := env.cfg.DaemonSettings()
			limit, err := config.ParseMemoryLimit(ds.MemoryLimit)
			if err != nil { // config validation refused it already
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			pipeline.SetMemoryLimit(limit, a.getenv, env.runner.Log)
			if once {
				res, err := env.runner.RunOnce(cmd.Context(), env.specs, ds.MaxConcurrentRuns)
				if perr := a.printRuns(res); perr != nil {
					return perr
				}
				return err
			}
			env.runner.RecordIdle = ds.RecordIdleRuns
			if !cmd.Flags().Changed("listen") && ds.Listen != "" {
				listen = ds.Listen
			}
			if !cmd.Flags().Changed("grace") {
				grace = ds.ShutdownGrace
			}
			return a.runDaemon(cmd.Context(), env, listen, grace, ds.MaxConcurrentRuns)
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", "groundtruth.yaml", "configuration file")
	cmd.Flags().BoolVar(&once, "once", false, "run every job one time and exit (for an external cron)")
	cmd.Flags().StringVar(&listen, "listen", defaultListen, "address of the metrics and health server (daemon.listen; \"\" for none)")
	cmd.Flags().DurationVar(&grace, "grace", 0, "how long runs in flight may finish after SIGINT/SIGTERM (daemon.shutdown_grace)")
	return cmd
}

// runDaemon runs the scheduler and the HTTP server until ctx ends.
func (a *app) runDaemon(ctx context.Context, env *jobEnv, listen string, grace time.Duration, concurrency int) error {
	hup, unsub := onHangup(ctx) // SIGHUP reloads the tokens, never stops the daemon
	defer unsub()
	tokens, err := tokenSetOf(env.cfg, false)
	if err != nil {
		return err
	}
	log := env.runner.Log
	d := &pipeline.Daemon{Gatherer: env.reg, Grace: grace, Log: log,
		Scheduler: &pipeline.Scheduler{Runner: env.runner, Specs: env.specs, MaxConcurrent: concurrency, Log: log, Metrics: env.runner.Metrics}}
	if listen != "" {
		ln, err := net.Listen("tcp", listen)
		if err != nil {
			return fmt.Errorf("%w: --listen %s: %v", errUsage, listen, err)
		}
		d.Listener = ln
		d.NewServer = a.limitedServer(serveLimitsOf(env.cfg), nil)
		fmt.Fprintf(a.stderr, "groundtruth: serving /metrics, /healthz, /readyz and /runs on http://%s\n", ln.Addr())
	}
	d.Handle("GET /runs", a.runsEndpoint(env, tokens))
	d.Details = tokens.Auth().IsAdmin // /readyz: job details for admin tokens
	d.MetricsHandler = func(g prometheus.Gatherer) http.Handler {
		return tokens.Auth().MetricsHandler(g, env.cfg.ServeSettings().Metrics)
	}
	closeAPI, err := a.mountAPI(ctx, d, env, tokens)
	if err != nil {
		return err
	}
	defer closeAPI()
	defer a.watchTokens(ctx, hup, env.cfg.File, false, tokens)()
	defer a.hardStop()()
	return d.Run(ctx)
}

// runsEndpoint is GET /runs: the run history for a bearer token of the
// serve: section with the admin scope, limited to the token's datasets.
func (a *app) runsEndpoint(env *jobEnv, tokens *serve.TokenSet) http.Handler {
	access := func(r *http.Request) []string { return serve.PrincipalFrom(r.Context()).Datasets() }
	return tokens.Auth().RequireAdmin(pipeline.RunsHandler(env.st, access, a.red))
}

// mountAPI mounts the data-serving API (/v1 and /mcp) on the daemon's
// listener when the configuration has a serve section: the same server as
// `groundtruth serve`, over the daemon's open store. Its revocation watcher
// runs as one of the daemon's actors and its metrics join /metrics. It
// returns the function that releases the API's resources.
func (a *app) mountAPI(ctx context.Context, d *pipeline.Daemon, env *jobEnv, tokens *serve.TokenSet) (func(), error) {
	if env.cfg.Serve == nil || d.Listener == nil {
		return func() {}, nil
	}
	o := defaultServeOpts(env.cfg.ServeSettings())
	o.console.scheduler, o.tokens = d.Scheduler, tokens
	if env.att != nil {
		o.console.collector = env.att.collector
	}
	api, err := a.NewAPIServer(ctx, env.cfg, env.st, o)
	if err != nil {
		return nil, err
	}
	d.Handle("/v1/", api.Mux)
	d.Handle("/mcp", api.Mux)
	if api.consoleOn {
		d.Handle("/console/", api.Mux)
		d.Handle("/console", api.Mux)
		fmt.Fprintf(a.stderr, "groundtruth: the steward console is at http://%s/console/ (steward-scoped tokens)\n", d.Listener.Addr())
		env.runner.Reports = console.ReportLinks("http://" + d.Listener.Addr().String())
	}
	if d.Gatherer == nil {
		d.Gatherer = api.Registry
	} else {
		d.Gatherer = prometheus.Gatherers{d.Gatherer, api.Registry}
	}
	d.NewServer = a.limitedServer(api.Limits(), api.Metrics())
	d.AddActor(api.Server.Run, api.Server.Interrupt)
	d.Ready = api.Server.Ready
	fmt.Fprintf(a.stderr, "groundtruth: serving attested datasets on http://%s/v1/ and MCP on /mcp\n", d.Listener.Addr())
	return api.Close, nil
}

// hardStop exits at once on a second SIGINT/SIGTERM: the first one
// cancelled ctx (main's signalContext) and started the graceful
// stop. It returns the function that stops watching.
func (a *app) hardStop() func() {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, stopSignals...)
	done := make(chan struct{})
	go func() {
		seen := 0
		for {
			select {
			case <-done:
				return
			case <-sig:
				if seen++; seen >= 2 {
					fmt.Fprintln(a.stderr, "groundtruth: second signal: exiting now (runs in flight are abandoned; nothing partial is visible)")
					os.Exit(exitSignal)
				}
			}
		}
	}()
	return func() { signal.Stop(sig); close(done) }
}

// printRuns prints finished runs: a table, or JSON with --json.
func (a *app) printRuns(res []*pipeline.RunResult) error {
	recs := make([]any, 0, len(res))
	for _, r := range res {
		recs = append(recs, r.Record)
	}
	if a.jsonOut {
		return a.printJSON(recs)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tOUTCOME\tVERSION\tROWS IN/ACCEPTED/QUARANTINED\tFINDINGS W/E\tATTESTATION\tTOOK\tERROR")
	for _, r := range res {
		rec := r.Record
		took := "-"
		if rec.Ended != nil {
			took = rec.Ended.Sub(rec.Started).Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d/%d\t%d/%d\t%s\t%s\t%s\n", rec.Job, rec.Outcome, versionRef(rec.Dataset, rec.Version),
			rec.RowsIn, rec.RowsAccepted, rec.RowsQuarantined, rec.Findings["warn"], rec.Findings["error"], orDash(rec.Attestation), took, oneLine(rec.Error))
	}
	return tw.Flush()
}

func versionRef(dataset string, v *uint64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%s@%d", dataset, *v)
}

// oneLine shortens an error for a table cell, control characters escaped.
func oneLine(s string) string {
	s = redact.Escape(strings.ReplaceAll(s, "\n", "; "))
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return orDash(s)
}
