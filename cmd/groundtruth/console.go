package main

import (
	"context"
	"net/http"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/console"
)

// consoleHooks are what the daemon gives the console beyond the
// configuration: its attestation collector and its scheduler.
type consoleHooks struct {
	collector func(context.Context) (*attest.Collector, error)
	scheduler *pipeline.Scheduler
}

// mountConsole mounts the steward console (serve.console) on mux. Without
// a collector from the daemon it builds one from the attestation section
// (its keys are loaded, for the submitter); it returns what releases it.
func (a *app) mountConsole(cfg *config.Config, st *store.Store, mux *http.ServeMux, tokens *serve.TokenSet, h consoleHooks) (func(), error) {
	if cfg.Serve == nil || !cfg.Serve.Console {
		return func() {}, nil
	}
	release := func() {}
	if h.collector == nil && cfg.Attestation != nil {
		setup, err := a.newAttestSetup(cfg, cfg.File)
		if err != nil {
			a.logger().Warn("console: the attestation section could not be loaded: decisions and co-signing are refused", "err", err)
		} else {
			setup.root = st.Root()
			h.collector, release = setup.collector, setup.close
		}
	}
	cc := console.Config{Store: st, Auth: tokens.Auth(), Attestation: h.collector, Log: a.logger()}
	for i := range cfg.Jobs {
		j := &cfg.Jobs[i]
		cj := console.Job{Name: j.Name, Dataset: j.Dataset, Schedule: j.Schedule}
		if suite, err := a.buildSuite(j); err == nil && suite != nil {
			cj.Peers = suite.PeerDatasets()
		}
		cc.Jobs = append(cc.Jobs, cj)
	}
	if s := h.scheduler; s != nil {
		cc.Schedule = func(job string) (time.Time, bool, bool) {
			for _, js := range s.Status() {
				if js.Job == job {
					return js.NextTick, js.Failing, true
				}
			}
			return time.Time{}, false, false
		}
	}
	c, err := console.New(cc)
	if err != nil {
		release()
		return nil, err
	}
	mux.Handle(console.Prefix, c)
	mux.Handle("/console", c)
	return release, nil
}
