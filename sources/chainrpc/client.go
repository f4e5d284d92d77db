package chainrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/time/rate"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// Options configure a Client.
type Options struct {
	// URL is the HTTP(S) JSON-RPC endpoint. It may hold an API key; it is
	// never logged or put in errors beyond scheme://host.
	URL string
	// Source is the id of the source using the client, for messages.
	Source string
	// HTTP is the HTTP client (nil: a client with no overall timeout).
	HTTP *http.Client
	// Timeout bounds one attempt of one request.
	Timeout time.Duration
	// Retries is how many times a transient failure is retried.
	Retries int
	// RateLimit is the largest number of requests per second (0: no limit)
	// and Burst how many may go at once.
	RateLimit float64
	Burst     int
	// MaxResponseBytes bounds a response body; larger ones are refused with
	// a *TooLargeError.
	MaxResponseBytes int64
	// BackoffBase and BackoffMax shape the exponential backoff with full
	// jitter between retries (defaults 250ms and 10s).
	BackoffBase, BackoffMax time.Duration
	Logger                  *slog.Logger
}

// Client sends JSON-RPC requests over HTTP with retries, backoff with
// jitter, a client-side rate limit and a response size bound. It is safe for
// concurrent use.
type Client struct {
	opts     Options
	redacted string
	http     *http.Client
	limiter  *rate.Limiter
	log      *slog.Logger
	chainID  atomic.Uint64
	// requests counts requests sent (attempts), for tests and benchmarks.
	requests atomic.Uint64
}

// NewClient returns a client for opts.URL.
func NewClient(opts Options) (*Client, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: source %q: rpc url must be an http or https URL (got %s)", sources.ErrConfig, opts.Source, Redact(opts.URL))
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.BackoffBase <= 0 {
		opts.BackoffBase = 250 * time.Millisecond
	}
	if opts.BackoffMax <= 0 {
		opts.BackoffMax = 10 * time.Second
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = 256 << 20
	}
	c := &Client{opts: opts, redacted: Redact(opts.URL), http: opts.HTTP, log: opts.Logger}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.http.CheckRedirect == nil {
		hc := *c.http
		hc.CheckRedirect = noReferer
		c.http = &hc
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if opts.RateLimit > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(opts.RateLimit), max(opts.Burst, 1))
	}
	return c, nil
}

// Endpoint returns the redacted endpoint (scheme://host).
func (c *Client) Endpoint() string { return c.redacted }

// Requests returns how many HTTP requests the client has sent.
func (c *Client) Requests() uint64 { return c.requests.Load() }

// Response is a successful JSON-RPC response.
type Response struct {
	// Body is the raw response body.
	Body []byte
	// Result is the raw result value and ResultOffset its offset in Body.
	Result       []byte
	ResultOffset int
}

// Call sends method with params and returns the raw response, retrying
// transient failures. what describes the request for messages ("blocks
// 10-20"). Errors wrap sources.ErrTransient (after the retries), an
// *RPCError, a *TooLargeError, a *ResponseError (sources.ErrBadInput) or
// ctx's error.
func (c *Client) Call(ctx context.Context, method, what string, params ...any) (*Response, error) {
	if params == nil {
		params = []any{}
	}
	var last error
	for attempt := 0; ; attempt++ {
		resp, wait, err := c.attempt(ctx, method, what, params)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("source %q: %s (%s): %w", c.opts.Source, method, what, ctx.Err())
		}
		if !retryable(err) {
			return nil, err
		}
		last = err
		if attempt >= c.opts.Retries {
			break
		}
		d := c.backoff(attempt, wait)
		c.log.DebugContext(ctx, "chain rpc: retrying", "source", c.opts.Source, "method", method, "what", what,
			"attempt", attempt+1, "wait", d, "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("source %q: %s (%s): %w", c.opts.Source, method, what, ctx.Err())
		case <-t.C:
		}
	}
	return nil, fmt.Errorf("%w (gave up after %d attempts)", last, c.opts.Retries+1)
}

// retryable reports whether a failed attempt is worth repeating: transport
// failures and node errors of the transient kind, not refused ranges.
func retryable(err error) bool {
	var re *RPCError
	if errors.As(err, &re) {
		return re.kind == errKindTransient
	}
	return errors.Is(err, sources.ErrTransient) && !errors.Is(err, ErrRangeTooLarge)
}

// backoff returns the wait before retry attempt+1: full jitter over an
// exponentially growing window, at least the server's Retry-After.
func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	window := c.opts.BackoffBase << min(attempt, 20)
	if window > c.opts.BackoffMax || window <= 0 {
		window = c.opts.BackoffMax
	}
	d := time.Duration(rand.Int64N(int64(window)) + 1)
	return max(d, min(retryAfter, c.opts.BackoffMax))
}

// request is a JSON-RPC request object.
type request struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

// attempt sends one request. It returns the Retry-After hint with errors.
func (c *Client) attempt(ctx context.Context, method, what string, params []any) (*Response, time.Duration, error) {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, 0, fmt.Errorf("source %q: rate limit: %w", c.opts.Source, err)
		}
	}
	// The id is always 1: each request has its own HTTP exchange, and a
	// fixed id makes the bodies of equal requests byte-for-byte comparable
	// (the raw-body digests in rows, the split-view defence).
	payload, err := json.Marshal(request{JSONRPC: "2.0", ID: 1, Method: method, Params: params})
	if err != nil {
		return nil, 0, fmt.Errorf("%w: source %q: encoding %s: %v", sources.ErrConfig, c.opts.Source, method, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.opts.URL, bytes.NewReader(payload))
	if err != nil {
		return nil, 0, fmt.Errorf("%w: source %q: %s", sources.ErrConfig, c.opts.Source, c.scrub(err.Error()))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	c.requests.Add(1)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, 0, c.transportErr(ctx, method, what, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, retryAfter(res), c.statusErr(method, what, res)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, c.opts.MaxResponseBytes+1))
	if err != nil {
		return nil, 0, c.transportErr(ctx, method, what, err)
	}
	if int64(len(body)) > c.opts.MaxResponseBytes {
		return nil, 0, fmt.Errorf("source %q: %s (%s): %w", c.opts.Source, method, what, &TooLargeError{Limit: c.opts.MaxResponseBytes})
	}
	return c.decode(method, what, body)
}

// decode splits a body into result or error.
func (c *Client) decode(method, what string, body []byte) (*Response, time.Duration, error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, 0, c.badResponse(method, what, err)
	}
	if env.errorObject != nil {
		var re RPCError
		if err := json.Unmarshal(env.errorObject, &re); err != nil {
			return nil, 0, &ResponseError{Source: c.opts.Source, Method: method, What: what, Offset: -1, Msg: "malformed error object: " + err.Error()}
		}
		re.classify(method)
		// A node or gateway may echo its request path (where providers put
		// the key: /v3/KEY) or query: mask the URL's parts in its text (F102).
		re.Message = scrubURL(re.Message, c.opts.URL, c.redacted)
		if s, ok := re.Data.(string); ok {
			re.Data = scrubURL(s, c.opts.URL, c.redacted)
		}
		return nil, 0, fmt.Errorf("source %q: %s (%s): %w", c.opts.Source, method, what, &re)
	}
	return &Response{Body: body, Result: env.result, ResultOffset: env.resultOff}, 0, nil
}

// badResponse turns a parse error into a *ResponseError.
func (c *Client) badResponse(method, what string, err error) error {
	re := &ResponseError{Source: c.opts.Source, Method: method, What: what, Offset: -1, Msg: err.Error()}
	var se *syntaxError
	if errors.As(err, &se) {
		re.Offset, re.Msg = se.off, se.msg
	}
	return re
}

// transportErr classifies a failure to send or read a request.
func (c *Client) transportErr(ctx context.Context, method, what string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("source %q: %s (%s): %w", c.opts.Source, method, what, ctx.Err())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // *url.Error prints the URL, which may hold a key
	}
	kind, cause := "connection failed", errors.New(c.scrub(err.Error()))
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		kind, cause = "no answer", ErrTimeout
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		kind = "connection reset"
	}
	return fmt.Errorf("%w: source %q: %s (%s) at %s: %s: %w", sources.ErrTransient, c.opts.Source, method, what, c.redacted, kind, cause)
}

// ErrTimeout marks an attempt that got no answer within Options.Timeout.
var ErrTimeout = errors.New("request timed out")

// statusErr classifies a non-200 HTTP status.
func (c *Client) statusErr(method, what string, res *http.Response) error {
	snippet, _ := io.ReadAll(io.LimitReader(res.Body, 256))
	msg := fmt.Sprintf("source %q: %s (%s) at %s: HTTP %s: %s", c.opts.Source, method, what, c.redacted, res.Status, c.scrub(string(bytes.TrimSpace(snippet))))
	switch {
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500 || res.StatusCode == http.StatusRequestTimeout:
		return fmt.Errorf("%w: %s", sources.ErrTransient, msg)
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%w: %s (check the rpc url and its key)", sources.ErrConfig, msg)
	case res.StatusCode == http.StatusRequestEntityTooLarge && method == "eth_getLogs":
		return fmt.Errorf("%w: %s: %w", sources.ErrTransient, msg, ErrRangeTooLarge)
	}
	return fmt.Errorf("%w: %s", sources.ErrBadInput, msg)
}

func (c *Client) scrub(msg string) string { return scrub(msg, c.opts.URL, c.redacted) }

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(res *http.Response) time.Duration {
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// noReferer is the client's CheckRedirect: net/http's default policy (at
// most 10 redirects) without the Referer it sets to the previous URL, which
// holds the node's key (Infura /v3/KEY, ?apikey=).
func noReferer(req *http.Request, via []*http.Request) error {
	req.Header.Del("Referer")
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}
