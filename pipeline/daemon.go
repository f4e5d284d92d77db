package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/oklog/run"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Daemon is `groundtruth run`: a group of actors (github.com/oklog/run),
// each with a run and an interrupt function: the scheduler, the HTTP server
// (/metrics, /healthz, /readyz and whatever is mounted with Handle) and the
// caller's context. When ctx is cancelled (the first SIGINT or SIGTERM),
// scheduling stops, runs in flight get Grace to finish, then their context
// is cancelled: their writers abort and nothing of them becomes visible.
type Daemon struct {
	Scheduler *Scheduler
	// Listener serves the HTTP endpoints; nil serves none.
	Listener net.Listener
	// Gatherer is what /metrics exposes (the registry the Metrics were
	// registered on).
	Gatherer prometheus.Gatherer
	// Grace is how long runs in flight may finish once stopping.
	Grace time.Duration
	Log   *slog.Logger
	// Ready, when set, is a further readiness condition for /readyz (the
	// data API's: the chain was read recently enough); its error is the
	// reason reported.
	Ready func() error
	// Details, when set, says whether a /readyz request may see the jobs'
	// states and the full reason (an admin token); others get ready and a
	// reason without job names or internals. Nil shows details to nobody.
	Details func(r *http.Request) bool
	// MetricsHandler, when set, answers /metrics over Gatherer (who may
	// read which series: serve.metrics); nil answers everyone everything.
	MetricsHandler func(g prometheus.Gatherer) http.Handler
	// NewServer, when set, builds the HTTP server for the listener (the
	// data API's limits: timeouts, header limit, connection cap); it
	// returns the server and the listener to serve.
	NewServer func(h http.Handler, ln net.Listener) (*http.Server, net.Listener)

	mux      *http.ServeMux
	actors   []actor
	ready    atomic.Bool
	stopping atomic.Bool
}

// actor is an extra member of the daemon's run group.
type actor struct {
	run       func() error
	interrupt func(error)
}

// AddActor adds a component that runs for the daemon's lifetime, such as
// the data-serving API's revocation watcher: run blocks until interrupt is
// called (or it fails, which stops the daemon). Call it before Run.
func (d *Daemon) AddActor(run func() error, interrupt func(error)) {
	d.actors = append(d.actors, actor{run: run, interrupt: interrupt})
}

// Handle mounts h at pattern on the daemon's HTTP server, next to /metrics
// and the health endpoints. It is the hook for the data-serving API; call
// it before Run.
func (d *Daemon) Handle(pattern string, h http.Handler) {
	d.muxOnce().Handle(pattern, h)
}

func (d *Daemon) muxOnce() *http.ServeMux {
	if d.mux == nil {
		d.mux = http.NewServeMux()
	}
	return d.mux
}

func (d *Daemon) log() *slog.Logger {
	if d.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Log
}

// Run marks runs a crash left behind as interrupted, then runs the actors
// until ctx is cancelled or one of them fails, and returns once every run
// in flight has finished or been abandoned. A cancelled ctx is a clean stop
// and returns nil.
func (d *Daemon) Run(ctx context.Context) error {
	if err := d.Scheduler.Runner.Recover(ctx, d.Scheduler.Specs); err != nil {
		return err
	}
	var g run.Group
	d.addContext(&g, ctx)
	d.addScheduler(&g)
	d.addServer(&g)
	for _, a := range d.actors {
		g.Add(a.run, a.interrupt)
	}
	d.ready.Store(true)
	d.log().Info("daemon started", "jobs", len(d.Scheduler.Specs), "listen", d.addr())
	err := g.Run()
	d.log().Info("daemon stopped")
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return nil // the caller stopped the daemon
	}
	return err
}

func (d *Daemon) addr() string {
	if d.Listener == nil {
		return ""
	}
	return d.Listener.Addr().String()
}

// addContext adds the actor that ends the group when ctx is cancelled.
func (d *Daemon) addContext(g *run.Group, ctx context.Context) {
	done := make(chan struct{})
	g.Add(func() error {
		select {
		case <-ctx.Done():
			d.log().Info("stopping: no new runs; runs in flight may finish", "grace", d.Grace)
			return ctx.Err()
		case <-done:
			return nil
		}
	}, func(error) { close(done) })
}

// addScheduler adds the scheduler: its interrupt stops scheduling at once
// and abandons the runs in flight after the grace period.
func (d *Daemon) addScheduler(g *run.Group) {
	schedCtx, stop := context.WithCancel(context.Background())
	runCtx, abandon := context.WithCancel(context.Background())
	finished := make(chan struct{})
	g.Add(func() error {
		defer close(finished)
		defer abandon()
		return d.Scheduler.Run(schedCtx, runCtx)
	}, func(error) {
		d.stopping.Store(true)
		stop()
		go func() {
			t := time.NewTimer(d.Grace)
			defer t.Stop()
			select {
			case <-finished:
			case <-t.C:
				d.log().Warn("grace period over: abandoning the runs in flight (nothing of them is sealed)")
				abandon()
			}
		}()
	})
}

// addServer adds the HTTP server, if there is a listener.
func (d *Daemon) addServer(g *run.Group) {
	if d.Listener == nil {
		return
	}
	mux := d.muxOnce()
	switch {
	case d.Gatherer != nil && d.MetricsHandler != nil:
		mux.Handle("GET /metrics", d.MetricsHandler(d.Gatherer))
	case d.Gatherer != nil:
		mux.Handle("GET /metrics", promhttp.HandlerFor(d.Gatherer, promhttp.HandlerOpts{}))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", d.readyz)
	srv, ln := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, d.Listener
	if d.NewServer != nil {
		srv, ln = d.NewServer(mux, d.Listener)
	}
	g.Add(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server on %s: %w", d.addr(), err)
		}
		return nil
	}, func(error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
}

// readyz answers 200 while the daemon schedules jobs and 503 before it
// started and once it is stopping, with a reason; an admin token (Details)
// also sees the jobs' states and the data API's own reason.
func (d *Daemon) readyz(w http.ResponseWriter, r *http.Request) {
	details := d.Details != nil && d.Details(r)
	body := struct {
		Ready  bool        `json:"ready"`
		Reason string      `json:"reason,omitempty"`
		Jobs   []JobStatus `json:"jobs,omitempty"`
	}{Ready: d.ready.Load() && !d.stopping.Load()}
	switch {
	case d.stopping.Load():
		body.Reason = "stopping"
	case !body.Ready:
		body.Reason = "starting"
	}
	if details {
		body.Jobs = d.Scheduler.Status()
	}
	if d.Ready != nil {
		if err := d.Ready(); err != nil {
			body.Ready, body.Reason = false, "the data API does not serve attested data now (an admin token sees why)"
			if details {
				body.Reason = err.Error()
			}
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	if !body.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(body)
}

// Recover prepares the store for runs of specs: their runs a crashed
// process left "running" are marked interrupted (the runs of other jobs,
// which another process may be running, are left alone), and the jobs'
// metrics start from the run history.
func (r *Runner) Recover(ctx context.Context, specs []*Spec) error {
	if len(specs) == 0 {
		return nil
	}
	jobs := make([]string, len(specs))
	for i, s := range specs {
		jobs[i] = s.Job.Name
	}
	n, err := r.Store.InterruptRuns(ctx, jobs...)
	if err != nil {
		return err
	}
	if n > 0 {
		r.log().Warn("runs of an earlier process were interrupted; nothing of them was sealed", "runs", n)
	}
	last, err := r.Store.LastSuccess(ctx)
	if err != nil {
		return err
	}
	for _, s := range specs {
		r.Metrics.initJob(s.Job.Name, last[s.Job.Name])
	}
	return nil
}
