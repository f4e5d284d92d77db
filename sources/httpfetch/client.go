package httpfetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Request is one logical request.
type Request struct {
	// Method defaults to GET.
	Method string
	// URL is the full URL; it may hold secrets, which are masked in
	// messages.
	URL string
	// Header is sent as is (values may be secrets; register them with the
	// Redactor).
	Header http.Header
	// Body is sent with every attempt.
	Body []byte
	// Page describes the request in messages and logs ("votes page 3,
	// created_gte=1690000000").
	Page string
	// Check, when set, inspects a 2xx answer; an error wrapping
	// sources.ErrTransient makes the answer count as a failed attempt (it is
	// retried within the budget), any other error is returned as is.
	Check func(*Response) error
}

func (r *Request) method() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// Response is a successful answer, its body read whole.
type Response struct {
	Request *Request
	Status  int
	Header  http.Header
	Body    []byte
	// Digest is the SHA-256 of Body.
	Digest datasets.Hash
	// Attempts is how many attempts it took.
	Attempts int
	// FinalURL is the URL that answered, after redirects, with its secrets
	// masked; the provenance of the body.
	FinalURL string
}

// Client sends the requests of one source. It is safe for concurrent use.
type Client struct {
	source  string
	hc      *http.Client
	cfg     Config
	limiter *rate.Limiter
	log     *slog.Logger
	raw     sources.RawStore
	red     *Redactor

	mu        sync.Mutex
	notBefore time.Time // the origin's quota is exhausted until then
}

// New returns a client for the source with the given id. It uses
// deps.HTTP (http.DefaultClient when nil), deps.Logger and deps.Raw; red
// masks the source's secrets (nil: only secret-looking URL parts).
func New(source string, cfg Config, deps sources.Deps, red *Redactor) *Client {
	c := &Client{source: source, hc: deps.HTTP, cfg: cfg, log: deps.Logger, raw: deps.Raw, red: red}
	if c.hc == nil {
		c.hc = http.DefaultClient
	}
	hc := *c.hc // the redirect policy is this client's own
	hc.CheckRedirect = c.checkRedirect
	c.hc = &hc
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.red == nil {
		c.red = &Redactor{}
	}
	lim := rate.Inf
	if cfg.RateLimit > 0 {
		lim = rate.Limit(cfg.RateLimit)
	}
	c.limiter = rate.NewLimiter(lim, max(cfg.Burst, 1))
	return c
}

// Redactor returns the client's redactor.
func (c *Client) Redactor() *Redactor { return c.red }

// Keep stores resp's body in the RawStore (when there is one) and returns
// its SHA-256, which rows produced from the body carry.
func (c *Client) Keep(ctx context.Context, resp *Response) (datasets.Hash, error) {
	if c.raw == nil {
		return resp.Digest, nil
	}
	h, err := c.raw.Put(ctx, resp.Body)
	if err != nil {
		e := c.newError(resp.Request, sources.ErrTransient, "storing the raw body %s", resp.Digest)
		e.Err = err
		return datasets.Hash{}, e
	}
	if h != resp.Digest {
		return datasets.Hash{}, c.newError(resp.Request, sources.ErrTransient, "the raw store named the body %s, its SHA-256 is %s", h, resp.Digest)
	}
	return h, nil
}

// Do sends req, retrying transient failures within the configured budget.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	c.red.Add(redact.URLSecrets(req.URL)...) // masked even where the origin echoes them
	for attempt := 1; ; attempt++ {
		if err := c.waitTurn(ctx, req); err != nil {
			return nil, err
		}
		resp, err := c.once(ctx, req)
		if err == nil && req.Check != nil {
			if err = req.Check(resp); err != nil && errors.Is(err, sources.ErrTransient) {
				err = &retryable{err: err, status: resp.Status}
			}
		}
		if err == nil {
			resp.Attempts = attempt
			return resp, nil
		}
		var rt *retryable
		if !errors.As(err, &rt) {
			if e, ok := err.(*Error); ok && e.Attempts == 0 {
				e.Attempts = attempt
			}
			return nil, err
		}
		wait, werr := c.retryWait(req, rt, attempt)
		if werr != nil {
			return nil, werr
		}
		c.log.WarnContext(ctx, "http source: retrying", "source", c.source, "method", req.method(),
			"url", c.red.URL(req.URL), "page", req.Page, "attempt", attempt, "wait", wait, "error", c.red.String(rt.Error()))
		if err := sleep(ctx, wait); err != nil {
			return nil, c.ctxError(req, err)
		}
	}
}

// retryWait returns how long to wait before the next attempt, or the final
// error when the budget is spent or the origin asks for too long a wait.
func (c *Client) retryWait(req *Request, rt *retryable, attempt int) (time.Duration, error) {
	final := func(format string, args ...any) error {
		e := c.newError(req, sources.ErrTransient, format, args...)
		e.Status, e.Attempts, e.Err = rt.status, attempt, rt.err
		return e
	}
	if rt.hasAfter && rt.after > c.cfg.MaxRetryAfter {
		return 0, final("the origin asks to wait %v before retrying, more than max_retry_after (%v)", rt.after, c.cfg.MaxRetryAfter)
	}
	if attempt >= c.cfg.Attempts {
		return 0, final("giving up")
	}
	if rt.hasAfter {
		return rt.after, nil
	}
	return backoff(c.cfg, attempt), nil
}

// waitTurn waits for the rate limiter and for an exhausted quota to reset.
func (c *Client) waitTurn(ctx context.Context, req *Request) error {
	c.mu.Lock()
	until := time.Until(c.notBefore)
	c.mu.Unlock()
	if until > 0 {
		if until > c.cfg.MaxRetryAfter {
			return c.newError(req, sources.ErrTransient, "the origin's request quota is exhausted for %v more, more than max_retry_after (%v)", until.Round(time.Second), c.cfg.MaxRetryAfter)
		}
		c.log.InfoContext(ctx, "http source: quota exhausted, waiting for its reset", "source", c.source, "wait", until)
		if err := sleep(ctx, until); err != nil {
			return c.ctxError(req, err)
		}
	}
	if err := c.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return c.ctxError(req, ctx.Err())
		}
		// The wait would outlast ctx's deadline.
		return c.ctxError(req, context.DeadlineExceeded)
	}
	return nil
}

// ctxError reports that the caller's context ended.
func (c *Client) ctxError(req *Request, err error) error {
	e := c.newError(req, nil, "cancelled")
	e.Err = err
	return e
}

// once makes one attempt.
func (c *Client) once(ctx context.Context, req *Request) (*Response, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, req.method(), req.URL, bytes.NewReader(req.Body))
	if err != nil {
		e := c.newError(req, sources.ErrConfig, "cannot build the request")
		e.Err = c.maskURLError(err)
		return nil, e
	}
	for k, vs := range req.Header {
		hreq.Header[k] = vs
	}
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.ctxError(req, ctx.Err())
		}
		var re *redirectError
		if errors.As(err, &re) {
			e := c.newError(req, sources.ErrConfig, "%s", re.msg)
			e.Err = ErrRedirect
			return nil, e
		}
		return nil, &retryable{err: fmt.Errorf("no answer: %w", c.maskURLError(err))}
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.ctxError(req, ctx.Err())
		}
		return nil, &retryable{err: fmt.Errorf("reading the body of an HTTP %d answer (%d bytes read): %w", hresp.StatusCode, len(body), c.maskURLError(err)), status: hresp.StatusCode}
	}
	resp := &Response{Request: req, Status: hresp.StatusCode, Header: hresp.Header, Body: body, Digest: sha256.Sum256(body),
		FinalURL: c.red.URL(hresp.Request.URL.String())}
	if final := hresp.Request.URL.String(); final != req.URL {
		c.log.InfoContext(ctx, "http source: redirected", "source", c.source, "url", c.red.URL(req.URL), "final_url", resp.FinalURL)
	}
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, c.InputError(resp, -1, "the body is larger than max_body_bytes (%d)", c.cfg.MaxBodyBytes)
	}
	c.noteQuota(hresp.Header)
	return c.classify(resp)
}

// classify turns a non-2xx answer into an error.
func (c *Client) classify(resp *Response) (*Response, error) {
	st := resp.Status
	switch {
	case st >= 200 && st < 300:
		return resp, nil
	case st == http.StatusTooManyRequests || st == http.StatusRequestTimeout || st >= 500:
		rt := &retryable{err: fmt.Errorf("HTTP %d: %s", st, c.excerpt(resp.Body)), status: st}
		rt.after, rt.hasAfter = retryAfter(resp.Header, time.Now())
		return nil, rt
	case st == http.StatusUnauthorized || st == http.StatusForbidden || st == http.StatusNotFound:
		e := c.newError(resp.Request, sources.ErrConfig, "HTTP %d (check the URL and the API key): %s", st, c.excerpt(resp.Body))
		e.Status = st
		return nil, e
	default:
		e := c.newError(resp.Request, sources.ErrBadInput, "HTTP %d: %s", st, c.excerpt(resp.Body))
		e.Status = st
		return nil, e
	}
}

// noteQuota records an exhausted quota reported in the headers.
func (c *Client) noteQuota(h http.Header) {
	reset, ok := quotaReset(h, time.Now())
	if !ok {
		return
	}
	c.mu.Lock()
	if reset.After(c.notBefore) {
		c.notBefore = reset
	}
	c.mu.Unlock()
}

// retryable is a failed attempt that may be retried.
type retryable struct {
	err      error
	status   int
	after    time.Duration
	hasAfter bool
}

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }
