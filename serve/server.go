package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Server.
type Config struct {
	// Catalog is the data directory's catalog (a *store.Store).
	Catalog Catalog
	// Tokens are the bearer tokens; Anonymous, when set, is the scope of
	// requests without one (nil: they are refused).
	Tokens    []Token
	Anonymous *Scope
	// TokenSet, when set, replaces Tokens and Anonymous: the process's
	// reloadable tokens, shared with its other endpoints.
	TokenSet *TokenSet
	// CORSOrigins are the browser origins allowed ("*" any); empty: no CORS.
	CORSOrigins []string
	// CacheDir holds derived row blocks (default ROOT/cache/serve).
	CacheDir string
	// TileLevel is the proof trees' lowest cached level (default 4: a proof
	// recomputes at most 16 leaves; the tree holds about 4 bytes per row).
	TileLevel uint
	// Interval is how often the catalog is re-read and the watcher polls
	// the chain (default 15s).
	Interval time.Duration
	// Watcher follows revocations on-chain; nil watches nothing.
	Watcher *Watcher
	// MaxChainStaleness is how long the watcher may fail to read the chain
	// before attested data stops being served with ErrChainStale (default
	// 5m; only with a Watcher).
	MaxChainStaleness time.Duration
	// RehashInterval is how often a poll hashes every segment in use again
	// even when its file looks unchanged (default 24h; negative: never).
	RehashInterval time.Duration
	// Query limits the read-only SQL engine.
	Query QueryLimits
	// Limits bound connections, time, sizes and per-token use (limits.go).
	Limits Limits
	// Listener, when set, is where Run serves the API.
	Listener net.Listener
	// Log receives request logs and the watcher's messages (nil discards).
	Log *slog.Logger
	// Metrics records requests and revocations (nil records nothing).
	Metrics *Metrics
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Server serves attested versions over HTTP. Handler is the API (mount it at
// "/v1/"); Run and Interrupt form an actor for github.com/oklog/run: Run
// refreshes the catalog and polls the watcher every interval (and serves the
// Listener, if any) until Interrupt.
type Server struct {
	cfg     Config
	log     *slog.Logger
	files   *files
	rows    *rowCache
	auth    *authenticator
	query   *QueryEngine
	integ   *integrity
	handler http.Handler
	lim     Limits
	tenants tenants

	chainAt atomic.Int64 // unix nanoseconds of the watcher's last good poll

	refreshM sync.Mutex
	snap     atomic.Pointer[snapshot]

	stopOnce sync.Once
	stop     chan struct{}

	startOnce sync.Once
	started   chan struct{} // closed once the first Poll is done (see Started)

	changes changes // what OnChange listeners last heard of
}

// New reads the catalog and returns a server.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Catalog == nil {
		return nil, errors.New("serve: no catalog")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TileLevel == 0 {
		cfg.TileLevel = 4
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 15 * time.Second
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(cfg.Catalog.Root(), "cache", "serve")
	}
	if cfg.MaxChainStaleness <= 0 {
		cfg.MaxChainStaleness = DefaultMaxChainStaleness
	}
	if cfg.RehashInterval == 0 {
		cfg.RehashInterval = DefaultRehashInterval
	}
	s := &Server{cfg: cfg, log: cfg.Log, stop: make(chan struct{}), lim: cfg.Limits.WithDefaults(), started: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.chainAt.Store(cfg.Now().UnixNano())
	s.files = newFiles(cfg.Catalog.Root())
	s.integ = &integrity{root: cfg.Catalog.Root(), files: s.files, log: s.log, metrics: cfg.Metrics, now: cfg.Now,
		statEvery: statEvery, rehashEvery: max(cfg.RehashInterval, 0), changed: s.segmentChanged}
	rows, err := newRowCache(cfg.CacheDir, s.files)
	if err != nil {
		return nil, err
	}
	s.rows = rows
	if cfg.TokenSet != nil {
		s.auth = cfg.TokenSet.auth
	} else {
		s.auth = newAuthenticator(cfg.Tokens, cfg.Anonymous, cfg.Now)
	}
	s.query = newQueryEngine(s, cfg.Query)
	if err := s.Refresh(ctx); err != nil {
		s.Close()
		return nil, err
	}
	s.handler = s.middleware(s.routes())
	if cfg.Watcher == nil || cfg.Watcher.cfg.Checker == nil {
		s.markStarted() // nothing waits for the chain: the catalog read is all
	}
	return s, nil
}

// Handler returns the API handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Refresh re-reads the catalog: new versions, status changes, revocations
// recorded by others.
func (s *Server) Refresh(ctx context.Context) error {
	s.refreshM.Lock()
	defer s.refreshM.Unlock()
	gated := s.cfg.Watcher != nil && s.cfg.Watcher.cfg.Checker != nil
	next, err := refresh(ctx, s.cfg.Catalog, s.snap.Load(), gated)
	if err != nil {
		return fmt.Errorf("serve: reading the catalog: %w", err)
	}
	s.snap.Store(next)
	return nil
}

// Run serves until Interrupt is called: it serves the Listener (if any),
// re-reads the catalog and polls the watcher every interval.
func (s *Server) Run() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Poll(ctx) // check the chain before serving anything
	var srv *http.Server
	errc := make(chan error, 1)
	if s.cfg.Listener != nil {
		var ln net.Listener
		srv, ln = NewHTTPServer(s.handler, s.cfg.Listener, s.lim, s.log, s.cfg.Metrics)
		go func() { errc <- srv.Serve(ln) }()
		s.log.Info("serving the data API", "addr", s.cfg.Listener.Addr().String())
	}
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			if srv != nil {
				sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
				err := srv.Shutdown(sctx)
				scancel()
				if err != nil {
					srv.Close()
				}
				<-errc
			}
			return nil
		case err := <-errc:
			return fmt.Errorf("serve: %w", err)
		case <-t.C:
			s.Poll(ctx)
		}
	}
}

// Poll re-reads the catalog and asks the watcher for revocations once; Run
// does it every interval. Errors are logged (and counted).
func (s *Server) Poll(ctx context.Context) {
	if err := s.Refresh(ctx); err != nil {
		s.log.Error("refreshing the catalog", "err", err)
	}
	if s.cfg.Watcher != nil {
		if err := s.cfg.Watcher.Poll(ctx, s); err != nil {
			s.cfg.Metrics.watchFailed()
			s.log.Error("watching revocations", "err", err, "unchecked_for", s.chainAge().Round(time.Millisecond),
				"max_chain_staleness", s.cfg.MaxChainStaleness)
		} else {
			now := s.cfg.Now()
			s.chainAt.Store(now.UnixNano())
			s.cfg.Metrics.chainChecked(now)
		}
	}
	s.sweepSegments()
	s.markStarted()
	s.noteChanges()
}

// Interrupt stops Run.
func (s *Server) Interrupt(error) { s.stopOnce.Do(func() { close(s.stop) }) }

// Close releases open files and mapped row blocks.
func (s *Server) Close() error {
	s.rows.close()
	s.files.close()
	return nil
}

// snapshot returns the current catalog view.
func (s *Server) snapshot() *snapshot { return s.snap.Load() }

// lookup returns a servable version for p; version 0 is the latest
// attested, non-revoked version.
func (s *Server) lookup(p *Principal, dataset string, version uint64) (*versionState, error) {
	d := s.snapshot().datasets[dataset]
	if d == nil || !p.Allows(dataset) {
		return nil, fmt.Errorf("%w: no dataset %q", ErrNotFound, dataset)
	}
	var v *versionState
	if version == 0 {
		if v = d.latest(); v == nil {
			return nil, fmt.Errorf("%w: dataset %q has no attested version", ErrNotFound, dataset)
		}
	} else if v = d.find(version); v == nil {
		return nil, fmt.Errorf("%w: dataset %q has no version %d", ErrNotFound, dataset, version)
	}
	if err := s.refuse(v); err != nil {
		return nil, err
	}
	return v, nil
}
