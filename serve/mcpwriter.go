package serve

import (
	"fmt"
	"net/http"
)

// mcpWriter is the response writer of the MCP endpoint: whatever the MCP
// library sets, a response is never stored by a shared cache (Cache-Control
// private, no-cache, no-transform), and its plain-text 413 for an oversized
// body becomes the API's JSON error envelope.
type mcpWriter struct {
	http.ResponseWriter
	maxBody int64
	swallow bool // the library's own body of a rewritten response
}

// WriteHeader implements http.ResponseWriter.
func (m *mcpWriter) WriteHeader(code int) {
	if m.swallow {
		return
	}
	m.Header().Set("Cache-Control", "private, no-cache, no-transform")
	if code == http.StatusRequestEntityTooLarge {
		m.swallow = true
		h := m.Header()
		h.Del("Content-Length")
		writeJSON(m.ResponseWriter, code, apiError(code, "body_too_large",
			fmt.Sprintf("the request body is larger than serve.limits.max_body_bytes (%d bytes)", m.maxBody)))
		return
	}
	m.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (m *mcpWriter) Write(b []byte) (int, error) {
	if m.swallow {
		return len(b), nil
	}
	m.Header().Set("Cache-Control", "private, no-cache, no-transform") // no WriteHeader call
	return m.ResponseWriter.Write(b)
}

// Flush implements http.Flusher.
func (m *mcpWriter) Flush() {
	if f, ok := m.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (m *mcpWriter) Unwrap() http.ResponseWriter { return m.ResponseWriter }
