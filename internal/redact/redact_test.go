package redact_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/redact"
)

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:pass@eth.example.com/rpc", "https://REDACTED@eth.example.com/rpc"},
		{"https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef", "https://mainnet.infura.io/v3/REDACTED"},
		{"https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUv", "https://eth-mainnet.g.alchemy.com/v2/REDACTED"},
		{"https://x.quiknode.pro/9f8e7d6c5b4a39281706f5e4d3c2b1a0/", "https://x.quiknode.pro/REDACTED/"},
		{"https://api.example.com/data?appid=abc123&q=1", "https://api.example.com/data?appid=REDACTED&q=1"},
		{"https://api.example.com/p?api_key=s&apiKey=t&key=u&x-api-key=v&access_token=w&token=z&x=1",
			"https://api.example.com/p?api_key=REDACTED&apiKey=REDACTED&key=REDACTED&x-api-key=REDACTED&access_token=REDACTED&token=REDACTED&x=1"},
		{"https://api.coingecko.com/api/v3/coins/compound-governance-token/market_chart/range?from=1",
			"https://api.coingecko.com/api/v3/coins/compound-governance-token/market_chart/range?from=1"},
		{"http://127.0.0.1:8484/v1/datasets/governor_votes/versions/1", "http://127.0.0.1:8484/v1/datasets/governor_votes/versions/1"},
		{"http://h/token/0xc00e94cb662c3520282e6f5717214004a7f26888", "http://h/token/0xc00e94cb662c3520282e6f5717214004a7f26888"},
		{"::bad", "REDACTED (unparsable URL)"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := redact.URL(tc.in); got != tc.want {
				t.Errorf("URL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStringMasksValuesAndURLsInText(t *testing.T) {
	r := redact.New()
	r.AddNamed("RPC_URL", "https://user:pa$$word@node.example/v2/KEYKEYKEYKEYKEYKEY")
	r.AddNamed("SHORT", "1") // too short to mask
	r.Add("s3cr3t-value")
	msg := `Post "https://other:pw@node2.example/v2/ABCDEFGHIJKLMNOPQRS?apikey=zz": dial; rpc https://user:pa$$word@node.example/v2/KEYKEYKEYKEYKEYKEY; s3cr3t-value; chain 1`
	got := r.String(msg)
	for _, leak := range []string{"pa$$word", "KEYKEYKEY", "other:pw", "ABCDEFGHIJKLMNOPQRS", "=zz", "s3cr3t"} {
		if strings.Contains(got, leak) {
			t.Errorf("%q leaks in %q", leak, got)
		}
	}
	for _, keep := range []string{"${RPC_URL}", "node2.example", "chain 1"} {
		if !strings.Contains(got, keep) {
			t.Errorf("%q missing from %q", keep, got)
		}
	}
}

func TestErrorKeepsTheChain(t *testing.T) {
	r := redact.New("topsecretvalue")
	err := r.Error(fmt.Errorf("opening topsecretvalue: %w", fs.ErrNotExist))
	if !errors.Is(err, fs.ErrNotExist) || strings.Contains(err.Error(), "topsecretvalue") || !redact.IsMasked(err) {
		t.Fatalf("got %v", err)
	}
	if r.Error(nil) != nil {
		t.Fatal("nil error masked into non-nil")
	}
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	r := redact.New()
	log := slog.New(redact.Handler(slog.NewTextHandler(&buf, nil), r)).With("endpoint", "https://u:p@h/v3/0123456789abcdef0123")
	r.AddNamed("TOKEN", "tok-123456") // registered after the logger was made
	log.Info("calling tok-123456", "err", errors.New("bad tok-123456"), slog.Group("g", "url", "http://h/?token=tok-123456"))
	out := buf.String()
	if strings.Contains(out, "tok-123456") || strings.Contains(out, "u:p@") || strings.Contains(out, "0123456789abcdef0123") {
		t.Fatalf("log leaks: %s", out)
	}
	if !strings.Contains(out, "${TOKEN}") {
		t.Fatalf("log lost its shape: %s", out)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, ünïcode ✓", "plain text, ünïcode ✓"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"line\nforged=1\r", `line\nforged=1\r`},
		{"tab\there", `tab\there`},
		{"bidi\u202eevil", `bidi\u202eevil`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"del\x7f", `del\x7f`},
	}
	for _, tc := range tests {
		if got := redact.Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestURLSecrets(t *testing.T) {
	got := redact.URLSecrets("https://usr:pwd123@h/v3/0123456789abcdef0123/x?appid=ab12cd34&q=1")
	want := []string{"usr", "pwd123", "ab12cd34", "0123456789abcdef0123"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
