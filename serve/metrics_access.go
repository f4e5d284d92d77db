package serve

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"

	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Who may read /metrics (serve.metrics).
const (
	// MetricsOpen (the default) answers every series to anyone who can
	// reach the listener, as a Prometheus scraper expects: job and dataset
	// names are visible to them.
	MetricsOpen = "open"
	// MetricsPublic answers anyone, but the series labelled with a job or
	// a dataset only to a token with the admin scope: an anonymous scraper
	// learns no job or dataset name.
	MetricsPublic = "public"
	// MetricsAdmin answers only requests with an admin token (401 without
	// a token, 403 with another).
	MetricsAdmin = "admin"
)

// privateLabels are the labels whose series MetricsPublic keeps for
// admin tokens: they name what other tokens may not see.
var privateLabels = map[string]bool{"job": true, "dataset": true}

// MetricsHandler answers /metrics from g with access MetricsOpen,
// MetricsPublic or MetricsAdmin ("" is MetricsOpen). A token with the
// admin scope gets every series; with MetricsOpen so does everyone; with
// MetricsPublic any other request (no token, another token, an unknown
// one) gets the series without job or dataset labels. Tokens are the
// set's current ones, so a reload applies at once.
func (t *TokenAuth) MetricsHandler(g prometheus.Gatherer, access string) http.Handler {
	full := promhttp.HandlerFor(g, promhttp.HandlerOpts{})
	public := promhttp.HandlerFor(prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		mfs, err := g.Gather()
		return withoutPrivate(mfs), err
	}), promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if access == "" || access == MetricsOpen {
			full.ServeHTTP(w, r)
			return
		}
		p, err := t.auth.authenticateAs(r, false)
		switch {
		case err == nil && p.Admin():
			full.ServeHTTP(w, r)
			return
		case access != MetricsAdmin:
			public.ServeHTTP(w, r)
			return
		case err == nil:
			err = fmt.Errorf("%w: token %q lacks the admin scope that /metrics needs (serve.metrics: admin)", ErrForbidden, p.Name)
		default:
			err = fmt.Errorf("%w (serve.metrics: admin: /metrics needs a token with the admin scope)", err)
		}
		status, kind := http.StatusForbidden, "forbidden"
		if errors.Is(err, ErrUnauthorized) {
			status, kind = http.StatusUnauthorized, "unauthorized"
			w.Header().Set("WWW-Authenticate", `Bearer realm="groundtruth"`)
		}
		writeJSON(w, status, api.Error{Status: status, ErrorType: kind, Error: err.Error()})
	})
}

// withoutPrivate drops the series labelled with a job or a dataset (and
// families left empty).
func withoutPrivate(mfs []*dto.MetricFamily) []*dto.MetricFamily {
	out := mfs[:0]
	for _, mf := range mfs {
		kept := mf.Metric[:0]
		for _, m := range mf.Metric {
			if !hasPrivateLabel(m) {
				kept = append(kept, m)
			}
		}
		if mf.Metric = kept; len(kept) > 0 {
			out = append(out, mf)
		}
	}
	return out
}

func hasPrivateLabel(m *dto.Metric) bool {
	for _, l := range m.Label {
		if privateLabels[l.GetName()] {
			return true
		}
	}
	return false
}
