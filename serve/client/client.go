package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Config configures a Client.
type Config struct {
	// BaseURL is the server, e.g. http://127.0.0.1:8484.
	BaseURL string
	// Token is the bearer token ("" sends none).
	Token string
	// Verifier checks attestations on the chain the caller trusts (required).
	Verifier Verifier
	// CacheDir keeps verified segment files between fetches (required by Fetch).
	CacheDir string
	// HTTP is the HTTP client (nil: http.DefaultClient).
	HTTP *http.Client
}

// Client talks to a groundtruth server and verifies what it answers.
type Client struct {
	cfg      Config
	mu       sync.Mutex
	verified map[string]*Version
}

// New returns a client.
func New(cfg Config) (*Client, error) {
	if cfg.Verifier == nil {
		return nil, fmt.Errorf("client: a Verifier is required: the client checks every version against the chain")
	}
	if _, err := url.Parse(cfg.BaseURL); err != nil || cfg.BaseURL == "" {
		return nil, fmt.Errorf("client: base URL %q: %v", cfg.BaseURL, err)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.HTTP == nil {
		cfg.HTTP = http.DefaultClient
	}
	return &Client{cfg: cfg, verified: map[string]*Version{}}, nil
}

// get sends a GET and returns the response of a 2xx answer; other answers
// become *APIError.
func (c *Client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.BaseURL+path, nil)
	if err != nil {
		return nil, err
	}
	if c.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		var e api.Error
		if json.Unmarshal(b, &e) != nil || e.Status == 0 {
			e = api.Error{Status: resp.StatusCode, ErrorType: "http", Error: strings.TrimSpace(string(b))}
		}
		return nil, apiError(e)
	}
	return resp, nil
}

// getBytes GETs a small document.
func (c *Client) getBytes(ctx context.Context, path string, limit int64) ([]byte, http.Header, error) {
	resp, err := c.get(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(b)) > limit {
		return nil, nil, fmt.Errorf("client: %s: answer larger than %d bytes", path, limit)
	}
	return b, resp.Header, nil
}

func (c *Client) getJSON(ctx context.Context, path string, v any) (http.Header, error) {
	b, h, err := c.getBytes(ctx, path, 64<<20)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("client: %s: %v", path, err)
	}
	return h, nil
}

// Datasets lists the datasets the server offers (as the server says; each
// version is verified when it is used).
func (c *Client) Datasets(ctx context.Context) ([]api.Dataset, error) {
	var l api.DatasetList
	_, err := c.getJSON(ctx, "/v1/datasets", &l)
	return l.Datasets, err
}

// Version is a version whose manifest and attestation were verified.
type Version struct {
	Dataset      string
	Version      uint64
	Manifest     *datasets.Manifest
	ManifestJSON []byte
	ManifestHash datasets.Hash
	Statement    attest.Statement
	Evidence     *attest.Evidence
	EvidenceJSON []byte
	// Attestation is the server's summary (the attestation id); the chain
	// checks are in Report.
	Attestation api.Attestation
	Report      *attest.Report
}

func versionPath(dataset string, version uint64) string {
	v := "latest"
	if version != 0 {
		v = fmt.Sprint(version)
	}
	return "/v1/datasets/" + url.PathEscape(dataset) + "/versions/" + v
}

// Version returns version (0: the server's latest) of dataset after checking
// that its manifest hashes to the manifest hash the chain attests, with
// the caller's Verifier. Verified versions are remembered.
func (c *Client) Version(ctx context.Context, dataset string, version uint64) (*Version, error) {
	var doc api.Version
	if version == 0 {
		if _, err := c.getJSON(ctx, versionPath(dataset, 0), &doc); err != nil {
			return nil, err
		}
		if doc.Dataset != dataset || doc.Version == 0 {
			return nil, fmt.Errorf("%w: asked for the latest %s, got %s@%d", ErrMismatch, dataset, doc.Dataset, doc.Version)
		}
		version = doc.Version
	}
	key := fmt.Sprintf("%s@%d", dataset, version)
	c.mu.Lock()
	v := c.verified[key]
	c.mu.Unlock()
	if v != nil {
		return v, nil
	}
	v, err := c.verifyVersion(ctx, dataset, version)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.verified[key] = v
	c.mu.Unlock()
	return v, nil
}

func (c *Client) verifyVersion(ctx context.Context, dataset string, version uint64) (*Version, error) {
	p := versionPath(dataset, version)
	raw, h, err := c.getBytes(ctx, p+"/manifest", 64<<20)
	if err != nil {
		return nil, err
	}
	v := &Version{Dataset: dataset, Version: version, ManifestJSON: raw, ManifestHash: datasets.Hash(sha256.Sum256(raw))}
	if claimed := h.Get(api.HeaderManifestHash); claimed != v.ManifestHash.String() {
		return nil, fmt.Errorf("%w: %w: %s: the server says manifest %s, its manifest hashes to %s", ErrManifestHash, datasets.ErrIntegrity, v.ref(), claimed, v.ManifestHash)
	}
	m, err := datasets.ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w: %s: %v", ErrManifestHash, datasets.ErrIntegrity, v.ref(), err)
	}
	if canon, err := m.Canonical(); err != nil || !bytes.Equal(canon, raw) {
		return nil, fmt.Errorf("%w: %w: %s: the manifest is not canonical JSON", ErrManifestHash, datasets.ErrIntegrity, v.ref())
	}
	if m.Dataset != dataset || m.Version != version {
		return nil, fmt.Errorf("%w: asked for %s, the manifest is %s@%d", ErrMismatch, v.ref(), m.Dataset, m.Version)
	}
	v.Manifest, v.Statement = m, attest.StatementOf(m, v.ManifestHash)
	if v.EvidenceJSON, _, err = c.getBytes(ctx, p+"/evidence", 64<<20); err != nil {
		return nil, err
	}
	if v.Evidence, err = attest.ParseEvidence(v.EvidenceJSON); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotAttested, v.ref(), err)
	}
	rep, err := c.cfg.Verifier.Verify(ctx, v.Statement, v.Evidence)
	if err != nil {
		return nil, err
	}
	if err := rep.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s (root %s, manifest %s): %w", ErrNotAttested, v.ref(), m.MerkleRoot, v.ManifestHash, err)
	}
	v.Report = rep
	var doc api.Version
	if _, err := c.getJSON(ctx, p, &doc); err != nil {
		return nil, err
	}
	v.Attestation = doc.Attestation
	return v, nil
}

func (v *Version) ref() string { return fmt.Sprintf("%s@%d", v.Dataset, v.Version) }
