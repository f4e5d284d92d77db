package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeSection(t *testing.T) {
	const hash = "0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for _, tc := range []struct {
		name, yaml string
		problems   []string
	}{
		{"valid", `serve:
  listen: 127.0.0.1:9000
  tokens:
    - {name: agent, sha256: ` + hash + `, datasets: [votes], rate: 5}
  anonymous: {datasets: ["*"]}
  cors_origins: [https://example.org]
  watch_interval: 2s
  max_chain_staleness: 1m
  query: {max_rows: 10}
  limits: {max_connections: 100, write_timeout: 5s, streams_per_token: 2, max_result_bytes: 1048576, mcp_session_idle: 1m}
`, nil},
		{"bad fields", `serve:
  listen: nowhere
  tokens:
    - {name: agent, sha256: secret-token, datasets: []}
    - {name: agent, sha256: ` + hash + `, datasets: [Votes], rate: -1}
  cors_origins: [example.org]
  query: {max_rows: -1}
`, []string{`g.yaml:3:`, `sha256 must be 0x and 64 hex digits`, `datasets must list`, `"agent" is used twice`,
			`dataset "Votes"`, `rate -1`, `CORS origin "example.org"`, `max_rows -1`}},
		{"bad limits", `serve:
  limits: {max_connections: -1, write_timeout: 1ns, query_slots: 1000, max_result_bytes: 2000000000, idle_timeout: 48h}
`, []string{`g.yaml:3:`, `limits.max_connections -1: want 0 (the default) to 1000000`, `limits.write_timeout 1ns: want 0 (the default) or 10ms to 24h`,
			`limits.query_slots 1000`, `limits.max_result_bytes 2000000000`, `limits.idle_timeout 48h0m0s`}},
		{"unknown limit", "serve:\n  limits: {max_conns: 5}\n", []string{`unknown field "max_conns"`}},
		{"defer accept under a second", "serve:\n  limits: {defer_accept: 500ms}\n", []string{`limits.defer_accept 500ms: want 0 (the default, 10s), a negative value (off) or 1s to 1h`}},
		{"defer accept over an hour", "serve:\n  limits: {defer_accept: 2h}\n", []string{`limits.defer_accept 2h0m0s: want 0`}},
		{"unknown field", "serve:\n  tokens:\n    - {name: a, sha256: " + hash + ", datasets: [x], scope: all}\n", []string{`unknown field "scope"`}},
		{"missing required", "serve:\n  tokens:\n    - {name: a}\n", []string{`missing required field "sha256"`, `missing required field "datasets"`}},
		{"staleness within the poll interval", "serve:\n  watch_interval: 30s\n  max_chain_staleness: 20s\n", []string{`max_chain_staleness 20s: want longer than watch_interval (30s)`}},
		{"query wait shorter than the query timeout", "serve:\n  limits: {query_max_wait: 5s}\n", []string{`limits.query_max_wait 5s is shorter than query.timeout 10s`}},
		{"query wait shorter than a set timeout", "serve:\n  query: {timeout: 30s}\n  limits: {query_max_wait: 20s}\n", []string{`limits.query_max_wait 20s is shorter than query.timeout 30s`}},
		{"staleness within the default interval", "serve:\n  max_chain_staleness: 10s\n", []string{`max_chain_staleness 10s: want longer than watch_interval (15s)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("g.yaml", []byte("version: 1\n"+tc.yaml), func(string) string { return "" })
			if len(tc.problems) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				s := c.ServeSettings()
				if s.Listen != "127.0.0.1:9000" || s.WatchInterval != 2*time.Second || s.MaxChainStaleness != time.Minute || s.Query.MaxRows != 10 ||
					s.Query.Timeout != DefaultQueryTimeout || s.CacheDir != filepath.Join(c.DataDir, "cache", "serve") {
					t.Fatalf("settings %+v", s)
				}
				if l := s.Limits; l == nil || l.MaxConnections != 100 || l.WriteTimeout != 5*time.Second || l.StreamsPerToken != 2 ||
					l.MaxResultBytes != 1<<20 || l.MCPSessionIdle != time.Minute || l.QuerySlots != 0 {
					t.Fatalf("limits %+v", s.Limits)
				}
				return
			}
			if err == nil {
				t.Fatal("no problems reported")
			}
			for _, p := range tc.problems {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("problems do not mention %q:\n%v", p, err)
				}
			}
		})
	}
}

func TestServeDefaults(t *testing.T) {
	c, err := Parse("g.yaml", []byte("version: 1\nattestation: {backend: registry, chain_id: 1, rpc_url: http://127.0.0.1:8545, registry: 0x5FbDB2315678afecb367f032d93F642f64180aa3}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := c.ServeSettings()
	if s.Listen != DefaultServeListen || s.WatchInterval != DefaultWatchInterval || s.RPCURL != "http://127.0.0.1:8545" ||
		len(s.Tokens) != 0 || s.Anonymous != nil || len(s.CORSOrigins) != 0 || s.MaxChainStaleness != DefaultMaxChainStaleness {
		t.Fatalf("defaults %+v", s)
	}
}
