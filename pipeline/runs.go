package pipeline

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// RunsHandler serves the run history as JSON: GET /runs?job=NAME&limit=N,
// newest first. While the daemon holds the data directory, this is how
// `groundtruth runs --daemon URL` reads the history.
func RunsHandler(st *store.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		runs, err := st.Runs(r.Context(), store.RunFilter{Job: r.URL.Query().Get("job"), Limit: limit})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if runs == nil {
			runs = []store.RunRecord{}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(runs)
	})
}
