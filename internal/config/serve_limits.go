package config

import (
	"fmt"
	"time"
)

// ServeLimits is `serve.limits`: what one client may hold of the server.
// Zero (or absent) fields take the defaults below, sized for a 2-core host
// with 24 GiB of memory.
//
//	serve:
//	  limits:
//	    max_connections: 4096        # open connections; idle ones are displaced at the cap
//	    defer_accept: 10s            # a connection that sends nothing waits in the kernel this long (Linux; about 15s in effect) before it is accepted; -1s: off
//	    read_header_timeout: 10s
//	    idle_timeout: 60s            # keep-alive connections between requests
//	    write_timeout: 30s           # per write: a client that stops reading is dropped
//	    body_timeout: 30s            # reading a request body (MCP POSTs)
//	    max_header_bytes: 65536
//	    max_body_bytes: 1048576
//	    streams_per_token: 8         # concurrent downloads (data, segments)
//	    queries_per_token: 4         # SQL queries running or waiting
//	    query_slots: 2               # SQL queries running at once, round-robin by token, at most query_slots-1 per token (default: half the CPUs, at least 2)
//	    query_max_wait: 10s          # wait for a slot, then 503 with Retry-After; at least query.timeout (default: the longer of 10s and query.timeout)
//	    max_result_bytes: 8388608    # a query result's size
//	    mcp_sessions: 1000           # live MCP sessions
//	    mcp_sessions_per_token: 100
//	    mcp_session_idle: 10m        # a session without requests is closed
type ServeLimits struct {
	MaxConnections      int           `yaml:"max_connections"`
	DeferAccept         time.Duration `yaml:"defer_accept"`
	ReadHeaderTimeout   time.Duration `yaml:"read_header_timeout"`
	IdleTimeout         time.Duration `yaml:"idle_timeout"`
	WriteTimeout        time.Duration `yaml:"write_timeout"`
	BodyTimeout         time.Duration `yaml:"body_timeout"`
	MaxHeaderBytes      int           `yaml:"max_header_bytes"`
	MaxBodyBytes        int64         `yaml:"max_body_bytes"`
	StreamsPerToken     int           `yaml:"streams_per_token"`
	QueriesPerToken     int           `yaml:"queries_per_token"`
	QuerySlots          int           `yaml:"query_slots"`
	QueryMaxWait        time.Duration `yaml:"query_max_wait"`
	MaxResultBytes      int64         `yaml:"max_result_bytes"`
	MCPSessions         int           `yaml:"mcp_sessions"`
	MCPSessionsPerToken int           `yaml:"mcp_sessions_per_token"`
	MCPSessionIdle      time.Duration `yaml:"mcp_session_idle"`
}

// validate reports fields outside their ranges (0 is the default).
func (l *ServeLimits) validate(bad func(field, format string, args ...any)) {
	ints := []struct {
		name   string
		v, max int64
	}{
		{"max_connections", int64(l.MaxConnections), 1_000_000},
		{"max_header_bytes", int64(l.MaxHeaderBytes), 16 << 20},
		{"max_body_bytes", l.MaxBodyBytes, 1 << 30},
		{"streams_per_token", int64(l.StreamsPerToken), 100_000},
		{"queries_per_token", int64(l.QueriesPerToken), 10_000},
		{"query_slots", int64(l.QuerySlots), 256},
		{"max_result_bytes", l.MaxResultBytes, 1 << 30},
		{"mcp_sessions", int64(l.MCPSessions), 1_000_000},
		{"mcp_sessions_per_token", int64(l.MCPSessionsPerToken), 1_000_000},
	}
	for _, f := range ints {
		if f.v < 0 || f.v > f.max {
			bad("limits."+f.name, "limits.%s %d: want 0 (the default) to %d", f.name, f.v, f.max)
		}
	}
	durs := []struct {
		name string
		v    time.Duration
	}{
		{"read_header_timeout", l.ReadHeaderTimeout}, {"idle_timeout", l.IdleTimeout}, {"write_timeout", l.WriteTimeout},
		{"body_timeout", l.BodyTimeout}, {"query_max_wait", l.QueryMaxWait}, {"mcp_session_idle", l.MCPSessionIdle},
	}
	if d := l.DeferAccept; d > 0 && d < time.Second || d > time.Hour {
		bad("limits.defer_accept", "limits.defer_accept %s: want 0 (the default, 10s), a negative value (off) or 1s to 1h", fmt.Sprint(d))
	}
	for _, f := range durs {
		if f.v < 0 || (f.v > 0 && f.v < 10*time.Millisecond) || f.v > 24*time.Hour {
			bad("limits."+f.name, "limits.%s %s: want 0 (the default) or 10ms to 24h", f.name, fmt.Sprint(f.v))
		}
	}
}
