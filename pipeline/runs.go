package pipeline

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
)

// RunsAccess says which datasets' runs the caller of r may see: nil for
// every dataset, else the list (mounted behind an admin-token check).
type RunsAccess func(r *http.Request) []string

// RunsHandler serves the run history as JSON: GET /runs?job=NAME&limit=N,
// newest first, only the runs of the datasets access allows (nil access:
// all), with secrets in the recorded errors masked by red. While the
// daemon holds the data directory, this is how `groundtruth runs --daemon
// URL` reads the history.
func RunsHandler(st *store.Store, access RunsAccess, red *redact.Redactor) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		f := store.RunFilter{Job: r.URL.Query().Get("job"), Limit: limit}
		if access != nil {
			if f.Datasets = access(r); f.Datasets != nil && len(f.Datasets) == 0 {
				f.Datasets = []string{}
			}
		}
		runs, err := st.Runs(r.Context(), f)
		if err != nil {
			http.Error(w, "reading the run history failed (see the daemon's log)", http.StatusInternalServerError)
			return
		}
		if runs == nil {
			runs = []store.RunRecord{}
		}
		for i := range runs {
			runs[i].Error = red.String(runs[i].Error)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(runs)
	})
}
