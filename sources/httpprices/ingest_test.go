package httpprices

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// at injects f into the n-th request only.
func at(n int, f fakeapi.Fault) fakeapi.Injector {
	return func(i int, _ *http.Request) fakeapi.Fault {
		if i == n {
			return f
		}
		return fakeapi.Fault{}
	}
}

// ingest runs one pipeline ingest of src into dataset "prices".
func ingest(ctx context.Context, st *store.Store, src sources.Source) (*pipeline.IngestResult, error) {
	return pipeline.Ingest(ctx, st, pipeline.Job{Name: "prices-job", Dataset: "prices", Source: src}, time.Unix(1700000000, 0))
}

// TestFaults ingests a series through pipeline.Ingest while the server
// misbehaves: transient faults leave the data complete and exact, the
// others fail the ingest and leave the store unchanged, and a clean retry
// then completes it.
func TestFaults(t *testing.T) {
	pts := series(72)
	end := t0.Add(71 * time.Hour)
	tests := []struct {
		name     string
		inject   fakeapi.Injector
		timeout  time.Duration
		wantErr  error  // nil: the fault is transient
		wantMsg  string // in the error
		requests int
		atLeast  bool // requests is a minimum (a slow machine may time out more)    // requests the server must have seen (0: not checked)
		minTime  time.Duration
	}{
		{name: "429 with Retry-After", inject: at(2, fakeapi.TooMany("0.3")), requests: 4, minTime: 300 * time.Millisecond},
		{name: "500 then success", inject: func(i int, _ *http.Request) fakeapi.Fault {
			if i <= 2 {
				return fakeapi.Status(500)
			}
			return fakeapi.Fault{}
		}, requests: 5},
		{name: "timeout then success", inject: at(2, fakeapi.Hang()), timeout: 300 * time.Millisecond, requests: 4, atLeast: true},
		{name: "cut-off body then success", inject: at(3, fakeapi.CutOff()), requests: 4},
		{name: "garbage JSON", inject: at(2, fakeapi.Garbage()), wantErr: sources.ErrBadInput, wantMsg: "at byte offset 19", requests: 2},
		{name: "truncated body", inject: at(3, fakeapi.Truncate()), wantErr: sources.ErrBadInput, wantMsg: "the body ends in the middle of a JSON document at byte offset", requests: 3},
		{name: "persistent 503", inject: fakeapi.Always(fakeapi.Status(503)), wantErr: sources.ErrTransient, wantMsg: "giving up (last answer HTTP 503) after 4 attempts", requests: 4},
		{name: "429 asking for too long", inject: at(1, fakeapi.TooMany("3600")), wantErr: sources.ErrTransient, wantMsg: "more than max_retry_after", requests: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeapi.StartPrices(fakeapi.PriceOptions{})
			defer srv.Close()
			srv.AddSeries("gt", pts)
			st := openStore(t)
			cfg := cgConfig(srv.RangeURL("gt"), 24*time.Hour, end)
			if tc.timeout > 0 {
				cfg.HTTP.Timeout = tc.timeout
			}
			s := mustNew(t, "gt", cfg, testDeps(t, st.Raw()))
			srv.SetFaults(tc.inject)
			began := time.Now()
			_, err := ingest(context.Background(), st, s)
			took := time.Since(began)
			if got := srv.Requests(); tc.requests > 0 && got != tc.requests && !(tc.atLeast && got > tc.requests) {
				t.Errorf("the server saw %d requests, want %d", srv.Requests(), tc.requests)
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("transient fault: %v", err)
				}
				if took < tc.minTime {
					t.Errorf("took %v, the origin asked to wait %v", took, tc.minTime)
				}
				rows, _ := storedRows(t, st, "prices")
				checkSeries(t, rows, pts, "gt")
				checkRaw(t, st, rows)
				return
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v\nwant %v containing %q", err, tc.wantErr, tc.wantMsg)
			}
			for _, part := range []string{`source "gt"`, "GET http://127.0.0.1:", "/market_chart/range?", "page "} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("the error does not name the request (%q): %v", part, err)
				}
			}
			if _, verr := st.Versions(context.Background(), "prices"); !errors.Is(verr, store.ErrNotFound) {
				t.Fatalf("the store changed after a failed ingest: %v", verr)
			}
			if cp, _ := st.Checkpoint(context.Background(), "prices-job"); cp != nil {
				t.Fatalf("checkpoint %s after a failed ingest", cp)
			}
			srv.SetFaults(nil)
			if _, err := ingest(context.Background(), st, s); err != nil {
				t.Fatalf("clean retry: %v", err)
			}
			rows, _ := storedRows(t, st, "prices")
			checkSeries(t, rows, pts, "gt")
		})
	}
}

// checkRaw checks that every body digest in rows is in the raw store.
func checkRaw(t testing.TB, st *store.Store, rows []row) {
	t.Helper()
	seen := map[[32]byte]bool{}
	for _, r := range rows {
		if seen[r.raw] {
			continue
		}
		seen[r.raw] = true
		if _, err := st.Raw().Get(context.Background(), r.raw); err != nil {
			t.Fatalf("raw body %s: %v", r.raw, err)
		}
	}
}

// TestRealSeries serves the real COMP and AAVE series (../shared/data)
// through the CoinGecko-like and CSV endpoints, with 429s and 503s mixed
// in, and ingests them through pipeline.Ingest: every point must be stored
// once, exactly.
func TestRealSeries(t *testing.T) {
	dir := shareddata.SharedData(t, "")
	srv := fakeapi.StartPrices(fakeapi.PriceOptions{APIKey: "demo-key"})
	defer srv.Close()
	srv.SetFaults(func(n int, _ *http.Request) fakeapi.Fault {
		switch {
		case n%7 == 0:
			return fakeapi.TooMany("0.01")
		case n%11 == 0:
			return fakeapi.Status(503)
		}
		return fakeapi.Fault{}
	})
	st := openStore(t)
	series, err := srv.AddSharedSeries(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ coin, preset string }{
		{"compound-governance-token", PresetCoinGeckoRange},
		{"aave", PresetCSV},
	} {
		pts := series[tc.coin]
		cfg := Config{URL: srv.RangeURL(tc.coin), Preset: tc.preset, Start: "2020-12-31", End: "2023-03-09",
			Window: 60 * 24 * time.Hour, MaxPages: 1000, Headers: map[string]string{"x-cg-demo-api-key": "demo-key"}, HTTP: fastHTTP()}
		if tc.preset == PresetCSV {
			cfg.URL = srv.CSVURL(tc.coin)
		}
		s := mustNew(t, tc.coin, cfg, testDeps(t, st.Raw()))
		dataset := strings.ReplaceAll(tc.coin, "-", "_")
		job := pipeline.Job{Name: tc.coin, Dataset: dataset, Source: s}
		res, err := pipeline.Ingest(context.Background(), st, job, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		rows, m := storedRows(t, st, dataset)
		checkSeries(t, rows, pts, tc.coin)
		checkRaw(t, st, rows)
		if res.Rows != uint64(len(pts)) || m.RowCount != uint64(len(pts)) {
			t.Fatalf("%d rows read, %d stored, want %d", res.Rows, m.RowCount, len(pts))
		}
		if again, err := pipeline.Ingest(context.Background(), st, job, time.Now()); err != nil || again.Rows != 0 {
			t.Fatalf("a second ingest read %v rows (%v)", again, err)
		}
		t.Logf("%s: %d points, exact, in version %d", tc.coin, len(pts), m.Version)
	}
	for _, c := range srv.Calls() {
		if !c.CSV && c.To.Sub(c.From) > 90*24*time.Hour {
			t.Fatalf("a market_chart/range window of %v: CoinGecko would answer daily points", c.To.Sub(c.From))
		}
	}
}
