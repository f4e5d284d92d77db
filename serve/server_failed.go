package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// FailedHandler answers the HTTP requests of a server that could not start
// (an unreachable chain, a catalog that needs a rebuild, a configuration
// whose ${VAR} is unset): /healthz is 200 (the process runs), /readyz is
// 503 {"ready":false,"reason":…}, and every other request — /v1, /mcp,
// /metrics — is 503 with the JSON error envelope (errorType
// "unavailable") naming the problem and its fix, with Retry-After set to
// retry. reason is called on every request, so the caller can change it
// while it retries the start.
func FailedHandler(reason func() string, retry time.Duration) http.Handler {
	secs := strconv.Itoa(max(1, int(retry.Round(time.Second)/time.Second)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if r.URL.Path == "/healthz" {
			fmt.Fprintln(w, "ok")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", secs)
		w.WriteHeader(http.StatusServiceUnavailable)
		msg := fmt.Errorf("%w: groundtruth could not start: %s (retrying every %s)", ErrUnavailable, reason(), retry).Error()
		if r.URL.Path == "/readyz" {
			_ = json.NewEncoder(w).Encode(struct {
				Ready  bool   `json:"ready"`
				Reason string `json:"reason"`
			}{false, msg})
			return
		}
		_ = json.NewEncoder(w).Encode(api.Error{Status: http.StatusServiceUnavailable, ErrorType: "unavailable", Error: msg})
	})
}
