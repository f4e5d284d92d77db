package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// DefaultMaxChainStaleness is how long revocations may go unchecked before
// attested data stops being served.
const DefaultMaxChainStaleness = 5 * time.Minute

// DefaultRehashInterval is how often segments in use are hashed again
// although their files look unchanged.
const DefaultRehashInterval = 24 * time.Hour

// statEvery is how often a segment in use is stat'ed to notice a change.
const statEvery = time.Second

// refuse returns why v must not be served now: its attestation status, a
// chain that could not be read for too long, or a corrupt segment.
func (s *Server) refuse(v *versionState) error {
	if err := v.servable(); err != nil {
		return err
	}
	if err := s.chainFresh(); err != nil {
		return err
	}
	return v.corruptErr()
}

// chainAge is how long ago the watcher last read the chain (since start
// when it never did).
func (s *Server) chainAge() time.Duration {
	return time.Duration(s.cfg.Now().UnixNano() - s.chainAt.Load())
}

// chainFresh returns ErrChainStale when a watcher is configured and has not
// read the chain for longer than MaxChainStaleness.
func (s *Server) chainFresh() error {
	if s.cfg.Watcher == nil {
		return nil
	}
	if age := s.chainAge(); age > s.cfg.MaxChainStaleness {
		last := time.Unix(0, s.chainAt.Load()).UTC().Format(time.RFC3339)
		return fmt.Errorf("%w: revocations could not be checked on-chain since %s (%s, more than serve.max_chain_staleness %s): attested data is not served until the chain answers",
			ErrChainStale, last, age.Round(time.Second), s.cfg.MaxChainStaleness)
	}
	return nil
}

// verifySegments checks segments [first, last] of v against their attested
// hashes (see integrity); a mismatch marks v corrupt.
func (s *Server) verifySegments(v *versionState, first, last int) error {
	for i := first; i <= last && i < len(v.manifest.Segments); i++ {
		if err := s.verifySegment(v, &v.manifest.Segments[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) verifySegment(v *versionState, seg *datasets.SegmentRef) error {
	if err := s.integ.check(*seg); err != nil {
		v.setCorrupt(seg.SHA256, err)
		return v.corruptErr()
	}
	return nil
}

// segmentChanged marks (or clears) every version holding seg.
func (s *Server) segmentChanged(seg datasets.Hash, err error) {
	s.rows.drop(seg) // built again, from checked bytes, on next use
	for _, v := range s.snapshot().all() {
		if v.holds(seg) {
			v.setCorrupt(seg, err)
		}
	}
}

// sweepSegments re-stats every segment checked so far (Poll calls it).
func (s *Server) sweepSegments() {
	bySHA := map[datasets.Hash]datasets.SegmentRef{}
	for _, v := range s.snapshot().all() {
		for _, seg := range v.manifest.Segments {
			bySHA[seg.SHA256] = seg
		}
	}
	s.integ.sweep(bySHA)
}

// Ready returns nil when the server serves attested data, else why not
// (the chain could not be read for longer than MaxChainStaleness).
func (s *Server) Ready() error { return s.chainFresh() }

// ReadyHandler answers /readyz: 200 {"ready":true}, or 503 with the reason.
func (s *Server) ReadyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		body := struct {
			Ready  bool   `json:"ready"`
			Reason string `json:"reason,omitempty"`
		}{Ready: true}
		status := http.StatusOK
		if err := s.Ready(); err != nil {
			body.Ready, body.Reason, status = false, err.Error(), http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	})
}

// errInternal is what clients see of an internal error.
var errInternal = errors.New("internal error (see the server log)")

// publicError is an error with the server's directories masked; errors.Is
// and Classify still see the original.
type publicError struct {
	msg string
	err error
}

func (e *publicError) Error() string { return e.msg }
func (e *publicError) Unwrap() error { return e.err }

// PublicError returns err as a client may see it (MCP tool errors, SQL
// errors): an internal error becomes a generic message (its details are
// logged), and the data and cache directories are never named in others.
func (s *Server) PublicError(err error) error {
	if err == nil {
		return nil
	}
	if status, _ := Classify(err); status == http.StatusInternalServerError {
		s.log.Error("request failed", "err", err)
		return errInternal
	}
	msg := err.Error()
	for _, d := range [][2]string{{s.cfg.CacheDir, "CACHE_DIR"}, {s.cfg.Catalog.Root(), "DATA_DIR"}} { // the cache may be inside the data
		if d[0] != "" && d[0] != "." && d[0] != "/" {
			msg = strings.ReplaceAll(msg, d[0], d[1])
		}
	}
	if msg == err.Error() {
		return err
	}
	return &publicError{msg: msg, err: err}
}
