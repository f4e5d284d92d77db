package fakeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Item is one object (a space, a proposal, a vote) as the hub answers it:
// its fields as raw JSON, served verbatim (Any values keep their key order).
type Item map[string]json.RawMessage

// HubData is what a Hub serves.
type HubData struct {
	Spaces, Proposals, Votes []Item
}

// HubOptions configure a Hub.
type HubOptions struct {
	// APIKey, when set, is the only key accepted: a request carrying
	// another key (x-api-key header or apiKey query parameter) gets the
	// hub's 401. Requests without a key are served, as on the real hub.
	APIKey string
	// KeyLimit is the number of keyed requests per KeyPeriod (0: no
	// quota). Keyed answers carry X-Api-Key-Limit, X-Api-Key-Remaining and
	// X-Api-Key-Reset (Unix milliseconds); past the quota the hub answers
	// 429 until the period ends.
	KeyLimit int
	// KeyPeriod is the quota period (default one minute).
	KeyPeriod time.Duration
}

// HubCall is one list query the hub received.
type HubCall struct {
	Field          string // votes, proposals, spaces
	First, Skip    int64
	Where          map[string]any
	OrderBy        string
	OrderDirection string
	APIKey         string // the key the request carried
	Rows           int    // items answered (0 when the call failed)
}

// Hub is a stand-in for the Snapshot hub's GraphQL API (POST /graphql),
// answering like snapshot-labs/snapshot-hub: the same argument caps and
// error bodies, where filters, ordering (by the chosen field, then id
// ascending) and field selection. It is an http.Handler; Start serves it
// on 127.0.0.1.
type Hub struct {
	// URL is the GraphQL endpoint once started.
	URL string

	srv  *httptest.Server
	opts HubOptions
	f    *faults

	mu         sync.Mutex
	coll       map[string][]*record
	byID       map[string]map[string]*record
	calls      []HubCall
	quotaUsed  int
	quotaReset time.Time
}

// NewHub returns a hub serving data; it is not listening yet.
func NewHub(data HubData, opts HubOptions) *Hub {
	if opts.KeyPeriod <= 0 {
		opts.KeyPeriod = time.Minute
	}
	h := &Hub{opts: opts, f: newFaults()}
	h.SetData(data)
	return h
}

// StartHub returns a hub serving data on 127.0.0.1.
func StartHub(data HubData, opts HubOptions) *Hub {
	h := NewHub(data, opts)
	h.Start()
	return h
}

// Start serves the hub on a free 127.0.0.1 port and sets URL.
func (h *Hub) Start() {
	h.srv = httptest.NewServer(h)
	h.URL = h.srv.URL + "/graphql"
}

// Close releases hanging requests and stops the server.
func (h *Hub) Close() {
	h.f.close()
	if h.srv != nil {
		h.srv.Close()
	}
}

// SetFaults sets the fault injector (nil: none); the injector numbers
// requests from 1 after this call.
func (h *Hub) SetFaults(in Injector) { h.f.set(in) }

// Requests returns how many requests the hub received.
func (h *Hub) Requests() int { return h.f.count() }

// SetData replaces the served data (e.g. to turn pending votes final).
func (h *Hub) SetData(d HubData) {
	coll := map[string][]*record{}
	byID := map[string]map[string]*record{}
	for name, items := range map[string][]Item{"spaces": d.Spaces, "proposals": d.Proposals, "votes": d.Votes} {
		byID[name] = map[string]*record{}
		for _, it := range items {
			r := newRecord(it)
			coll[name] = append(coll[name], r)
			byID[name][r.id] = r
		}
	}
	h.mu.Lock()
	h.coll, h.byID = coll, byID
	h.mu.Unlock()
}

// Calls returns the list queries received so far.
func (h *Hub) Calls() []HubCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]HubCall(nil), h.calls...)
}

// MaxFirst and MaxSkip return the largest first and skip arguments seen,
// including those of rejected calls.
func (h *Hub) MaxFirst() int64 { return h.maxArg(func(c HubCall) int64 { return c.First }) }

// MaxSkip returns the largest skip argument seen.
func (h *Hub) MaxSkip() int64 { return h.maxArg(func(c HubCall) int64 { return c.Skip }) }

func (h *Hub) maxArg(get func(HubCall) int64) int64 {
	var m int64
	for _, c := range h.Calls() {
		m = max(m, get(c))
	}
	return m
}

// ServeHTTP answers POST /graphql (and GET /graphql?query=...).
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const ct = "application/json; charset=utf-8"
	ft := h.f.next(r)
	if r.URL.Path != "/graphql" {
		h.f.serve(w, r, ft, ct, http.StatusNotFound, hubError("not found"), hubStatusBody)
		return
	}
	key := r.Header.Get("X-Api-Key")
	if key == "" {
		key = r.URL.Query().Get("apiKey")
	}
	if status, body := h.keycard(w, key); status != 0 {
		h.f.serve(w, r, ft, ct, status, body, hubStatusBody)
		return
	}
	status, body := h.answer(r, key)
	h.f.serve(w, r, ft, ct, status, body, hubStatusBody)
}

// keycard checks the API key and counts the quota, like the hub's keycard
// middleware; it returns a non-zero status to refuse the request.
func (h *Hub) keycard(w http.ResponseWriter, key string) (int, []byte) {
	if key == "" || h.opts.APIKey == "" {
		return 0, nil
	}
	if key != h.opts.APIKey {
		return http.StatusUnauthorized, hubError("invalid api key")
	}
	if h.opts.KeyLimit <= 0 {
		return 0, nil
	}
	h.mu.Lock()
	now := time.Now()
	if !now.Before(h.quotaReset) {
		h.quotaUsed, h.quotaReset = 0, now.Add(h.opts.KeyPeriod)
	}
	h.quotaUsed++
	used, reset := h.quotaUsed, h.quotaReset
	h.mu.Unlock()
	rem := max(h.opts.KeyLimit-used, 0)
	w.Header().Set("X-Api-Key-Limit", strconv.Itoa(h.opts.KeyLimit))
	w.Header().Set("X-Api-Key-Remaining", strconv.Itoa(rem))
	w.Header().Set("X-Api-Key-Reset", strconv.FormatInt(reset.UnixMilli(), 10))
	if used > h.opts.KeyLimit {
		return http.StatusTooManyRequests, hubError("too many requests")
	}
	return 0, nil
}

// hubError is the body of the hub's sendError.
func hubError(description string) []byte {
	b, _ := json.Marshal(map[string]string{"error": "unauthorized", "error_description": description})
	return b
}

// hubStatusBody is what the hub (or the proxy in front of it) sends with an
// error status.
func hubStatusBody(status int) []byte {
	switch {
	case status == http.StatusTooManyRequests:
		return hubError("too many requests, Refer to https://docs.snapshot.org/tools/api/api-keys#limits")
	case status >= 500:
		return []byte("<html>\r\n<head><title>" + strconv.Itoa(status) + " " + http.StatusText(status) +
			"</title></head>\r\n<body>\r\n<center><h1>" + strconv.Itoa(status) + " " + http.StatusText(status) +
			"</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n")
	}
	return hubError(http.StatusText(status))
}

// gqlRequest is the body of a GraphQL request.
type gqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

// answer parses and runs the request; it returns the status and body.
func (h *Hub) answer(r *http.Request, key string) (int, []byte) {
	var req gqlRequest
	if r.Method == http.MethodGet {
		req.Query = r.URL.Query().Get("query")
		if v := r.URL.Query().Get("variables"); v != "" {
			d := json.NewDecoder(bytes.NewReader([]byte(v)))
			d.UseNumber()
			if d.Decode(&req.Variables) != nil {
				return http.StatusBadRequest, gqlErrors(&gqlError{Msg: "Variables are invalid JSON."})
			}
		}
	} else {
		d := json.NewDecoder(r.Body)
		d.UseNumber()
		if err := d.Decode(&req); err != nil {
			return http.StatusBadRequest, gqlErrors(&gqlError{Msg: "POST body sent invalid JSON."})
		}
	}
	if req.Query == "" {
		return http.StatusBadRequest, gqlErrors(&gqlError{Msg: "Must provide query string."})
	}
	if req.Variables == nil {
		req.Variables = map[string]any{}
	}
	normalise(req.Variables)
	fields, err := parseQuery(req.Query, req.Variables)
	if err != nil {
		return http.StatusBadRequest, gqlErrors(err.(*gqlError))
	}
	if errs := validate(fields, "Query", true); len(errs) > 0 {
		return http.StatusBadRequest, gqlErrors(errs...)
	}
	return h.execute(fields, key)
}

// gqlErrors renders errors the way express-graphql does.
func gqlErrors(errs ...*gqlError) []byte {
	type loc struct {
		Line   int `json:"line"`
		Column int `json:"column"`
	}
	type item struct {
		Message   string `json:"message"`
		Locations []loc  `json:"locations,omitempty"`
		Path      []any  `json:"path,omitempty"`
	}
	out := struct {
		Errors []item `json:"errors"`
	}{}
	for _, e := range errs {
		it := item{Message: e.Msg}
		if e.Line > 0 {
			it.Locations = []loc{{e.Line, e.Col}}
		}
		if e.path != "" {
			it.Path = []any{e.path}
		}
		out.Errors = append(out.Errors, it)
	}
	b, _ := json.Marshal(out)
	return b
}
