package httpfetch

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/sources"
)

func sha(b []byte) [32]byte { return sha256.Sum256(b) }

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{"0.25", 250 * time.Millisecond, true},
		{"-1", 0, true},
		{"Mon, 01 Jan 2024 00:00:10 GMT", 10 * time.Second, true},
		{"Sun, 31 Dec 2023 23:00:00 GMT", 0, true},
		{"soon", 0, false},
	}
	for _, tc := range tests {
		h := http.Header{}
		if tc.value != "" {
			h.Set("Retry-After", tc.value)
		}
		got, ok := retryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q: %v %v, want %v %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

func TestQuotaReset(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name   string
		hdr    map[string]string
		want   time.Time
		wantOK bool
	}{
		{"keycard ms", map[string]string{"X-Api-Key-Remaining": "0", "X-Api-Key-Reset": "1700000060000"}, time.UnixMilli(1_700_000_060_005), true},
		{"unix seconds", map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000030"}, time.Unix(1_700_000_031, 5e6), true},
		{"delta seconds", map[string]string{"RateLimit-Remaining": "0", "RateLimit-Reset": "5"}, now.Add(5 * time.Second), true},
		{"remaining left", map[string]string{"X-Api-Key-Remaining": "3", "X-Api-Key-Reset": "5"}, time.Time{}, false},
		{"no reset", map[string]string{"X-Api-Key-Remaining": "0"}, time.Time{}, false},
	}
	for _, tc := range tests {
		h := http.Header{}
		for k, v := range tc.hdr {
			h.Set(k, v)
		}
		got, ok := quotaReset(h, now)
		if !got.Equal(tc.want) || ok != tc.wantOK {
			t.Errorf("%s: %v %v, want %v %v", tc.name, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestBackoff(t *testing.T) {
	cfg := Config{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second}
	for attempt, base := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 9: time.Second} {
		for range 50 {
			if d := backoff(cfg, attempt); d < base/2 || d >= base {
				t.Fatalf("attempt %d: %v outside [%v, %v)", attempt, d, base/2, base)
			}
		}
	}
}

func TestRedactor(t *testing.T) {
	r := NewRedactor("k3y/with+chars", "")
	tests := []struct{ in, want string }{
		{"https://u:pw@api.example/x?apiKey=abc&vs=usd", "https://REDACTED@api.example/x?apiKey=REDACTED&vs=usd"},
		{"https://api.example/x?x_cg_pro_api_key=abc&access_token=t", "https://api.example/x?x_cg_pro_api_key=REDACTED&access_token=REDACTED"},
		{"https://api.example/" + url.PathEscape("k3y/with+chars") + "/prices", "https://api.example/REDACTED/prices"},
		{"https://api.example/x?q=" + url.QueryEscape("k3y/with+chars"), "https://api.example/x?q=REDACTED"},
		{"://bad", "REDACTED (unparsable URL)"},
		{"https://api.example/data?appid=abc123", "https://api.example/data?appid=REDACTED"},
		{"https://eth.example/v2/AbCdEfGhIjKlMnOpQr", "https://eth.example/v2/REDACTED"},
	}
	for _, tc := range tests {
		if got := r.URL(tc.in); got != tc.want {
			t.Errorf("URL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := r.String("key k3y/with+chars here"); got != "key REDACTED here" {
		t.Errorf("String: %q", got)
	}
}

func TestErrorShapes(t *testing.T) {
	c := New("src", fast(), sources.Deps{}, NewRedactor("sekret"))
	req := &Request{Method: http.MethodPost, URL: "http://h/graphql?apiKey=sekret", Page: "votes page 2"}
	resp := &Response{Request: req, Status: 200, Body: []byte(`{"a": [1, 2,, 3]}`)}
	var v any
	err := c.JSONError(resp, json.Unmarshal(resp.Body, &v))
	var se *json.SyntaxError
	if !errors.Is(err, sources.ErrBadInput) || !errors.As(err, &se) {
		t.Fatalf("%v", err)
	}
	want := `bad source input: source "src": POST http://h/graphql?apiKey=REDACTED (votes page 2): the body is not valid JSON at byte offset 13: invalid character ',' looking for beginning of value`
	if err.Error() != want {
		t.Fatalf("got  %s\nwant %s", err, want)
	}
	err = c.InputError(resp, -1, "choice of vote %s: %s", "0x1", "sekret leaked?")
	if strings.Contains(err.Error(), "sekret") {
		t.Fatalf("secret in %v", err)
	}
}
