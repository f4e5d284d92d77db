package serve

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
)

// recorder captures a response's status, size and route for the request log.
type recorder struct {
	http.ResponseWriter
	status int
	n      int64
	route  string
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.n += int64(n)
	return n, err
}

// Flush implements http.Flusher.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// middleware logs and measures every request, answers CORS preflights,
// authenticates the bearer token and applies its rate limit.
func (s *Server) middleware(next http.Handler) http.Handler { return s.guarded(false, next) }

// guarded is middleware; with protocol, requests count against the
// principal's MCP protocol allowance instead of its rate (tool calls are
// counted by the MCP handler with Principal.Take).
func (s *Server) guarded(protocol bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		w, r = s.bound(w, r)
		rec := &recorder{ResponseWriter: w, route: "other"}
		name := "-"
		defer func() {
			p := recover()
			aborted := p == http.ErrAbortHandler
			if p != nil && !aborted {
				s.log.Error("panic serving a request", "path", r.URL.Path, "panic", fmt.Sprint(p))
				if rec.status == 0 {
					writeError(rec, fmt.Errorf("panic: %v", p))
				}
			}
			code := strconv.Itoa(rec.status)
			if aborted {
				code = "aborted"
			}
			d := s.cfg.Now().Sub(start)
			s.cfg.Metrics.request(rec.route, code, name, d, rec.n)
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", code, "bytes", rec.n,
				"duration", d, "token", name, "remote", r.RemoteAddr)
			if aborted {
				panic(p) // net/http resets the connection (HTTP/2: the stream)
			}
		}()
		// Everything is token-scoped and revocable: no shared cache may keep
		// it, and a private cache must ask again (a 304 when unchanged).
		rec.Header().Set("Cache-Control", "private, no-cache")
		rec.Header().Add("Vary", "Authorization")
		if s.cors(rec, r) {
			return
		}
		p, err := s.auth.authenticate(r)
		if err != nil {
			rec.Header().Set("WWW-Authenticate", `Bearer realm="groundtruth"`)
			writeError(rec, err)
			return
		}
		name = p.Name
		if protocol {
			err = p.take(p.protocol, "MCP protocol messages")
		} else {
			err = p.Take()
		}
		var re *rateError
		if errors.As(err, &re) {
			rec.Header().Set("Retry-After", strconv.Itoa(re.retry))
			writeError(rec, err)
			return
		}
		if err := s.WaitStarted(r.Context(), StartWait); err != nil {
			rec.Header().Set("Retry-After", "1")
			writeError(rec, err)
			return
		}
		ctx, done := revocable(r.Context(), p)
		defer done()
		next.ServeHTTP(rec, r.WithContext(WithPrincipal(ctx, p)))
	})
}

// cors adds CORS headers for allowed origins and answers preflights; it
// reports whether the request was fully answered. Without configured
// origins it does nothing (CORS is off by default).
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || len(s.cfg.CORSOrigins) == 0 {
		return false
	}
	allowed := false
	for _, o := range s.cfg.CORSOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			allowed = true
		}
	}
	if !allowed {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "ETag, Content-Range, Accept-Ranges, Retry-After, Groundtruth-Dataset, Groundtruth-Version, Groundtruth-Root, Groundtruth-Manifest-Hash, Groundtruth-Rows, Groundtruth-Attestation")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Range, If-None-Match, If-Range, Content-Type, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// route wraps a GET/HEAD handler: it names the route for metrics, refuses
// other methods and writes handler errors as the JSON envelope.
func (s *Server) route(name string, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec, ok := w.(*recorder); ok {
			rec.route = name
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, apiError(http.StatusMethodNotAllowed, "method_not_allowed",
				fmt.Sprintf("%s is not allowed: the API is read-only (GET, HEAD)", r.Method)))
			return
		}
		if err := h(w, r); err != nil {
			if status, _ := Classify(err); status == http.StatusInternalServerError {
				s.log.Error("request failed", "path", r.URL.Path, "err", err)
			}
			if rec, ok := w.(*recorder); ok && rec.status != 0 {
				// The status line is out: abort the response so that no
				// client takes what was sent for a complete body.
				lvl := slog.LevelWarn
				if r.Context().Err() != nil {
					lvl = slog.LevelDebug // the client went away
				}
				s.log.Log(r.Context(), lvl, "response aborted after its status line", "path", r.URL.Path, "err", err)
				panic(http.ErrAbortHandler)
			}
			writeError(w, err)
		}
	})
}
