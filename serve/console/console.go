// Package console is the steward web console (docs/console.md): a small
// embedded front end at /console/ and its JSON API at /console/api/, for
// bearer tokens with the steward scope. It reads the store the server or
// the daemon already has open and signs nothing itself: decisions and
// co-signatures are made in the steward's wallet over the same EIP-712
// typed data the CLI builds, and verified here exactly as `groundtruth
// quarantine approve` and `groundtruth sign --signature` verify them.
package console

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// Prefix is where the console is mounted.
const Prefix = "/console/"

// CSP is the Content-Security-Policy of every console response: scripts,
// styles and requests only from the console's own origin, no inline code,
// no frames, no forms.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Errors of the console's API, by failure class.
var (
	// ErrBadRequest is a malformed request: a bad path value, body or field.
	ErrBadRequest = errors.New("bad request")
	// ErrNotSteward means a signature recovers to an address outside the
	// steward set.
	ErrNotSteward = errors.New("not a steward")
	// ErrNoAttestation means the configuration has no attestation section,
	// so there is no steward set to check decisions against.
	ErrNoAttestation = errors.New("no attestation configured")
)

//go:embed assets
var assets embed.FS

// Job is a configured job as the overview shows it.
type Job struct {
	// Name and Dataset identify the job; Schedule is its schedule as written.
	Name, Dataset, Schedule string
	// Peers are the datasets its cross-source checks compare it with.
	Peers []string
}

// Config configures the console.
type Config struct {
	// Store is the open data directory.
	Store *store.Store
	// Auth authenticates bearer tokens; only steward-scoped ones pass.
	Auth *serve.TokenAuth
	// Attestation returns the attestation section's collector: the
	// backend (its EIP-712 domain), the steward set and k, the submitter.
	// Nil, or an error, refuses decisions and co-signatures.
	Attestation func(ctx context.Context) (*attest.Collector, error)
	// Jobs are the configured jobs (for the overview and the peers of a
	// series).
	Jobs []Job
	// Schedule, when set, returns a job's scheduling state from the
	// daemon's scheduler: its next tick and whether it is failing (retries
	// exhausted); ok is false for a job it does not schedule. Nil shows no
	// next tick and takes failing from the last run's outcome.
	Schedule func(job string) (next time.Time, failing, ok bool)
	// ReadOnly is set when the store was opened read-only (groundtruth
	// demo while it serves): decisions and co-signatures are refused.
	ReadOnly bool
	// Log receives the decisions and co-signatures recorded (nil discards).
	Log *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Console serves the steward console.
type Console struct {
	cfg Config
	log *slog.Logger
	mux *http.ServeMux
}

// New returns the console.
func New(cfg Config) (*Console, error) {
	if cfg.Store == nil || cfg.Auth == nil {
		return nil, errors.New("console: a store and an authenticator are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Console{cfg: cfg, log: cfg.Log}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	static, err := fs.Sub(assets, "assets")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	files := http.FileServerFS(static)
	mux.Handle("/console/", http.StripPrefix("/console", readOnly(files)))
	api := http.NewServeMux()
	api.HandleFunc("GET /console/api/overview", c.wrap(c.handleOverview))
	api.HandleFunc("GET /console/api/quarantine", c.wrap(c.handleQueue))
	api.HandleFunc("GET /console/api/quarantine/{id}", c.wrap(c.handleEntry))
	api.HandleFunc("POST /console/api/quarantine/{id}/typed-data", c.wrap(c.handleDecisionTypedData))
	api.HandleFunc("POST /console/api/quarantine/{id}/decision", c.wrap(c.handleDecision))
	api.HandleFunc("GET /console/api/versions/{dataset}/{version}/typed-data", c.wrap(c.handleStatementTypedData))
	api.HandleFunc("POST /console/api/versions/{dataset}/{version}/signature", c.wrap(c.handleCosign))
	api.HandleFunc("GET /console/api/runs", c.wrap(c.handleRuns))
	api.HandleFunc("GET /console/api/runs/{id}", c.wrap(c.handleRun))
	api.HandleFunc("/console/api/", c.wrap(func(_ http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("%w: no console endpoint %s %s", store.ErrNotFound, r.Method, r.URL.Path)
	}))
	mux.Handle("/console/api/", cfg.Auth.RequireSteward(api))
	mux.Handle("/console", http.RedirectHandler("/console/", http.StatusMovedPermanently))
	c.mux = mux
	return c, nil
}

// ServeHTTP serves the console with its security headers.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	c.mux.ServeHTTP(w, r)
}

// readOnly answers 405 to anything but GET and HEAD.
func readOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"status": http.StatusMethodNotAllowed, "error": "the console's pages are read with GET"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// wrap turns a handler returning an error into an http.HandlerFunc that
// answers the error as JSON with its status.
func (c *Console) wrap(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := fn(w, r); err != nil {
			status := statusOf(err)
			if status >= 500 {
				c.log.Error("console", "path", r.URL.Path, "err", err)
			}
			writeJSON(w, status, map[string]any{"status": status, "error": err.Error()})
		}
	}
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrReadOnly), errors.Is(err, pipeline.ErrRowMismatch),
		errors.Is(err, store.ErrQuarantineTampered):
		return http.StatusConflict
	case errors.Is(err, ErrNotSteward), errors.Is(err, attest.ErrSignature), errors.Is(err, attest.ErrInvalid):
		return http.StatusForbidden
	case errors.Is(err, ErrNoAttestation):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.Encode(v)
}

// readJSON decodes a request body strictly into v.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: the request body: %v", ErrBadRequest, err)
	}
	return nil
}

// writable refuses a write on a read-only store before a steward signs.
func (c *Console) writable() error {
	if c.cfg.ReadOnly {
		return fmt.Errorf("%w: this server opened the data directory read-only (groundtruth demo does, so the CLI can read beside it): "+
			"decisions and co-signatures are recorded by the daemon (groundtruth run) with serve.console", store.ErrReadOnly)
	}
	return nil
}

// collector returns the attestation collector, or ErrNoAttestation.
func (c *Console) collector(ctx context.Context) (*attest.Collector, error) {
	if c.cfg.Attestation == nil {
		return nil, fmt.Errorf("%w: the configuration has no attestation section, so there is no steward set to check signatures against", ErrNoAttestation)
	}
	col, err := c.cfg.Attestation(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoAttestation, err)
	}
	return col, nil
}

// isSteward reports whether addr is in the collector's steward set.
func isSteward(col *attest.Collector, addr string) bool {
	t := attest.Trust{Stewards: col.Policy.Stewards}
	for _, s := range t.Stewards {
		if s.Hex() == addr {
			return true
		}
	}
	return false
}
