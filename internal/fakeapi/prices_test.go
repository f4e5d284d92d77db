package fakeapi_test

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
)

func get(t *testing.T, c *http.Client, url string, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPrices(t *testing.T) {
	p := fakeapi.StartPrices(fakeapi.PriceOptions{APIKey: "cg-1"})
	defer p.Close()
	hour := int64(3_600_000)
	var pts []fakeapi.Point
	for i := range int64(24 * 100) { // 100 days, hourly, from 1970-01-02
		pts = append(pts, fakeapi.Point{MS: 86_400_000 + i*hour, Price: 1.5 + float64(i)/8, Volume: float64(i), HasVolume: i%2 == 0})
	}
	p.AddSeries("gt", pts)
	c := newClient(t)
	key := map[string]string{"x-cg-demo-api-key": "cg-1"}
	tests := []struct {
		name, url string
		hdr       map[string]string
		status    int
		want      string
	}{
		{"inclusive bounds", p.RangeURL("gt") + "&from=86400&to=90000", key, 200,
			`{"prices":[[86400000,1.5],[90000000,1.625]],"market_caps":[],"total_volumes":[[86400000,0]]}`},
		{"daily above 90 days", p.RangeURL("gt") + "&from=0&to=" + "8726400", key, 200, `[[86400000,1.5],[172800000,4.5],`},
		{"csv in milliseconds", p.CSVURL("gt") + "?from=86400000&to=90000000", key, 200, "86400000,1.5\n90000000,1.625\n"},
		{"unknown coin", p.RangeURL("nope") + "&from=0&to=1", key, 404, `{"error":"coin not found"}`},
		{"missing key", p.RangeURL("gt") + "&from=0&to=1", nil, 401, `API Key Missing`},
		{"key as a query parameter", p.RangeURL("gt") + "&from=86400&to=86400&x_cg_demo_api_key=cg-1", nil, 200, `[[86400000,1.5]]`},
		{"bad bounds", p.RangeURL("gt") + "&from=x&to=1", key, 400, `invalid from or to`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, body := get(t, c, tc.url, tc.hdr)
			if st != tc.status || !strings.Contains(body, tc.want) {
				t.Fatalf("HTTP %d %.300s\nwant HTTP %d containing %s", st, body, tc.status, tc.want)
			}
		})
	}
	p.SetTransform(func(coin string, pt fakeapi.Point) fakeapi.Point { pt.Price *= 2; return pt })
	if _, body := get(t, c, p.RangeURL("gt")+"&from=86400&to=86400", key); !strings.Contains(body, "[[86400000,3]]") {
		t.Fatalf("transform: %s", body)
	}
	p.SetFaults(fakeapi.Sequence(fakeapi.TooMany("1")))
	if st, body := get(t, c, p.RangeURL("gt")+"&from=86400&to=86400", key); st != 429 || !strings.Contains(body, "Rate Limit") {
		t.Fatalf("429: HTTP %d %s", st, body)
	}
}

func TestLoadPriceCSV(t *testing.T) {
	dir := shareddata.SharedData(t, "")
	pts, err := fakeapi.LoadPriceCSV(filepath.Join(dir, "prices", "comp_usd.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) < 19000 || pts[0].MS != 1609461145206 || pts[0].Price != 147.65872029251597 {
		t.Fatalf("%d points, first %+v", len(pts), pts[0])
	}
}
