package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// seen records what a server received.
type seen struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (s *seen) add(r *http.Request) { s.mu.Lock(); s.reqs = append(s.reqs, r); s.mu.Unlock() }
func (s *seen) all() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.reqs...)
}

// redirector answers /start with a 302 to target (a func of its own URL)
// and anything else with 200.
func redirector(t *testing.T, target func(self string) string) (*httptest.Server, *seen) {
	s := &seen{}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		if r.URL.Path == "/start" {
			http.Redirect(w, r, target(srv.URL), http.StatusFound)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

func keyed(u string) *Request {
	return &Request{URL: u + "/start?x_cg_demo_api_key=the-api-key-1&vs=usd",
		Header: http.Header{"X-Cg-Demo-Api-Key": {"the-api-key-1"}, "Authorization": {"Bearer the-api-key-1"}}}
}

func TestRedirectSameOriginFollowedWithFinalURL(t *testing.T) {
	srv, s := redirector(t, func(self string) string { return self + "/moved?x_cg_demo_api_key=the-api-key-1" })
	resp, err := client(t, fast(), nil, "the-api-key-1").Do(context.Background(), keyed(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/moved?x_cg_demo_api_key=REDACTED"; resp.FinalURL != want {
		t.Fatalf("final URL %q, want %q", resp.FinalURL, want)
	}
	if n := len(s.all()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestRedirectCrossOrigin(t *testing.T) {
	other, otherSeen := redirector(t, nil)
	tests := []struct {
		name    string
		allow   []string
		wantErr bool
	}{
		{"refused by default", nil, true},
		{"allowed origin gets no credentials", []string{other.URL}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(otherSeen.all())
			srv, _ := redirector(t, func(string) string { return other.URL + "/elsewhere?apikey=the-api-key-1&vs=usd" })
			cfg := fast()
			cfg.RedirectOrigins = tc.allow
			resp, err := client(t, cfg, nil, "the-api-key-1").Do(context.Background(), keyed(srv.URL))
			got := otherSeen.all()[before:]
			if tc.wantErr {
				if !errors.Is(err, ErrRedirect) || !errors.Is(err, sources.ErrConfig) || !strings.Contains(err.Error(), "redirect_origins") {
					t.Fatalf("want a refused redirect naming redirect_origins, got %v", err)
				}
				if len(got) != 0 {
					t.Fatalf("the other origin was contacted %d times", len(got))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d requests to the allowed origin, want 1", len(got))
			}
			r := got[0]
			if r.Header.Get("X-Cg-Demo-Api-Key") != "" || r.Header.Get("Authorization") != "" || strings.Contains(r.URL.RawQuery, "the-api-key-1") {
				t.Fatalf("credentials carried to another origin: %v %q", r.Header, r.URL.RawQuery)
			}
			if !strings.HasPrefix(resp.FinalURL, other.URL+"/elsewhere") {
				t.Fatalf("final URL %q", resp.FinalURL)
			}
		})
	}
}

func TestRedirectToInternalOrOtherSchemesRefused(t *testing.T) {
	for _, target := range []string{
		"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"http://10.0.0.1/admin",
		"http://[fe80::1]/x",
		"http://0.0.0.0/x",
		"file:///etc/passwd",
		"gopher://127.0.0.1/x",
	} {
		t.Run(target, func(t *testing.T) {
			srv, _ := redirector(t, func(string) string { return target })
			cfg := fast()
			cfg.RedirectOrigins = []string{"http://169.254.169.254", "http://10.0.0.1", "http://[fe80::1]", "http://0.0.0.0"}
			_, err := client(t, cfg, nil).Do(context.Background(), keyed(srv.URL))
			if !errors.Is(err, ErrRedirect) {
				t.Fatalf("want ErrRedirect, got %v", err)
			}
		})
	}
}

func TestRedirectOriginsValidated(t *testing.T) {
	cfg := fast()
	cfg.RedirectOrigins = []string{"https://ok.example", "ftp://x", "https://h/path"}
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), `"ftp://x" is not an origin`) || !strings.Contains(err.Error(), `"https://h/path"`) {
		t.Fatalf("got %v", err)
	}
}
