package httpprices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformance(t *testing.T) {
	for _, preset := range []string{PresetCoinGeckoRange, PresetCSV} {
		t.Run(preset, func(t *testing.T) {
			sourcetest.Run(t, sourcetest.Harness{
				Provenance: []string{ColSource, ColRaw},
				Volatile:   []string{ColRaw}, // a window's body grows with the series
				New: func(t testing.TB) sourcetest.Instance {
					srv := fakeapi.StartPrices(fakeapi.PriceOptions{})
					t.Cleanup(srv.Close)
					n := 60
					srv.AddSeries("gt", series(n))
					clock := t0.Add(time.Duration(n) * time.Hour)
					cfg := Config{URL: srv.RangeURL("gt"), Preset: preset, Start: t0.Format(time.RFC3339),
						Window: 12 * time.Hour, Lag: time.Minute, HTTP: fastHTTP()}
					if preset == PresetCSV {
						cfg.URL = srv.CSVURL("gt")
					}
					s := mustNew(t, "gt-"+preset, cfg, testDeps(t, nil))
					s.now = func() time.Time { return clock }
					return sourcetest.Instance{Source: s, Grow: func(t testing.TB) {
						n += 7
						srv.AddSeries("gt", series(n))
						clock = clock.Add(7 * time.Hour)
					}}
				},
			})
		})
	}
}

func TestFetchWindows(t *testing.T) {
	srv := fakeapi.StartPrices(fakeapi.PriceOptions{})
	defer srv.Close()
	pts := series(100)
	srv.AddSeries("gt", pts)
	end := t0.Add(99 * time.Hour)
	cfg := cgConfig(srv.RangeURL("gt"), 10*time.Hour, end)
	cfg.MaxPages = 4
	s := mustNew(t, "cg", cfg, testDeps(t, nil))
	var all []row
	var cur sources.Cursor
	for i := 0; ; i++ {
		rows, res, err := fetchAll(t, s, cur)
		if err != nil {
			t.Fatal(err)
		}
		all, cur = append(all, rows...), res.Cursor
		if len(rows) == 0 {
			break
		}
		if len(res.Provenance.Inputs) == 0 {
			t.Fatal("rows without input digests in the provenance")
		}
	}
	checkSeries(t, all, pts, "cg")
	var c cursor
	json.Unmarshal(cur, &c)
	if c.Next != end.UnixMicro() || c.Last != end.UnixMicro() {
		t.Fatalf("cursor %s", cur)
	}
	for _, call := range srv.Calls() {
		if call.To.Sub(call.From) > 10*time.Hour {
			t.Fatalf("window %v–%v is longer than configured", call.From, call.To)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		body    string
		want    []point
		wantErr string
	}{
		{"coingecko", Config{Preset: PresetCoinGeckoRange},
			`{"prices":[[1000,1.5],[2000,2.5]],"market_caps":[],"total_volumes":[[2000,7]]}`,
			[]point{{ts: 1_000_000, price: 1.5}, {ts: 2_000_000, price: 2.5, volume: 7, hasVol: true}}, ""},
		{"nested objects, string numbers, rfc3339", Config{TimestampUnit: "rfc3339", JSON: JSONMapping{Rows: "data.items", Timestamp: "t", Price: "quote.close", Volume: "v"}},
			`{"data":{"items":[{"t":"2023-01-01T00:00:01Z","quote":{"close":"42.125"},"v":null}]}}`,
			[]point{{ts: t0.Add(time.Second).UnixMicro(), price: 42.125}}, ""},
		{"root array, seconds with fraction", Config{TimestampUnit: "s", JSON: JSONMapping{Timestamp: "0", Price: "1", Volume: "2"}},
			`[[1.5, 3, 4]]`, []point{{ts: 1_500_000, price: 3, volume: 4, hasVol: true}}, ""},
		{"csv preset", Config{Preset: PresetCSV}, "1000,1.5\n2000,2.5\n",
			[]point{{ts: 1_000_000, price: 1.5}, {ts: 2_000_000, price: 2.5}}, ""},
		{"csv with header and names", Config{Format: FormatCSV, TimestampUnit: "s", CSV: CSVMapping{Header: true, Timestamp: "time", Price: "close", Volume: "vol"}},
			"time,close,vol\n1,2,\n2,3,4\n", []point{{ts: 1_000_000, price: 2}, {ts: 2_000_000, price: 3, volume: 4, hasVol: true}}, ""},
		{"garbage", Config{Preset: PresetCoinGeckoRange}, string(fakeapi.GarbageBody), nil, "invalid character"},
		{"null price", Config{Preset: PresetCoinGeckoRange}, `{"prices":[[1000,null]],"total_volumes":[]}`, []point{{ts: 1_000_000}}, "bad price: prices[0].1: the price is null"},
		{"string where a number goes", Config{Preset: PresetCoinGeckoRange}, `{"prices":[[1000,"abc"]],"total_volumes":[]}`, []point{{ts: 1_000_000}}, `bad price "abc": prices[0].1: want a finite number, got "abc"`},
		{"bad timestamp", Config{Preset: PresetCoinGeckoRange}, `{"prices":[[1000,1],["soon",2]],"total_volumes":[]}`, []point{{ts: 1_000_000, price: 1}, {price: 2}}, `bad ts "soon": prices[1].0: want a timestamp in ms, got "soon"`},
		{"missing rows", Config{Preset: PresetCoinGeckoRange}, `{"error":"coin not found"}`, nil, `$: no field "prices"`},
		{"trailing data", Config{Preset: PresetCoinGeckoRange}, `{"prices":[],"total_volumes":[]} x`, nil, "data after the JSON document"},
		{"csv bad price", Config{Preset: PresetCSV}, "1000,1.5\n2000,x\n", []point{{ts: 1_000_000, price: 1.5}, {ts: 2_000_000}}, `bad price "x": line 2, column 2: want a finite number, got "x"`},
		{"csv missing column", Config{Preset: PresetCSV}, "1000\n", []point{{ts: 1_000_000}}, "bad price: line 1: 1 fields, column 2 is missing"},
		{"csv unknown header", Config{Format: FormatCSV, CSV: CSVMapping{Header: true, Timestamp: "t", Price: "p"}}, "a,b\n", nil, `the header has no column "t"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Complete()
			got, err := (&parser{cfg: &cfg}).parse([]byte(tc.body))
			if strings.HasPrefix(tc.wantErr, "bad ") {
				var bad []string
				for _, p := range got {
					for _, b := range p.bad {
						raw := ""
						if b.raw != "" {
							raw = fmt.Sprintf(" %q", b.raw)
						}
						bad = append(bad, "bad "+b.column+raw+": "+b.problem)
					}
				}
				if err != nil || len(bad) != 1 || bad[0] != tc.wantErr {
					t.Fatalf("error %v, bad cells %q; want one: %s", err, bad, tc.wantErr)
				}
				tc.wantErr = ""
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%+v, want %+v", got, tc.want)
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if g.ts != w.ts && !g.badTS || g.price != w.price || g.volume != w.volume || g.hasVol != w.hasVol {
					t.Fatalf("point %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	base := func() Config {
		return Config{URL: "https://api.example/x", Preset: PresetCoinGeckoRange, Start: "2023-01-01", HTTP: fastHTTP()}
	}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"ok", func(*Config) {}, ""},
		{"bad url", func(c *Config) { c.URL = "ftp://x" }, "url must be an http or https URL"},
		{"unknown preset", func(c *Config) { c.Preset = "yahoo" }, `unknown preset "yahoo"`},
		{"coingecko window above 90 days", func(c *Config) { c.Window = 91 * 24 * time.Hour }, "above 90 days"},
		{"sub-second window", func(c *Config) { c.Window = 1500 * time.Millisecond }, "whole number of s"},
		{"end before start", func(c *Config) { c.End = "2022-01-01" }, "end must be after start"},
		{"bad start", func(c *Config) { c.Start = "yesterday" }, "start: want an RFC 3339 time"},
		{"bad unit", func(c *Config) { c.TimestampUnit = "days" }, "timestamp_unit must be"},
		{"csv positions without header", func(c *Config) { c.Preset, c.CSV.Price = PresetCSV, "close" }, "columns are 1-based numbers"},
		{"bad http", func(c *Config) { c.HTTP.Attempts = 0 }, "attempts must be between 1 and 100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.edit(&c)
			err := c.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("Validate() = %v, want %q", err, tc.want)
			}
			if _, nerr := New("x", c, sources.Deps{}); (nerr != nil) != (tc.want != "") || nerr != nil && !errors.Is(nerr, sources.ErrConfig) {
				t.Fatalf("New() = %v", nerr)
			}
		})
	}
}

func TestSecretsMasked(t *testing.T) {
	srv := fakeapi.StartPrices(fakeapi.PriceOptions{APIKey: "cg-secret-123"})
	defer srv.Close()
	srv.AddSeries("gt", series(10))
	srv.SetFaults(fakeapi.Always(fakeapi.Garbage()))
	cfg := cgConfig(srv.RangeURL("gt")+"&x_cg_demo_api_key=cg-secret-123", 24*time.Hour, t0.Add(9*time.Hour))
	cfg.Headers = map[string]string{"X-Cg-Demo-Api-Key": "cg-secret-123"}
	var logs strings.Builder
	deps := testDeps(t, nil)
	deps.Logger = newTextLogger(&logs)
	s := mustNew(t, "cg", cfg, deps)
	_, _, err := fetchAll(t, s, nil)
	if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "byte offset 19") {
		t.Fatalf("garbage: %v", err)
	}
	if strings.Contains(err.Error(), "cg-secret-123") || !strings.Contains(err.Error(), "x_cg_demo_api_key=REDACTED") {
		t.Fatalf("the key is not masked: %v", err)
	}
	srv.SetFaults(fakeapi.Sequence(fakeapi.Status(502)))
	cfg.Headers = map[string]string{"X-Cg-Demo-Api-Key": "wrong-key-456"}
	s = mustNew(t, "cg", cfg, deps)
	_, _, err = fetchAll(t, s, nil)
	if !errors.Is(err, sources.ErrConfig) || strings.Contains(err.Error(), "wrong-key-456") || strings.Contains(logs.String(), "cg-secret-123") {
		t.Fatalf("401: %v\nlogs: %s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "retrying") {
		t.Fatalf("the 502 was not logged as a retry: %s", logs.String())
	}
}

func TestCursorErrors(t *testing.T) {
	s := mustNew(t, "cg", cgConfig("http://127.0.0.1:1/x", time.Hour, t0.Add(time.Hour)), sources.Deps{})
	if _, err := s.Fetch(context.Background(), sources.Cursor("{"), nil); !errors.Is(err, sources.ErrCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}
