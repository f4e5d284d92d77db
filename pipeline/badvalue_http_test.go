package pipeline

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
	"github.com/groundtruth-dao/groundtruth/sources/httpprices"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
)

// TestBadValueHTTPLocated ingests a price API answer with one malformed
// price: the row is quarantined as poisoning.bad_value, the report's
// finding and the quarantine entry locate it by the answer's URL (after a
// redirect) and its item index, the other rows are sealed; with the job's
// on_bad_value: fail the run fails and nothing is sealed.
func TestBadValueHTTPLocated(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1" {
			http.Redirect(w, r, "/v2?"+r.URL.RawQuery, http.StatusMovedPermanently)
			return
		}
		ms := func(h int) string { return strconv.FormatInt(t0.Add(time.Duration(h)*time.Hour).UnixMilli(), 10) }
		w.Write([]byte(`{"prices":[[` + ms(1) + `,10.5],[` + ms(2) + `,"1O.7"],[` + ms(3) + `,10.9]],"total_volumes":[]}`))
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	ctx := context.Background()
	for _, fail := range []bool{false, true} {
		t.Run("fail="+strconv.FormatBool(fail), func(t *testing.T) {
			hc := httpfetch.DefaultConfig(0)
			hc.Attempts = 1
			cfg := httpprices.Config{URL: srv.URL + "/v1", Preset: httpprices.PresetCoinGeckoRange, Start: t0.Format(time.RFC3339),
				End: t0.Add(24 * time.Hour).Format(time.RFC3339), Window: 24 * time.Hour, HTTP: hc}
			src, err := httpprices.New("api", cfg, sources.Deps{HTTP: &http.Client{Transport: tr}})
			if err != nil {
				t.Fatal(err)
			}
			dups, _ := poisoning.NewDuplicates("", poisoning.DefaultDuplicatesConfig())
			suite, err := validators.NewSuite([]validators.Validator{dups}, nil, validators.SuiteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(ctx, t.TempDir(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			res, err := Ingest(ctx, st, Job{Name: "api", Dataset: "api", Source: src, Validation: suite, FailOnBadValue: fail}, t0.Add(48*time.Hour))
			if fail {
				if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), `item 1: column "price": "1O.7"`) {
					t.Fatalf("err = %v, want ErrBadInput naming item 1", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Manifest == nil || res.Manifest.RowCount != 2 {
				t.Fatalf("sealed %+v, want 2 rows", res.Manifest)
			}
			loc := ""
			for _, f := range res.Validation.Report.Findings {
				if f.Code == validators.CodeBadValue {
					if len(f.Locators) != 1 || !strings.HasPrefix(f.Locators[0], srv.URL+"/v2?") || !strings.HasSuffix(f.Locators[0], " item 1") {
						t.Fatalf("bad value locators %v, want [%s/v2?… item 1]", f.Locators, srv.URL)
					}
					loc = f.Locators[0]
				}
			}
			if loc == "" {
				t.Fatal("no poisoning.bad_value finding")
			}
			es, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "api"})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 1 || es[0].Reasons[len(es[0].Reasons)-1] != LocatorReason+loc {
				t.Fatalf("quarantine %+v, want one entry whose last reason is %q", es, LocatorReason+loc)
			}
		})
	}
}
