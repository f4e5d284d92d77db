package httpprices

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// t0 is the start of the synthetic series: 2023-01-01T00:00:00Z.
var t0 = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

// fastHTTP is an HTTP configuration with short timeouts and backoffs.
func fastHTTP() httpfetch.Config {
	c := httpfetch.DefaultConfig(0)
	c.Timeout = 2 * time.Second
	c.Attempts = 4
	c.BackoffMin = 5 * time.Millisecond
	c.BackoffMax = 20 * time.Millisecond
	c.MaxRetryAfter = 2 * time.Second
	return c
}

// series returns n hourly points from t0 (price i*0.25+1/3, volume i on
// even hours).
func series(n int) []fakeapi.Point {
	out := make([]fakeapi.Point, n)
	for i := range out {
		out[i] = fakeapi.Point{MS: t0.Add(time.Duration(i) * time.Hour).UnixMilli(), Price: float64(i)/4 + 1.0/3,
			Volume: float64(i) * 1000.5, HasVolume: i%2 == 0}
	}
	return out
}

// testDeps returns deps with an HTTP client whose idle connections are
// closed when the test ends.
func testDeps(t testing.TB, raw sources.RawStore) sources.Deps {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return sources.Deps{HTTP: &http.Client{Transport: tr}, Raw: raw}
}

// cgConfig returns a coingecko_range configuration reading url.
func cgConfig(url string, window time.Duration, end time.Time) Config {
	return Config{URL: url, Preset: PresetCoinGeckoRange, Start: t0.Format(time.RFC3339),
		End: end.Format(time.RFC3339), Window: window, HTTP: fastHTTP()}
}

func mustNew(t testing.TB, id string, cfg Config, deps sources.Deps) *Source {
	t.Helper()
	s, err := New(id, cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// row is one emitted or stored row.
type row struct {
	source string
	ts     int64 // microseconds
	price  float64
	volume *float64
	raw    datasets.Hash
}

func rowsOf(rec arrow.RecordBatch) []row {
	src := rec.Column(0).(*array.String)
	ts := rec.Column(1).(*array.Timestamp)
	price := rec.Column(2).(*array.Float64)
	vol := rec.Column(3).(*array.Float64)
	raw := rec.Column(4).(*array.FixedSizeBinary)
	out := make([]row, rec.NumRows())
	for i := range out {
		out[i] = row{source: src.Value(i), ts: int64(ts.Value(i)), price: price.Value(i), raw: datasets.Hash(raw.Value(i))}
		if vol.IsValid(i) {
			v := vol.Value(i)
			out[i].volume = &v
		}
	}
	return out
}

// fetchAll runs one fetch and collects its rows.
func fetchAll(t testing.TB, s sources.Source, cur sources.Cursor) ([]row, sources.Result, error) {
	t.Helper()
	var out []row
	res, err := s.Fetch(context.Background(), cur, func(rec arrow.RecordBatch) error {
		out = append(out, rowsOf(rec)...)
		return nil
	})
	return out, res, err
}

// storedRows reads the latest version of dataset.
func storedRows(t testing.TB, st *store.Store, dataset string) ([]row, *datasets.Manifest) {
	t.Helper()
	rec, err := st.Version(context.Background(), dataset, 0)
	if err != nil {
		t.Fatal(err)
	}
	vr, err := datasets.NewVersionReader(st.Root(), rec.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	defer vr.Release()
	var out []row
	for vr.Next() {
		out = append(out, rowsOf(vr.RecordBatch())...)
	}
	if err := vr.Err(); err != nil {
		t.Fatal(err)
	}
	return out, rec.Manifest
}

// checkSeries compares rows with the points they came from, exactly.
func checkSeries(t testing.TB, got []row, want []fakeapi.Point, id string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, p := range want {
		g := got[i]
		if g.ts != p.MS*1000 || g.price != p.Price || g.source != id {
			t.Fatalf("row %d: %+v, want ts %d price %v source %s", i, g, p.MS*1000, p.Price, id)
		}
		if p.HasVolume != (g.volume != nil) || (p.HasVolume && *g.volume != p.Volume) {
			t.Fatalf("row %d: volume %v, want %v (has %v)", i, g.volume, p.Volume, p.HasVolume)
		}
	}
}

// openStore opens a store in a temporary folder.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newTextLogger logs everything to w.
func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
