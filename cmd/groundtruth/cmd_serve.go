package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// serveOpts are serve's flags.
type serveOpts struct {
	configPath, listen, rpc, rpcFile, backend, registry, eas, cacheDir string
	interval                                                           time.Duration
	anonymous, mcpStdio                                                bool
	// console is what the daemon hands the console (serve.console).
	console consoleHooks
	// tokens, when set, are the process's reloadable tokens (the daemon
	// shares them with /runs and /readyz); else they are built from the
	// configuration.
	tokens *serve.TokenSet
}

// defaultServeOpts are the options of the configuration as it is.
func defaultServeOpts(set config.Serve) *serveOpts {
	return &serveOpts{listen: set.Listen, interval: set.WatchInterval, rpc: set.RPCURL, cacheDir: set.CacheDir}
}

func newServeCmd(a *app) *cobra.Command {
	var o serveOpts
	cmd := &cobra.Command{
		Use:   "serve [--config FILE] [--listen ADDR] [--mcp-stdio]",
		Short: "Serve attested versions over HTTP (/v1, /mcp) or MCP on stdio",
		Long: `serve answers the read-only data API under /v1 and the MCP endpoint /mcp
(streamable HTTP) on --listen: only attested, non-revoked versions are served. It
authenticates agents with the bearer tokens of the configuration's serve: section
(stored as their SHA-256; make one with groundtruth serve token), scopes them to
datasets and rate-limits them. The tokens are reloaded, without a restart, when
the configuration file changes and on SIGHUP (which never stops serve). With a chain (--rpc or the configuration's
attestation section) it checks each attested version against it and follows
revocations, stopping to serve a revoked version within one --interval and
recording the revocation in the catalog; when the chain cannot be read for
longer than serve.max_chain_staleness (default 5m) it stops serving attested
data (503) until it answers again. /metrics has Prometheus metrics, /healthz
answers while the process runs and /readyz is 503 while the chain is stale.

A startup problem other than a wrong flag (the chain unreachable, the catalog
in need of a rebuild, the data directory held by another process, an unset
${VAR} in the configuration) does not end the HTTP server: it listens anyway,
/readyz and every /v1 and /mcp request answer 503 with the problem and its fix
(stderr says the same), it retries the start every 5s (or --interval when
shorter) and serves once the problem is gone. Stopped before that, it exits
with the problem's status.

--mcp-stdio speaks MCP on stdin/stdout instead (for an agent that starts
groundtruth itself); logs go to stderr. If it cannot start (an unset ${VAR} in
the configuration: hosts start servers with a minimal environment), it says
why and how to fix it on stderr and as the error of every tool call, and
exits with the error's status (2 for a configuration error) when the host
disconnects. Host configurations: docs/serving.md.

serve opens the data directory for writing (one process per data directory):
to ingest while serving, run groundtruth run, which serves the same API.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.serve(cmd, &o) },
	}
	fs := cmd.Flags()
	fs.StringVarP(&o.configPath, "config", "c", "", "configuration file (serve: and attestation: sections)")
	fs.StringVar(&o.listen, "listen", "", "address to serve on (default serve.listen, "+config.DefaultServeListen+")")
	fs.StringVar(&o.rpc, "rpc", "", "JSON-RPC endpoint of the chain to watch (visible in the process list: prefer --rpc-file or $"+rpcEnv+")")
	fs.StringVar(&o.rpcFile, "rpc-file", "", "file holding the JSON-RPC endpoint (default $"+rpcEnv+", then serve.rpc_url, attestation.rpc_url)")
	fs.StringVar(&o.backend, "backend", "", "attestation backend to watch: registry, eas or offchain (default attestation.backend)")
	fs.StringVar(&o.registry, "registry", "", "DatasetRegistry address (default attestation.registry)")
	fs.StringVar(&o.eas, "eas", "", "EAS contract address (default attestation.eas)")
	fs.StringVar(&o.cacheDir, "cache-dir", "", "folder of derived row blocks (default serve.cache_dir, DATA_DIR/cache/serve)")
	fs.DurationVar(&o.interval, "interval", 0, "how often the catalog is re-read and revocations are polled (default serve.watch_interval, 15s)")
	fs.BoolVar(&o.anonymous, "anonymous", false, "serve every dataset to requests without a token (local use only)")
	fs.BoolVar(&o.mcpStdio, "mcp-stdio", false, "speak MCP on stdin/stdout instead of serving HTTP")
	cmd.AddCommand(newServeTokenCmd(a))
	return cmd
}

func (a *app) serve(cmd *cobra.Command, o *serveOpts) error {
	if !cmd.Flags().Changed("log-level") {
		a.logLevel = "info"
	}
	if !o.mcpStdio {
		procs, fromEnv := serve.SetSchedulerProcs()
		a.logger().Info("Go scheduler threads (GOMAXPROCS)", "procs", procs, "from_environment", fromEnv)
		return a.serveHTTPOrWait(cmd, o)
	}
	api, closeAPI, err := a.startAPI(cmd, o)
	if err != nil {
		return a.mcpFailed(cmd.Context(), err)
	}
	defer closeAPI()
	if err := runMCP(cmd.Context(), api.Server, &sdk.StdioTransport{}); err != nil {
		return fmt.Errorf("%w: %w", errServing, err)
	}
	return nil
}

// errServing marks an error that ended serving (not a startup problem).
var errServing = errors.New("serving")

// mcpFailed reports a startup problem of serve --mcp-stdio on stderr with
// its fix, and to the MCP host as the error of every tool call (hosts
// start servers with a minimal environment, and a server that exits only
// shows "connection closed"); it returns err once the host disconnects.
func (a *app) mcpFailed(ctx context.Context, err error) error {
	reason := err.Error() + "; fix: " + startupFix(err, true)
	fmt.Fprintf(a.stderr, "groundtruth: cannot serve MCP: %s\n", reason)
	if rerr := mcp.NewFailed(reason).Run(ctx, &sdk.StdioTransport{}); rerr != nil && !errors.Is(rerr, context.Canceled) {
		a.logger().Warn("MCP session of the failed server", "err", rerr)
	}
	return err
}

// startupFix is the fix of a startup problem, for an MCP host (mcp) or
// for the operator of an HTTP server.
func startupFix(err error, mcp bool) string {
	switch msg := err.Error(); {
	case strings.Contains(msg, "environment variable") && mcp:
		return `MCP hosts start servers with a minimal environment: set the variable in the "env" object of this server's entry in the host configuration (docs/serving.md, "MCP hosts")`
	case strings.Contains(msg, "environment variable"):
		return "set the variable in the server's environment and restart it, or name the value in the configuration"
	case errors.Is(err, attest.ErrChain) && mcp:
		return `the chain's JSON-RPC endpoint (--rpc, serve.rpc_url or attestation.rpc_url) did not answer: check the URL, that the node runs, and that the host passes RPC_URL in "env"`
	case errors.Is(err, attest.ErrChain):
		return "the chain's JSON-RPC endpoint (--rpc, --rpc-file, $" + rpcEnv + ", serve.rpc_url or attestation.rpc_url) did not answer: check the URL and that the node runs"
	case errors.Is(err, store.ErrLocked):
		return "stop the other groundtruth process that holds the data directory (groundtruth run serves the same API)"
	case errors.Is(err, store.ErrCatalogStale), errors.Is(err, store.ErrCatalog):
		return "repair the catalog: groundtruth catalog check, then groundtruth catalog rebuild (docs/operations.md)"
	case mcp:
		return "check the flags and the configuration (groundtruth config validate --config FILE), then restart the server from the host"
	}
	return "check the flags and the configuration (groundtruth config validate --config FILE)"
}

// startAPI reads the configuration, opens the data directory and builds
// the API server (with its chain watcher); close releases them. o's unset
// fields are filled from the configuration.
func (a *app) startAPI(cmd *cobra.Command, o *serveOpts) (*APIServer, func(), error) {
	ctx := cmd.Context()
	cfg := &config.Config{DataDir: a.dataDir}
	if o.configPath != "" {
		c, err := a.readConfig(o.configPath)
		if err != nil {
			return nil, nil, err
		}
		cfg = c
		if dir := a.jobDataDir(cmd, cfg); dir != "" {
			a.dataDir = dir
		} else {
			cfg.DataDir = a.dataDir
		}
	}
	set := cfg.ServeSettings()
	if o.listen == "" {
		o.listen = set.Listen
	}
	if o.interval <= 0 {
		o.interval = set.WatchInterval
	}
	if err := a.resolveRPC(cmd, &o.rpc, o.rpcFile); err != nil {
		return nil, nil, err
	}
	if o.rpc == "" {
		o.rpc = set.RPCURL
	}
	if o.cacheDir == "" {
		o.cacheDir = set.CacheDir
	}
	st, err := a.openStore(ctx, "", false)
	if err != nil {
		return nil, nil, err
	}
	api, err := a.NewAPIServer(ctx, cfg, st, o)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return api, func() { api.Close(); st.Close() }, nil
}

// APIServer is the data API built from a configuration: the server, the
// handler to mount (/v1/ and /mcp), and its metrics registry.
type APIServer struct {
	*serve.Server
	// Mux serves /v1/ and /mcp (mount it at "/").
	Mux *http.ServeMux
	// Registry holds the groundtruth_serve_* metrics.
	Registry *prometheus.Registry
	close    func()
	// Tokens are the server's bearer tokens (reloaded by watchTokens).
	Tokens *serve.TokenSet
	// metricsAccess is serve.metrics: who may read /metrics.
	metricsAccess string
	// consoleOn is set when the steward console is mounted.
	consoleOn bool
}

// Close releases the server and its chain connection.
func (s *APIServer) Close() {
	s.Server.Close()
	s.close()
}

// NewAPIServer builds the data API over an open store from the serve: and
// attestation: sections (o may override them; nil takes the configuration
// as it is). The daemon mounts api.Mux and runs api.Run / api.Interrupt as
// an actor; serve does the same on its own listener.
func (a *app) NewAPIServer(ctx context.Context, cfg *config.Config, st *store.Store, o *serveOpts) (*APIServer, error) {
	set := cfg.ServeSettings()
	if o == nil {
		o = defaultServeOpts(set)
	}
	scfg, err := serveConfig(set, o)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	if scfg.Metrics, err = serve.NewMetrics(reg); err != nil {
		return nil, err
	}
	w, closeChain, err := a.serveWatcher(ctx, cfg, o, st, scfg.Metrics)
	if err != nil {
		return nil, err
	}
	if o.tokens == nil {
		o.tokens = serve.NewTokenSet(scfg.Tokens, scfg.Anonymous)
	}
	if err := o.tokens.Register(reg); err != nil {
		closeChain()
		return nil, err
	}
	scfg.Catalog, scfg.Watcher, scfg.Log, scfg.TokenSet = st, w, a.logger(), o.tokens
	srv, err := serve.New(ctx, scfg)
	if err != nil {
		closeChain()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv.Handler())
	lim := srv.Limits()
	mux.Handle("/mcp", srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{Max: lim.MCPSessions, PerToken: lim.MCPSessionsPerToken, Idle: lim.MCPSessionIdle, Metrics: srv.Metrics()})))
	closeConsole, err := a.mountConsole(cfg, st, mux, o.tokens, o.console)
	if err != nil {
		srv.Close()
		closeChain()
		return nil, err
	}
	return &APIServer{Server: srv, Mux: mux, Registry: reg, Tokens: o.tokens, metricsAccess: set.Metrics, close: func() { closeConsole(); closeChain() }, consoleOn: set.Console}, nil
}

// serveConfig turns the serve settings into the server's configuration.
func serveConfig(set config.Serve, o *serveOpts) (serve.Config, error) {
	c := serve.Config{CORSOrigins: set.CORSOrigins, CacheDir: o.cacheDir, Interval: o.interval, MaxChainStaleness: set.MaxChainStaleness,
		Query: serve.QueryLimits{MaxRows: set.Query.MaxRows, Timeout: set.Query.Timeout, MaxSQLBytes: set.Query.MaxSQLBytes}}
	c.Limits = serveLimitsOf(&config.Config{Serve: &set})
	var err error
	c.Tokens, c.Anonymous, err = serveTokens(set, o.anonymous)
	return c, err
}

// serveLimits converts the serve.limits section.
func serveLimits(l *config.ServeLimits) serve.Limits {
	return serve.Limits{MaxConnections: l.MaxConnections, DeferAccept: l.DeferAccept, ReadHeaderTimeout: l.ReadHeaderTimeout, IdleTimeout: l.IdleTimeout,
		WriteTimeout: l.WriteTimeout, BodyTimeout: l.BodyTimeout, MaxHeaderBytes: l.MaxHeaderBytes, MaxBodyBytes: l.MaxBodyBytes,
		StreamsPerToken: l.StreamsPerToken, QueriesPerToken: l.QueriesPerToken, QuerySlots: l.QuerySlots, QueryMaxWait: l.QueryMaxWait,
		MaxResultBytes: l.MaxResultBytes, MCPSessions: l.MCPSessions, MCPSessionsPerToken: l.MCPSessionsPerToken, MCPSessionIdle: l.MCPSessionIdle}
}

// serveLimitsOf returns the configuration's serve.limits (defaults when
// there is no serve section).
func serveLimitsOf(cfg *config.Config) serve.Limits {
	if cfg.Serve == nil || cfg.Serve.Limits == nil {
		return serve.Limits{}
	}
	return serveLimits(cfg.Serve.Limits)
}

// limitedServer returns the daemon's server builder: the API's limits
// apply to its whole listener.
func (a *app) limitedServer(lim serve.Limits, m *serve.Metrics) func(http.Handler, net.Listener) (*http.Server, net.Listener) {
	return func(h http.Handler, ln net.Listener) (*http.Server, net.Listener) {
		return serve.NewHTTPServer(h, ln, lim, a.logger(), m)
	}
}

// serveWatcher builds the revocation watcher from the flags and the
// attestation section; without a chain there is none.
func (a *app) serveWatcher(ctx context.Context, cfg *config.Config, o *serveOpts, st *store.Store, m *serve.Metrics) (*serve.Watcher, func(), error) {
	backend, contract, easVersion := o.backend, o.registry, ""
	if att := cfg.Attestation; att != nil {
		if backend == "" {
			backend = att.Backend
		}
		easVersion = att.EASVersion
	}
	if backend != attest.KindRegistry {
		contract = o.eas
		if contract == "" && cfg.Attestation != nil {
			contract = cfg.Attestation.EAS
		}
	} else if contract == "" && cfg.Attestation != nil {
		contract = cfg.Attestation.Registry
	}
	if o.rpc == "" || backend == "" || contract == "" {
		a.logger().Warn("no chain to watch (give --rpc and --registry or --eas, or an attestation: section): revocations on-chain are not followed")
		return nil, func() {}, nil
	}
	factory, ok := backendFactories[backend]
	if !ok {
		return nil, nil, fmt.Errorf("%w: --backend %q: want registry, eas or offchain", errUsage, backend)
	}
	addr, err := address(map[bool]string{true: "registry", false: "eas"}[backend == attest.KindRegistry], contract)
	if err != nil {
		return nil, nil, err
	}
	ec, id, err := dialChain(ctx, o.rpc, a.red)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Attestation != nil && cfg.Attestation.ChainID != 0 && cfg.Attestation.ChainID != id.Uint64() {
		ec.Close()
		return nil, nil, fmt.Errorf("%w: %s is chain %d, the configuration says chain %d", errUsage, a.red.URL(o.rpc), id.Uint64(), cfg.Attestation.ChainID)
	}
	checker, err := factory(ctx, backendParams{kind: backend, chain: &chain{client: ec, chainID: id.Uint64()}, contract: addr,
		easVersion: easVersion, root: st.Root(), a: a})
	if err != nil {
		ec.Close()
		return nil, nil, err
	}
	w := serve.NewWatcher(serve.WatcherConfig{Chain: ec, Backend: backend, Contract: common.Address(addr), Checker: checker, Log: a.logger(), Metrics: m})
	return w, ec.Close, nil
}

// serveHTTP serves /v1, /mcp and /metrics on listen until ctx ends.
func (a *app) serveHTTP(ctx context.Context, api *APIServer, listen string) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("%w: --listen %s: %v", errUsage, listen, err)
	}
	return a.serveOn(ctx, api, ln)
}

// serveOn serves /v1, /mcp and /metrics on ln until ctx ends.
func (a *app) serveOn(ctx context.Context, api *APIServer, ln net.Listener) error {
	api.Poll(ctx) // the chain is checked before anything is served
	api.Mux.Handle("GET /metrics", api.Tokens.Auth().MetricsHandler(api.Registry, api.metricsAccess))
	api.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	api.Mux.Handle("GET /readyz", api.ReadyHandler())
	hs, capped := serve.NewHTTPServer(api.Mux, ln, api.Limits(), a.logger(), api.Metrics())
	fmt.Fprintf(a.stderr, "groundtruth: serving attested versions on http://%s/v1 (MCP at /mcp, metrics at /metrics)\n", ln.Addr())
	if api.consoleOn {
		fmt.Fprintf(a.stderr, "groundtruth: the steward console is at http://%s/console/ (steward-scoped tokens)\n", ln.Addr())
	}
	ran, served := make(chan error, 1), make(chan error, 1)
	go func() { ran <- api.Run() }()
	go func() { served <- hs.Serve(capped) }()
	var err error
	runEnded := false
	select {
	case <-ctx.Done():
	case err = <-ran:
		runEnded = true
	case err = <-served:
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hs.Shutdown(sctx)
	api.Interrupt(nil)
	if !runEnded { // the caller closes the store next: no poll may still read it
		select {
		case <-ran:
		case <-sctx.Done():
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// runMCP speaks MCP on a local transport (stdin/stdout) while the server
// polls the catalog and the chain.
func runMCP(ctx context.Context, srv *serve.Server, t sdk.Transport) error {
	done := make(chan error, 1)
	go func() { done <- srv.Run() }()
	err := mcp.NewStdio(srv).Run(ctx, t)
	srv.Interrupt(nil)
	<-done
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
