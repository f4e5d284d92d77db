package chainrpc

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// ErrRangeTooLarge means the node refused an eth_getLogs range as too large
// (too many results, a response too large or a query timeout); the caller
// splits the range. It is returned wrapped in an *RPCError or a
// *TooLargeError.
var ErrRangeTooLarge = errors.New("block range too large for the node")

// RPCError is an error object of a JSON-RPC response.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	// Data is the raw data member, if any.
	Data any `json:"data,omitempty"`
	// kind is the classification: errKindRange, errKindTransient or 0.
	kind errKind
	// hint is a block range the node suggested, when it named one.
	hint *Range
}

type errKind int

const (
	errKindOther errKind = iota
	errKindRange
	errKindTransient
)

// Error returns the node's message with control characters escaped (it is
// upstream text).
func (e *RPCError) Error() string {
	msg := fmt.Sprintf("node error %d: %s", e.Code, e.Message)
	if e.Data != nil {
		if s, ok := e.Data.(string); ok {
			msg += " (" + clip([]byte(s)) + ")"
		}
	}
	return redact.Escape(msg)
}

// Unwrap classifies the error for errors.Is: a refused range is
// ErrRangeTooLarge (and sources.ErrTransient, as a node with a higher limit
// would answer), "method not found" and "invalid params" are
// sources.ErrConfig, anything else sources.ErrTransient. Only errors of
// the transient kind (rate limits, a node catching up) are retried by
// Client.Call; the others are returned at once.
func (e *RPCError) Unwrap() []error {
	switch {
	case e.kind == errKindRange:
		return []error{ErrRangeTooLarge, sources.ErrTransient}
	case e.kind == errKindOther && (e.Code == -32601 || e.Code == -32602):
		return []error{sources.ErrConfig}
	}
	return []error{sources.ErrTransient}
}

// Hint returns the block range the node suggested in its message, if any.
func (e *RPCError) Hint() (Range, bool) {
	if e.hint == nil {
		return Range{}, false
	}
	return *e.hint, true
}

// Texts by which nodes and providers refuse eth_getLogs ranges: geth and
// Infura ("query returned more than 10000 results"), Alchemy ("Log response
// size exceeded ... this block range should work: [0x.., 0x..]"), zkSync,
// Nethermind ("Too many logs requested"), reth ("query exceeds max results
// 20000, retry with the range a-b"), QuickNode, BlockPI, Ankr, Chainstack,
// Tenderly ("range N is bigger than range limit M") and query timeouts.
var rangeTexts = []string{
	"query returned more than", "more than 10000 results", "too many results", "too many logs",
	"exceeds max results", "max results", "log response size exceeded", "response size exceeded",
	"response size should not", "response is too big", "response too large", "response size is larger",
	"result set too large", "block range", "range is too large", "range too large", "range limit",
	"exceeds limit of", "range exceeds", "too wide", "is limited to", "ranges over", "max range",
	"exceed maximum", "query timeout", "timeout exceeded", "timed out", "execution aborted (timeout",
	"try with this block range", "retry with the range",
}

// Texts of refusals that go away when retried later.
var transientTexts = []string{
	"rate limit", "too many requests", "request rate", "exceeded the quota", "capacity",
	"header not found", "unknown block", "busy", "try again", "temporarily", "unavailable",
	"internal error", "connection", "overloaded",
}

var (
	hintHexRE = regexp.MustCompile(`\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]`)
	hintDecRE = regexp.MustCompile(`range (\d+)\s*-\s*(\d+)`)
)

// classify sets the kind and hint of an error returned for method.
func (e *RPCError) classify(method string) {
	msg := strings.ToLower(e.Message)
	if d, ok := e.Data.(string); ok {
		msg += " " + strings.ToLower(d)
	}
	for _, t := range transientTexts {
		if strings.Contains(msg, t) && !(t == "internal error" && method == "eth_getLogs" && containsAny(msg, rangeTexts)) {
			e.kind = errKindTransient
			return
		}
	}
	if method == "eth_getLogs" && containsAny(msg, rangeTexts) {
		e.kind = errKindRange
		e.hint = parseHint(e.Message)
		return
	}
	if e.Code == -32005 { // "limit exceeded" without a range text: rate limiting
		e.kind = errKindTransient
	}
}

func containsAny(s string, subs []string) bool {
	for _, t := range subs {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// parseHint extracts a suggested block range from a refusal message.
func parseHint(msg string) *Range {
	if m := hintHexRE.FindStringSubmatch(msg); m != nil {
		from, err1 := strconv.ParseUint(m[1][2:], 16, 64)
		to, err2 := strconv.ParseUint(m[2][2:], 16, 64)
		if err1 == nil && err2 == nil && from <= to {
			return &Range{From: from, To: to}
		}
	}
	if m := hintDecRE.FindStringSubmatch(msg); m != nil {
		from, err1 := strconv.ParseUint(m[1], 10, 64)
		to, err2 := strconv.ParseUint(m[2], 10, 64)
		if err1 == nil && err2 == nil && from <= to {
			return &Range{From: from, To: to}
		}
	}
	return nil
}

// TooLargeError says a response body exceeded the configured size limit.
type TooLargeError struct {
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("response larger than max_response_bytes (%d)", e.Limit)
}

// Unwrap returns ErrRangeTooLarge (a smaller range gives a smaller body)
// and sources.ErrTransient.
func (e *TooLargeError) Unwrap() []error { return []error{ErrRangeTooLarge, sources.ErrTransient} }

// ResponseError is a response that does not parse or does not make sense.
// It wraps sources.ErrBadInput and names the source, the request (method
// and what it asked for) and the byte offset in the body.
type ResponseError struct {
	Source string
	Method string
	// What describes the request's arguments, e.g. "blocks 100-199".
	What string
	// Offset is the byte offset in the response body, or -1.
	Offset int
	Msg    string
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: source %q: %s", sources.ErrBadInput, e.Source, e.Method)
	if e.What != "" {
		fmt.Fprintf(&b, " (%s)", e.What)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, ": byte %d", e.Offset)
	}
	fmt.Fprintf(&b, ": %s", e.Msg)
	return redact.Escape(b.String())
}

// Unwrap returns sources.ErrBadInput.
func (e *ResponseError) Unwrap() error { return sources.ErrBadInput }

// Redact returns the scheme and host of an RPC URL, dropping the path, the
// query and any user information, which often hold API keys.
func Redact(raw string) string { return redact.Origin(raw) }

// scrub replaces every occurrence of the secret parts of rawURL in msg,
// masks any other URL's secrets and escapes control characters (msg may
// quote the node's answer).
func scrub(msg, rawURL, redacted string) string {
	return redact.Escape(redact.URLs(scrubURL(msg, rawURL, redacted)))
}

func scrubURL(msg, rawURL, redacted string) string {
	if rawURL == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, rawURL, redacted)
	u, err := url.Parse(rawURL)
	if err != nil {
		return msg
	}
	secrets := []string{u.RawQuery, u.Path, u.User.String()}
	secrets = append(secrets, strings.Split(u.Path, "/")...)
	for _, vs := range u.Query() {
		secrets = append(secrets, vs...)
	}
	if pw, ok := u.User.Password(); ok {
		secrets = append(secrets, pw)
	}
	for _, secret := range secrets {
		if len(secret) >= 6 {
			msg = strings.ReplaceAll(msg, secret, "…")
		}
	}
	return msg
}
