package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Sentinel errors of the server; every refusal wraps one of them with %w
// and maps to one HTTP status and errorType.
var (
	// ErrBadRequest means a malformed parameter, path or query.
	ErrBadRequest = errors.New("bad request")
	// ErrNotFound means an unknown (or out-of-scope) dataset, version or row.
	ErrNotFound = errors.New("not found")
	// ErrNotAttested means the version exists but no k stewards attested it.
	ErrNotAttested = errors.New("not attested")
	// ErrPending means fewer than k stewards signed the version so far.
	ErrPending = errors.New("pending attestation")
	// ErrRevoked means the version's attestation was revoked.
	ErrRevoked = errors.New("revoked")
	// ErrUnconfirmed means the chain does not confirm the recorded attestation.
	ErrUnconfirmed = errors.New("attestation not confirmed on-chain")
	// ErrUnauthorized means no valid bearer token was given.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrRateLimited means the token exceeded its request rate.
	ErrRateLimited = errors.New("rate limited")
	// ErrRange means an unsatisfiable or malformed byte range.
	ErrRange = errors.New("range not satisfiable")
	// ErrConflict means the request is well-formed but cannot be answered
	// for these versions (e.g. a consistency proof to a non-append version).
	ErrConflict = errors.New("conflict")
	// ErrUnavailable means the answer is not ready (rows not queryable yet).
	ErrUnavailable = errors.New("unavailable")
	// ErrQuery means a SQL query was refused or failed.
	ErrQuery = errors.New("query refused")
	// ErrCorrupt means a file of the version does not match the SHA-256 its
	// attested manifest names (changed, truncated or missing): the version
	// is not served until the file is restored.
	ErrCorrupt = errors.New("corrupt")
	// ErrChainStale means revocations could not be checked on-chain for
	// longer than the configured staleness bound: attested data is not
	// served until the chain answers again.
	ErrChainStale = errors.New("chain unreachable")
	// ErrResultTooLarge means a query's result exceeds the result byte limit.
	ErrResultTooLarge = errors.New("result too large")
	// ErrBusy means the server could not take the request in time (no SQL
	// slot within the bounded wait, or too many MCP sessions).
	ErrBusy = errors.New("server busy")
	// ErrStarting means the server has not finished its first check of the
	// catalog and the chain: it does not know yet what it may serve.
	ErrStarting = errors.New("starting")
)

// errorClasses maps sentinels to status and errorType, in match order.
var errorClasses = []struct {
	err    error
	status int
	kind   string
}{
	{ErrBadRequest, http.StatusBadRequest, "bad_request"},
	{ErrResultTooLarge, http.StatusBadRequest, "result_too_large"},
	{ErrQuery, http.StatusBadRequest, "query_refused"},
	{ErrNotFound, http.StatusNotFound, "not_found"},
	{ErrNotAttested, http.StatusForbidden, "not_attested"},
	{ErrPending, http.StatusForbidden, "pending"},
	{ErrRevoked, http.StatusForbidden, "revoked"},
	{ErrUnconfirmed, http.StatusForbidden, "unconfirmed"},
	{ErrUnauthorized, http.StatusUnauthorized, "unauthorized"},
	{ErrRateLimited, http.StatusTooManyRequests, "rate_limited"},
	{ErrRange, http.StatusRequestedRangeNotSatisfiable, "range_not_satisfiable"},
	{ErrConflict, http.StatusConflict, "conflict"},
	{ErrUnavailable, http.StatusServiceUnavailable, "unavailable"},
	{ErrCorrupt, http.StatusServiceUnavailable, "corrupt"},
	{ErrChainStale, http.StatusServiceUnavailable, "chain_unreachable"},
	{ErrBusy, http.StatusServiceUnavailable, "busy"},
	{ErrStarting, http.StatusServiceUnavailable, "starting"},
}

// Classify returns the HTTP status and errorType of err (500 "internal"
// for anything else).
func Classify(err error) (int, string) {
	for _, c := range errorClasses {
		if errors.Is(err, c.err) {
			return c.status, c.kind
		}
	}
	return http.StatusInternalServerError, "internal"
}

// writeError writes the JSON error envelope. Internal errors are logged by
// the caller and answered without their details.
func writeError(w http.ResponseWriter, err error) {
	status, kind := Classify(err)
	msg := err.Error()
	if status == http.StatusInternalServerError {
		msg = "internal error (see the server log)"
	}
	writeJSON(w, status, api.Error{Status: status, ErrorType: kind, Error: msg})
}

// writeJSON writes v as JSON with a status. The answer is encoded into a
// pooled buffer and its header values are shared slices, so a row with
// its proof (the most frequent answer) allocates no output copy.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBufs.Get().(*bytes.Buffer)
	defer putJSONBuf(buf)
	buf.Reset()
	if err := encodeJSON(buf, v); err != nil {
		buf.Reset()
		fmt.Fprintf(buf, `{"status":500,"errorType":"internal","error":%q}`+"\n", err.Error())
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["X-Content-Type-Options"] = noSniff
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// encodeJSON writes v and a newline into buf: a row with its proof (the
// most frequent answer) through api.AppendRowJSON, the same bytes without
// reflection; anything else through encoding/json.
func encodeJSON(buf *bytes.Buffer, v any) error {
	row, ok := v.(*api.Row)
	if !ok {
		return json.NewEncoder(buf).Encode(v) // Encode adds the '\n'
	}
	b, err := api.AppendRowJSON(buf.AvailableBuffer(), row)
	if err != nil {
		return err
	}
	buf.Write(b)
	return buf.WriteByte('\n')
}

// Header values shared by every JSON answer (net/http only reads them).
var (
	jsonContentType = []string{"application/json"}
	noSniff         = []string{"nosniff"}
)

// jsonBufs holds the buffers writeJSON encodes into.
var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledJSON is the largest buffer kept for reuse: a large answer (a
// query result) is left to the GC instead of pinning its buffer.
const maxPooledJSON = 64 << 10

func putJSONBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooledJSON {
		jsonBufs.Put(b)
	}
}

// badRequest wraps ErrBadRequest with a message.
func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}
