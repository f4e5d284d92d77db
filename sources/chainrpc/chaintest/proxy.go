package chaintest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ProxyOptions say how a Proxy misbehaves.
type ProxyOptions struct {
	// MaxLogs refuses eth_getLogs answers with more logs than this (0: no
	// limit) with geth's and Infura's error text.
	MaxLogs int
	// FailRate is the share of requests answered with HTTP 502/503.
	FailRate float64
	// HangRate is the share of requests held without an answer until the
	// client gives up (a timeout).
	HangRate float64
	// Seed seeds the fault choices.
	Seed uint64
	// Mutate, when set, may rewrite an upstream response body.
	Mutate func(method string, body []byte) []byte
}

// Proxy is a JSON-RPC proxy on 127.0.0.1 in front of a node that injects
// faults. Its counters say what it did.
type Proxy struct {
	URL string

	opts     ProxyOptions
	upstream string
	client   *http.Client
	mu       sync.Mutex
	rnd      *rand.Rand

	Forwarded, Refused, Failed, Hung atomic.Int64
}

// NewProxy starts a proxy in front of upstream, closed when the test ends.
func NewProxy(t testing.TB, upstream string, opts ProxyOptions) *Proxy {
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	p := &Proxy{opts: opts, upstream: upstream, client: &http.Client{Transport: tr}, rnd: rand.New(rand.NewPCG(opts.Seed, 7))}
	srv := httptest.NewServer(p)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		tr.CloseIdleConnections()
	})
	p.URL = srv.URL
	return p
}

func (p *Proxy) roll() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rnd.Float64()
}

// ServeHTTP forwards one request, or misbehaves.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	_ = json.Unmarshal(body, &req)
	switch x := p.roll(); {
	case x < p.opts.FailRate:
		p.Failed.Add(1)
		code := http.StatusBadGateway
		if x < p.opts.FailRate/2 {
			code = http.StatusServiceUnavailable
		}
		http.Error(w, "upstream unavailable", code)
		return
	case x < p.opts.FailRate+p.opts.HangRate:
		p.Hung.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
		return
	}
	resp, err := p.client.Post(p.upstream, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	p.Forwarded.Add(1)
	if req.Method == "eth_getLogs" && p.opts.MaxLogs > 0 {
		var res struct {
			Result []json.RawMessage `json:"result"`
		}
		if json.Unmarshal(out, &res) == nil && len(res.Result) > p.opts.MaxLogs {
			p.Refused.Add(1)
			out = []byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":"query returned more than %d results"}}`, req.ID, p.opts.MaxLogs))
		}
	}
	if p.opts.Mutate != nil {
		out = p.opts.Mutate(req.Method, out)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(out)
}
