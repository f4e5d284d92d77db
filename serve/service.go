package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Authenticate returns the principal of a request's headers (bearer token,
// or the anonymous scope) without taking from its rate limit; the MCP
// server uses it for each tool call.
func (s *Server) Authenticate(h http.Header) (*Principal, error) {
	return s.auth.authenticate(&http.Request{Header: h})
}

// Protect wraps h, another handler mounted beside the API (the MCP
// endpoint), in the API's middleware: request logs, metrics, CORS, bearer
// tokens and rate limits. Its responses carry Cache-Control private,
// no-cache, no-transform, and an oversized body answers the JSON error 413.
func (s *Server) Protect(route string, h http.Handler) http.Handler {
	return s.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec, ok := w.(*recorder); ok {
			rec.route = route
		}
		h.ServeHTTP(&mcpWriter{ResponseWriter: w, maxBody: s.lim.MaxBodyBytes}, r)
	}))
}

// ProtectProtocol is Protect for the MCP endpoint: its protocol messages
// (initialize, lists, pings, notifications) count against a separate
// allowance of ten times the token's rate and burst (at least 10 per
// second and 50 at once), so a client's handshake never exhausts a low
// rate; the MCP handler counts each tool call against the rate with
// Principal.Take. Its responses carry the same headers and 413 as Protect's.
func (s *Server) ProtectProtocol(route string, h http.Handler) http.Handler {
	return s.guarded(true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec, ok := w.(*recorder); ok {
			rec.route = route
		}
		h.ServeHTTP(&mcpWriter{ResponseWriter: w, maxBody: s.lim.MaxBodyBytes}, r)
	}))
}

// Version returns the summary of a servable version (0: latest) with its
// canonical manifest.
func (s *Server) Version(p *Principal, dataset string, version uint64) (*api.Version, error) {
	v, err := s.lookup(p, dataset, version)
	if err != nil {
		return nil, err
	}
	doc := v.summary()
	doc.Manifest = json.RawMessage(v.manifestJSON)
	return &doc, nil
}

// Evidence returns the attestation evidence document of a servable version
// (0: latest), as /v1/…/evidence serves it.
func (s *Server) Evidence(p *Principal, dataset string, version uint64) ([]byte, error) {
	v, err := s.lookup(p, dataset, version)
	if err != nil {
		return nil, err
	}
	return v.evidence, nil
}

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Dataset      string                 `json:"dataset"`
	Version      uint64                 `json:"version"`
	MerkleRoot   datasets.Hash          `json:"merkleRoot"`
	ManifestHash datasets.Hash          `json:"manifestHash"`
	Attestation  api.Attestation        `json:"attestation"`
	OK           bool                   `json:"ok"`
	Checks       []datasets.CheckResult `json:"checks"`
}

// Verify recomputes a served version from its files (the manifest hash,
// every segment hash, every leaf, the root) and, when the server watches a
// chain, checks its attestation there. It is as heavy as a query (it
// reads and hashes every segment), so it shares the query bounds: it counts
// against the token's queries_per_token and runs in one of the shared,
// round-robin query_slots, waiting at most query_max_wait.
func (s *Server) Verify(ctx context.Context, p *Principal, dataset string, version uint64) (*VerifyResult, error) {
	v, err := s.lookup(p, dataset, version)
	if err != nil {
		return nil, err
	}
	release, err := s.query.admit(ctx, p)
	if err != nil {
		return nil, err
	}
	defer release()
	res := &VerifyResult{Dataset: v.dataset, Version: v.version, MerkleRoot: v.manifest.MerkleRoot, ManifestHash: v.manifestHash, Attestation: v.att}
	root := s.cfg.Catalog.Root()
	raw, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(datasets.ManifestPath(v.manifestHash))))
	if err != nil {
		res.Checks = append(res.Checks, datasets.CheckResult{Check: "manifest.file", Detail: "the manifest file cannot be read"})
		return res, nil
	}
	ver, err := datasets.VerifyVersion(ctx, root, raw, v.manifestHash)
	if err != nil {
		return nil, err
	}
	res.Checks = ver.Checks
	if w := s.cfg.Watcher; w != nil && w.cfg.Checker != nil && w.watched(v) {
		ev, err := attest.ParseEvidence(v.evidence)
		if err != nil {
			return nil, fmt.Errorf("evidence of %s: %w", v.ref(), err)
		}
		chain, err := w.cfg.Checker.CheckChain(ctx, v.statement, ev, attest.Trust{}, time.Now())
		if err != nil {
			return nil, err
		}
		res.Checks = append(res.Checks, chain.Checks...)
	} else {
		res.Checks = append(res.Checks, datasets.CheckResult{Check: "attestation", OK: true,
			Detail: fmt.Sprintf("recorded as %s (this server does not watch that chain; verify with the Go client or groundtruth verify --rpc)", v.att.ID)})
	}
	res.OK = true
	for _, c := range res.Checks {
		res.OK = res.OK && c.OK
	}
	return res, nil
}
