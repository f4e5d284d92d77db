package httpfetch

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestHostileRedirectReferer is the black-box attack F4: on a redirect
// (to another allowed origin, or within the origin) net/http sets Referer
// to the previous URL, which holds the API key. The next server must find
// the secret in no header and no URL, and no Referer at all.
func TestHostileRedirectReferer(t *testing.T) {
	const secret = "ENVSECRETKEY777"
	other, otherSeen := redirector(t, nil)
	for _, tc := range []struct {
		name   string
		target func(self string) string
	}{
		{"to another allowed origin", func(string) string { return other.URL + "/caught?vs=usd" }},
		{"within the origin", func(self string) string { return self + "/moved?vs=usd" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, srvSeen := redirector(t, tc.target)
			cfg := fast()
			cfg.RedirectOrigins = []string{other.URL}
			req := &Request{URL: srv.URL + "/start?apikey=" + secret + "&vs=usd", Header: http.Header{"X-Api-Key": {secret}}}
			if _, err := client(t, cfg, nil, secret).Do(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			all := append(otherSeen.all(), srvSeen.all()...)
			followed := 0
			for _, r := range all {
				if r.URL.Path == "/start" {
					continue
				}
				followed++
				if ref := r.Header.Get("Referer"); ref != "" {
					t.Errorf("%s got Referer %q", r.URL.Path, ref)
				}
				if strings.Contains(r.URL.String(), secret) && r.Host == strings.TrimPrefix(other.URL, "http://") {
					t.Errorf("the other origin got the secret in its URL %s", r.URL)
				}
				for name, vals := range r.Header {
					if r.Host == strings.TrimPrefix(other.URL, "http://") && strings.Contains(strings.Join(vals, " "), secret) {
						t.Errorf("the other origin got the secret in header %s", name)
					}
				}
			}
			if followed == 0 {
				t.Fatal("the redirect was not followed")
			}
		})
	}
}
