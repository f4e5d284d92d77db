package fakeapi

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is a misbehaviour injected into one answer. The zero value means
// "answer normally".
type Fault struct {
	// Status, when non-zero, answers with this status and the body the
	// real service sends with it (429: its rate-limit message; 5xx: an
	// error page).
	Status int
	// RetryAfter is the Retry-After header sent with Status ("1", "0.05",
	// or an HTTP date); empty sends none.
	RetryAfter string
	// Delay holds the answer back this long (a slow origin); it combines
	// with the other fields.
	Delay time.Duration
	// Header holds extra headers for the answer.
	Header http.Header
	// Hang holds the request until the client gives up (its timeout) or the
	// server closes.
	Hang bool
	// CutOff announces the full Content-Length, sends the first half of the
	// real body and drops the connection.
	CutOff bool
	// Truncate answers 200 with only the first half of the real body, with
	// a matching Content-Length (a proxy that cut the document).
	Truncate bool
	// Garbage answers 200 with Body, or GarbageBody when Body is nil.
	Garbage bool
	// Body replaces the body of a Garbage answer.
	Body []byte
}

// GarbageBody is the body of a Garbage answer: JSON that breaks at a known
// byte offset (json.Unmarshal reports a syntax error at offset 19).
var GarbageBody = []byte(`{"data": {"rows": @@@ not json`)

// TooMany returns a 429 fault with the given Retry-After.
func TooMany(retryAfter string) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// Status returns a fault answering with the given status.
func Status(code int) Fault { return Fault{Status: code} }

// Hang returns a fault that holds the request until the client gives up.
func Hang() Fault { return Fault{Hang: true} }

// CutOff returns a fault that drops the connection in the middle of the body.
func CutOff() Fault { return Fault{CutOff: true} }

// Truncate returns a fault that sends half the body as if it were complete.
func Truncate() Fault { return Fault{Truncate: true} }

// Garbage returns a fault that answers 200 with GarbageBody.
func Garbage() Fault { return Fault{Garbage: true} }

// Injector chooses the fault for the n-th request (1-based) a server
// receives after the injector was set; it is called for every request,
// concurrently.
type Injector func(n int, r *http.Request) Fault

// Sequence injects faults[i] into request i+1 and nothing afterwards.
func Sequence(faults ...Fault) Injector {
	return func(n int, _ *http.Request) Fault {
		if n-1 < len(faults) {
			return faults[n-1]
		}
		return Fault{}
	}
}

// Always injects f into every request.
func Always(f Fault) Injector {
	return func(int, *http.Request) Fault { return f }
}

// Every injects f into every k-th request (k, 2k, ...).
func Every(k int, f Fault) Injector {
	return func(n int, _ *http.Request) Fault {
		if k > 0 && n%k == 0 {
			return f
		}
		return Fault{}
	}
}

// faults holds a server's injector and request counter.
type faults struct {
	mu      sync.Mutex
	inject  Injector
	n       int // requests since inject was set
	total   int
	closing chan struct{}
	once    sync.Once
}

func newFaults() *faults { return &faults{closing: make(chan struct{})} }

func (f *faults) set(in Injector) {
	f.mu.Lock()
	f.inject, f.n = in, 0
	f.mu.Unlock()
}

// next counts a request and returns its fault.
func (f *faults) next(r *http.Request) Fault {
	f.mu.Lock()
	f.n++
	f.total++
	n, in := f.n, f.inject
	f.mu.Unlock()
	if in == nil {
		return Fault{}
	}
	return in(n, r)
}

func (f *faults) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.total
}

func (f *faults) close() { f.once.Do(func() { close(f.closing) }) }

// serve answers w with status and body, or with the fault's misbehaviour.
// statusBody gives the real service's body for an error status.
func (f *faults) serve(w http.ResponseWriter, r *http.Request, ft Fault, contentType string, status int, body []byte, statusBody func(int) []byte) {
	for k, vs := range ft.Header {
		w.Header()[k] = vs
	}
	if ft.Delay > 0 {
		t := time.NewTimer(ft.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
		case <-f.closing:
		}
		t.Stop()
	}
	switch {
	case ft.Hang:
		select {
		case <-r.Context().Done():
		case <-f.closing:
		}
		return
	case ft.Status != 0:
		if ft.RetryAfter != "" {
			w.Header().Set("Retry-After", ft.RetryAfter)
		}
		b := statusBody(ft.Status)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(ft.Status)
		w.Write(b)
		return
	case ft.Garbage:
		status, body = http.StatusOK, GarbageBody
		if ft.Body != nil {
			body = ft.Body
		}
	case ft.Truncate:
		body = body[:len(body)/2]
	case ft.CutOff && len(body) < 2:
		panic(http.ErrAbortHandler)
	case ft.CutOff:
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // the server drops the connection
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
