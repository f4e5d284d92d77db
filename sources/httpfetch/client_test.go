package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func fast() Config {
	c := DefaultConfig(0)
	c.Timeout, c.Attempts, c.BackoffMin, c.BackoffMax, c.MaxRetryAfter = time.Second, 3, time.Millisecond, 4*time.Millisecond, time.Second
	return c
}

// server answers the n-th request (1-based) with answers[n-1], then 200.
func server(t *testing.T, answers ...func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1))
		if i <= len(answers) && answers[i-1] != nil {
			answers[i-1](w)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, hdr ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, "status %d", code)
	}
}

func client(t *testing.T, cfg Config, raw sources.RawStore, secrets ...string) *Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return New("src", cfg, sources.Deps{HTTP: &http.Client{Transport: tr}, Raw: raw}, NewRedactor(secrets...))
}

func TestDo(t *testing.T) {
	tests := []struct {
		name     string
		answers  []func(http.ResponseWriter)
		wantErr  error
		wantMsg  string
		requests int32
	}{
		{"ok", nil, nil, "", 1},
		{"500 then ok", []func(http.ResponseWriter){status(500), status(502)}, nil, "", 3},
		{"408 then ok", []func(http.ResponseWriter){status(408)}, nil, "", 2},
		{"429 Retry-After 0", []func(http.ResponseWriter){status(429, "Retry-After", "0")}, nil, "", 2},
		{"503 persists", []func(http.ResponseWriter){status(503), status(503), status(503)}, sources.ErrTransient, "giving up (last answer HTTP 503) after 3 attempts: HTTP 503: status 503", 3},
		{"429 too long", []func(http.ResponseWriter){status(429, "Retry-After", "60")}, sources.ErrTransient, "asks to wait 1m0s", 1},
		{"401", []func(http.ResponseWriter){status(401)}, sources.ErrConfig, "HTTP 401 (check the URL and the API key)", 1},
		{"404", []func(http.ResponseWriter){status(404)}, sources.ErrConfig, "HTTP 404", 1},
		{"400", []func(http.ResponseWriter){status(400)}, sources.ErrBadInput, "HTTP 400: status 400", 1},
		{"quota exhausted far away", []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.Header().Set("X-Api-Key-Remaining", "0")
			w.Header().Set("X-Api-Key-Reset", fmt.Sprint(time.Now().Add(time.Hour).UnixMilli()))
			fmt.Fprint(w, "{}")
		}}, nil, "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := server(t, tc.answers...)
			c := client(t, fast(), nil)
			resp, err := c.Do(context.Background(), &Request{URL: srv.URL + "/x?apiKey=s3cr3t", Page: "page 1"})
			if n.Load() != tc.requests {
				t.Errorf("%d requests, want %d", n.Load(), tc.requests)
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if resp.Digest != datasets.Hash(sha(resp.Body)) || resp.Attempts != int(tc.requests) {
					t.Fatalf("digest or attempts wrong: %+v", resp)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v, want %v with %q", err, tc.wantErr, tc.wantMsg)
			}
			if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "apiKey=REDACTED") || !strings.Contains(err.Error(), "(page 1)") {
				t.Fatalf("the error must name the request with its key masked: %v", err)
			}
		})
	}
}

func TestQuotaPause(t *testing.T) {
	srv, n := server(t, func(w http.ResponseWriter) {
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", "0.2")
		fmt.Fprint(w, "{}")
	})
	c := client(t, fast(), nil)
	began := time.Now()
	for range 2 {
		if _, err := c.Do(context.Background(), &Request{URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(began); took < 200*time.Millisecond || n.Load() != 2 {
		t.Fatalf("the second request went out after %v; the quota reset was 200ms away", took)
	}
	// A reset beyond max_retry_after fails at once.
	srv2, _ := server(t, func(w http.ResponseWriter) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Hour).Unix()))
	})
	c2 := client(t, fast(), nil)
	c2.Do(context.Background(), &Request{URL: srv2.URL})
	if _, err := c2.Do(context.Background(), &Request{URL: srv2.URL}); !errors.Is(err, sources.ErrTransient) || !strings.Contains(err.Error(), "quota is exhausted") {
		t.Fatalf("far reset: %v", err)
	}
}

func TestRateLimit(t *testing.T) {
	srv, _ := server(t)
	cfg := fast()
	cfg.RateLimit, cfg.Burst = 20, 1
	c := client(t, cfg, nil)
	began := time.Now()
	for range 5 {
		if _, err := c.Do(context.Background(), &Request{URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(began); took < 190*time.Millisecond {
		t.Fatalf("5 requests at 20/s took %v", took)
	}
}

func TestCancel(t *testing.T) {
	srv, _ := server(t, status(503), status(503))
	cfg := fast()
	cfg.BackoffMin, cfg.BackoffMax = time.Minute, time.Minute
	c := client(t, cfg, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, &Request{URL: srv.URL})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, sources.ErrTransient) {
		t.Fatalf("cancelled during a backoff: %v", err)
	}
}

func TestCheckRetries(t *testing.T) {
	srv, n := server(t)
	c := client(t, fast(), nil)
	calls := 0
	_, err := c.Do(context.Background(), &Request{URL: srv.URL, Check: func(*Response) error {
		calls++
		if calls < 2 {
			return fmt.Errorf("%w: the origin said try again", sources.ErrTransient)
		}
		return nil
	}})
	if err != nil || n.Load() != 2 {
		t.Fatalf("%v after %d requests", err, n.Load())
	}
	_, err = c.Do(context.Background(), &Request{URL: srv.URL, Check: func(*Response) error { return sources.ErrBadInput }})
	if !errors.Is(err, sources.ErrBadInput) {
		t.Fatalf("non-transient check error: %v", err)
	}
}

type memRaw map[datasets.Hash][]byte

func (m memRaw) Put(_ context.Context, b []byte) (datasets.Hash, error) {
	h := datasets.Hash(sha(b))
	m[h] = b
	return h, nil
}

func (m memRaw) Get(_ context.Context, h datasets.Hash) ([]byte, error) { return m[h], nil }

func TestKeep(t *testing.T) {
	srv, _ := server(t)
	raw := memRaw{}
	c := client(t, fast(), raw)
	resp, err := c.Do(context.Background(), &Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.Keep(context.Background(), resp)
	if err != nil || string(raw[h]) != `{"ok":true}` {
		t.Fatalf("%v %q", err, raw[h])
	}
}
