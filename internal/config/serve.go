package config

import (
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Serve is the `serve:` section: the read-only data API (`groundtruth
// serve`, and the daemon's server when `groundtruth run` mounts it).
//
//	serve:
//	  listen: 127.0.0.1:8484          # default
//	  tokens:                          # bearer tokens, stored as their SHA-256
//	    - name: trading-agent
//	      sha256: 0x9f86d0…            # `groundtruth serve token` makes one
//	      datasets: [votes, prices]    # or ["*"]
//	      rate: 20                     # requests per second (default 50)
//	      burst: 40                    # default 2 × rate
//	      scopes: [admin]              # also the daemon's /runs (of these datasets); steward: the console
//	  anonymous: {datasets: [votes], rate: 5}   # requests without a token (off by default)
//	  cors_origins: []                 # browser origins allowed (off by default)
//	  console: true                    # the steward web console at /console (off by default)
//	  metrics: open                    # /metrics: every series to anyone (default); public: job/dataset series for admin tokens only; admin: admin tokens only
//	  watch_interval: 15s              # how often revocations are polled on-chain
//	  max_chain_staleness: 5m          # unchecked this long: stop serving (503)
//	  rpc_url: ${RPC_URL}              # default: attestation.rpc_url
//	  cache_dir: ./serve-cache         # default: DATA_DIR/cache/serve
//	  query: {max_rows: 10000, timeout: 10s, max_sql_bytes: 16384}
//	  limits: {max_connections: 4096, write_timeout: 30s, …}   # serve_limits.go
type Serve struct {
	// Listen is the address of the API server.
	Listen string `yaml:"listen"`
	// Tokens are the bearer tokens agents authenticate with.
	Tokens []ServeToken `yaml:"tokens" label:"token"`
	// Anonymous, when set, is the access of requests without a token.
	Anonymous *ServeScope `yaml:"anonymous"`
	// CORSOrigins are the browser origins allowed to call the API; empty
	// means no CORS headers at all.
	CORSOrigins []string `yaml:"cors_origins"`
	// WatchInterval is the revocation watcher's poll interval.
	WatchInterval time.Duration `yaml:"watch_interval"`
	// MaxChainStaleness is how long the watcher may fail to read the chain
	// before attested data stops being served (503 chain_unreachable).
	MaxChainStaleness time.Duration `yaml:"max_chain_staleness"`
	// RPCURL is the chain endpoint the watcher reads (default:
	// attestation.rpc_url).
	RPCURL string `yaml:"rpc_url"`
	// CacheDir holds derived files (row blocks); absolute after Parse.
	CacheDir string `yaml:"cache_dir"`
	// Query limits the read-only SQL of the MCP query tool.
	Query *ServeQuery `yaml:"query"`
	// Limits bound connections, time, sizes and per-token use
	// (serve_limits.go); absent fields take their defaults.
	Limits *ServeLimits `yaml:"limits"`
	// Console serves the steward web console at /console (docs/console.md)
	// to tokens with the steward scope; off by default.
	Console bool `yaml:"console"`
	// Metrics is who may read /metrics: "open" (the default: every series
	// to anyone), "public" (anyone, without the per-job and per-dataset
	// series unless the request has an admin token) or "admin" (an admin
	// token only).
	Metrics string `yaml:"metrics"`
}

// ServeScope is what a caller may read and how often.
type ServeScope struct {
	// Datasets are the dataset names the caller may read; "*" is all.
	Datasets []string `yaml:"datasets" config:"required"`
	// Rate is the sustained requests per second.
	Rate float64 `yaml:"rate"`
	// Burst is how many requests may come at once.
	Burst int `yaml:"burst"`
}

// ServeToken is one bearer token, kept as the SHA-256 of its text.
type ServeToken struct {
	// Name identifies the token in logs and metrics.
	Name string `yaml:"name" config:"required"`
	// SHA256 is 0x + 64 hex digits: the SHA-256 of the token's text.
	SHA256 string `yaml:"sha256" config:"required"`
	// Datasets, Rate and Burst are the token's scope.
	Datasets []string `yaml:"datasets" config:"required"`
	Rate     float64  `yaml:"rate"`
	Burst    int      `yaml:"burst"`
	// Scopes are extra rights: "admin" opens the daemon's /runs (for the
	// token's datasets' runs only); "steward" opens the console's review
	// and signing API (serve.console).
	Scopes []string `yaml:"scopes"`
}

// ScopeAdmin is the token scope that opens the daemon's /runs.
const ScopeAdmin = "admin"

// ScopeSteward is the token scope that opens the steward console's API.
const ScopeSteward = "steward"

// Steward reports whether the token has the steward scope.
func (t ServeToken) Steward() bool {
	for _, s := range t.Scopes {
		if s == ScopeSteward {
			return true
		}
	}
	return false
}

// Admin reports whether the token has the admin scope.
func (t ServeToken) Admin() bool {
	for _, s := range t.Scopes {
		if s == ScopeAdmin {
			return true
		}
	}
	return false
}

// ServeQuery limits read-only SQL queries.
type ServeQuery struct {
	MaxRows     int           `yaml:"max_rows"`
	Timeout     time.Duration `yaml:"timeout"`
	MaxSQLBytes int           `yaml:"max_sql_bytes"`
}

// Serve defaults.
const (
	DefaultServeListen   = "127.0.0.1:8484"
	DefaultWatchInterval = 15 * time.Second
	DefaultTokenRate     = 50
	DefaultQueryMaxRows  = 10000
	DefaultQueryTimeout  = 10 * time.Second
	DefaultQueryMaxSQL   = 16 << 10
)

// DefaultMaxChainStaleness is serve.max_chain_staleness's default.
const DefaultMaxChainStaleness = 5 * time.Minute

type serveError struct{ field, msg string }

func (e serveError) Error() string       { return e.msg }
func (e serveError) ConfigField() string { return e.field }

var tokenNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// Validate checks the section as a whole.
func (s *Serve) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, serveError{field, fmt.Sprintf(format, args...)})
	}
	if s.Listen != "" {
		if _, _, err := net.SplitHostPort(s.Listen); err != nil {
			bad("listen", "listen %q: want host:port, like %s", s.Listen, DefaultServeListen)
		}
	}
	if s.WatchInterval < 0 || (s.WatchInterval > 0 && s.WatchInterval < 10*time.Millisecond) {
		bad("watch_interval", "watch_interval %s: want at least 10ms", s.WatchInterval)
	}
	if w := cmp.Or(s.WatchInterval, DefaultWatchInterval); s.MaxChainStaleness < 0 || (s.MaxChainStaleness > 0 && s.MaxChainStaleness <= w) {
		bad("max_chain_staleness", "max_chain_staleness %s: want longer than watch_interval (%s), default %s", s.MaxChainStaleness, w, DefaultMaxChainStaleness)
	}
	names, hashes := map[string]bool{}, map[string]bool{}
	for i, t := range s.Tokens {
		p := fmt.Sprintf("tokens[%d]", i)
		if !tokenNameRE.MatchString(t.Name) {
			bad(p+".name", "token name %q: want letters, digits, . _ -, at most 63", t.Name)
		} else if names[t.Name] {
			bad(p+".name", "token name %q is used twice", t.Name)
		}
		names[t.Name] = true
		h := strings.ToLower(strings.TrimPrefix(t.SHA256, "0x"))
		if _, err := hex.DecodeString(h); err != nil || len(h) != 64 {
			bad(p+".sha256", "token %q: sha256 must be 0x and 64 hex digits (the SHA-256 of the token, never the token itself)", t.Name)
		} else if hashes[h] {
			bad(p+".sha256", "token %q has the same hash as another token", t.Name)
		}
		hashes[h] = true
		checkScope(bad, p, ServeScope{Datasets: t.Datasets, Rate: t.Rate, Burst: t.Burst})
		for j, sc := range t.Scopes {
			if sc != ScopeAdmin && sc != ScopeSteward {
				bad(fmt.Sprintf("%s.scopes[%d]", p, j), "token %q: unknown scope %q: want %q or %q", t.Name, sc, ScopeAdmin, ScopeSteward)
			}
		}
	}
	if s.Anonymous != nil {
		checkScope(bad, "anonymous", *s.Anonymous)
	}
	if s.Metrics != "" && s.Metrics != "open" && s.Metrics != "public" && s.Metrics != "admin" {
		bad("metrics", "metrics %q: want open (the default: every series to anyone), public (anyone; per-job and per-dataset series for admin tokens only) or admin (admin tokens only)", s.Metrics)
	}
	for i, o := range s.CORSOrigins {
		if u, err := url.Parse(o); o != "*" && (err != nil || u.Scheme == "" || u.Host == "" || u.Path != "") {
			bad(fmt.Sprintf("cors_origins[%d]", i), "CORS origin %q: want scheme://host[:port] or *", o)
		}
	}
	if q := s.Query; q != nil {
		if q.MaxRows < 0 || q.MaxRows > 1_000_000 {
			bad("query.max_rows", "query max_rows %d: want 1 to 1000000", q.MaxRows)
		}
		if q.Timeout < 0 || q.Timeout > 10*time.Minute {
			bad("query.timeout", "query timeout %s: want up to 10m", q.Timeout)
		}
		if q.MaxSQLBytes < 0 || q.MaxSQLBytes > 1<<20 {
			bad("query.max_sql_bytes", "query max_sql_bytes %d: want up to 1048576", q.MaxSQLBytes)
		}
	}
	if s.Limits != nil {
		s.Limits.validate(bad)
		timeout := DefaultQueryTimeout
		if s.Query != nil && s.Query.Timeout > 0 {
			timeout = s.Query.Timeout
		}
		if w := s.Limits.QueryMaxWait; w > 0 && w < timeout {
			bad("limits.query_max_wait", "limits.query_max_wait %s is shorter than query.timeout %s: another tenant's query could be refused as busy while one query runs; want at least the query timeout (or 0: the default, at least the query timeout)", w, timeout)
		}
	}
	return errors.Join(errs...)
}

func checkScope(bad func(string, string, ...any), p string, sc ServeScope) {
	if len(sc.Datasets) == 0 {
		bad(p+".datasets", "%s: datasets must list dataset names or \"*\"", p)
	}
	for j, d := range sc.Datasets {
		if d != "*" && !datasetNameRE.MatchString(d) {
			bad(fmt.Sprintf("%s.datasets[%d]", p, j), "dataset %q is not a dataset name or \"*\"", d)
		}
	}
	if sc.Rate < 0 || sc.Rate > 1e6 {
		bad(p+".rate", "rate %g: want 0 (default %d) to 1000000 requests per second", sc.Rate, DefaultTokenRate)
	}
	if sc.Burst < 0 || sc.Burst > 1e6 {
		bad(p+".burst", "burst %d: want 0 (default 2 × rate) to 1000000", sc.Burst)
	}
}

var datasetNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ServeSettings returns the serve section with defaults filled in and paths
// resolved: the listen address, the watcher's interval and RPC endpoint (the
// attestation section's when unset), the cache folder and the query limits.
func (c *Config) ServeSettings() Serve {
	s := Serve{}
	if c.Serve != nil {
		s = *c.Serve
	}
	if s.Listen == "" {
		s.Listen = DefaultServeListen
	}
	if s.WatchInterval == 0 {
		s.WatchInterval = DefaultWatchInterval
	}
	if s.MaxChainStaleness == 0 {
		s.MaxChainStaleness = DefaultMaxChainStaleness
	}
	if s.RPCURL == "" && c.Attestation != nil {
		s.RPCURL = c.Attestation.RPCURL
	}
	switch {
	case s.CacheDir == "":
		s.CacheDir = filepath.Join(c.DataDir, "cache", "serve")
	case !filepath.IsAbs(s.CacheDir):
		s.CacheDir = filepath.Join(c.BaseDir, s.CacheDir)
	}
	q := ServeQuery{}
	if s.Query != nil {
		q = *s.Query
	}
	if q.MaxRows == 0 {
		q.MaxRows = DefaultQueryMaxRows
	}
	if q.Timeout == 0 {
		q.Timeout = DefaultQueryTimeout
	}
	if q.MaxSQLBytes == 0 {
		q.MaxSQLBytes = DefaultQueryMaxSQL
	}
	s.Query = &q
	return s
}
