package fakeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Point is one observation of a price series.
type Point struct {
	// MS is the time in Unix milliseconds.
	MS    int64
	Price float64
	// Volume is served when HasVolume is set.
	Volume    float64
	HasVolume bool
}

// PriceOptions configure a Prices server.
type PriceOptions struct {
	// APIKey, when set, is required in the x-cg-demo-api-key header or the
	// x_cg_demo_api_key query parameter; a request without it gets 401.
	APIKey string
	// DailyAbove is the range length above which market_chart/range answers
	// with one point per UTC day, as CoinGecko does above 90 days (0: 90
	// days; negative: never).
	DailyAbove time.Duration
}

// PriceCall is one request the price server answered.
type PriceCall struct {
	Coin     string
	From, To time.Time
	Rows     int
	CSV      bool
}

// Transform rewrites a point before it is served (a poisoned feed, a
// stale one); it must be safe for concurrent use.
type Transform func(coin string, p Point) Point

// Prices is a stand-in for a CoinGecko-like price API:
//
//	GET /api/v3/coins/{coin}/market_chart/range?vs_currency=usd&from=S&to=S
//	    {"prices":[[ms,price],...],"market_caps":[...],"total_volumes":[[ms,volume],...]}
//	    from and to are Unix seconds (or ISO dates), both inclusive
//	GET /csv/{coin}?from=MS&to=MS
//	    ms_timestamp,price lines without a header, both bounds inclusive
//
// It is an http.Handler; Start serves it on 127.0.0.1.
type Prices struct {
	// URL is the server's base URL once started.
	URL string

	srv  *httptest.Server
	opts PriceOptions
	f    *faults

	mu        sync.Mutex
	series    map[string][]Point
	transform Transform
	calls     []PriceCall
}

// NewPrices returns a price server without series; it is not listening yet.
func NewPrices(opts PriceOptions) *Prices {
	if opts.DailyAbove == 0 {
		opts.DailyAbove = 90 * 24 * time.Hour
	}
	return &Prices{opts: opts, f: newFaults(), series: map[string][]Point{}}
}

// StartPrices returns a started price server.
func StartPrices(opts PriceOptions) *Prices {
	p := NewPrices(opts)
	p.Start()
	return p
}

// Start serves on a free 127.0.0.1 port and sets URL.
func (p *Prices) Start() {
	p.srv = httptest.NewServer(p)
	p.URL = p.srv.URL
}

// Close releases hanging requests and stops the server.
func (p *Prices) Close() {
	p.f.close()
	if p.srv != nil {
		p.srv.Close()
	}
}

// AddSeries serves pts (sorted by time here) as coin.
func (p *Prices) AddSeries(coin string, pts []Point) {
	s := append([]Point(nil), pts...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].MS < s[j].MS })
	p.mu.Lock()
	p.series[coin] = s
	p.mu.Unlock()
}

// SetTransform sets the hook applied to every served point (nil: none).
func (p *Prices) SetTransform(t Transform) {
	p.mu.Lock()
	p.transform = t
	p.mu.Unlock()
}

// SetFaults sets the fault injector (nil: none); the injector numbers
// requests from 1 after this call.
func (p *Prices) SetFaults(in Injector) { p.f.set(in) }

// Requests returns how many requests the server received.
func (p *Prices) Requests() int { return p.f.count() }

// Calls returns the answered range requests.
func (p *Prices) Calls() []PriceCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PriceCall(nil), p.calls...)
}

// RangeURL is the market_chart/range URL of coin, without from and to.
func (p *Prices) RangeURL(coin string) string {
	return p.URL + "/api/v3/coins/" + coin + "/market_chart/range?vs_currency=usd"
}

// CSVURL is the CSV URL of coin, without from and to.
func (p *Prices) CSVURL(coin string) string { return p.URL + "/csv/" + coin }

// cgError is CoinGecko's error body.
func cgError(msg string) []byte {
	b, _ := json.Marshal(map[string]string{"error": msg})
	return b
}

// cgStatusBody is what CoinGecko (or its proxy) sends with an error status.
func cgStatusBody(status int) []byte {
	switch {
	case status == http.StatusTooManyRequests:
		return []byte(`{"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."}}`)
	case status >= 500:
		return hubStatusBody(status)
	}
	return cgError(http.StatusText(status))
}

// ServeHTTP answers the two endpoints.
func (p *Prices) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ft := p.f.next(r)
	q := r.URL.Query()
	ct := "application/json; charset=utf-8"
	if p.opts.APIKey != "" {
		key := r.Header.Get("X-Cg-Demo-Api-Key")
		if key == "" {
			key = q.Get("x_cg_demo_api_key")
		}
		if key != p.opts.APIKey {
			body := []byte(`{"status":{"error_code":10002,"error_message":"API Key Missing"}}`)
			if key != "" {
				body = []byte(`{"status":{"error_code":10002,"error_message":"Invalid API Key"}}`)
			}
			p.f.serve(w, r, ft, ct, http.StatusUnauthorized, body, cgStatusBody)
			return
		}
	}
	var coin string
	csv := false
	switch path := r.URL.Path; {
	case strings.HasPrefix(path, "/api/v3/coins/") && strings.HasSuffix(path, "/market_chart/range"):
		coin = strings.TrimSuffix(strings.TrimPrefix(path, "/api/v3/coins/"), "/market_chart/range")
	case strings.HasPrefix(path, "/csv/"):
		coin, csv, ct = strings.TrimPrefix(path, "/csv/"), true, "text/csv; charset=utf-8"
	default:
		p.f.serve(w, r, ft, ct, http.StatusNotFound, cgError("Incorrect path. Please check https://www.coingecko.com/api/"), cgStatusBody)
		return
	}
	unit := time.Second
	if csv {
		unit = time.Millisecond
	}
	from, errFrom := parseBound(q.Get("from"), unit)
	to, errTo := parseBound(q.Get("to"), unit)
	if errFrom != nil || errTo != nil {
		p.f.serve(w, r, ft, ct, http.StatusBadRequest, cgError("invalid from or to"), cgStatusBody)
		return
	}
	pts, ok := p.points(coin, from, to, csv)
	if !ok {
		p.f.serve(w, r, ft, ct, http.StatusNotFound, cgError("coin not found"), cgStatusBody)
		return
	}
	var body []byte
	if csv {
		body = csvBody(pts)
	} else {
		body = rangeBody(pts)
	}
	p.f.serve(w, r, ft, ct, http.StatusOK, body, cgStatusBody)
}

// points returns coin's transformed points in [from, to], downsampled to
// one a day for long market_chart ranges, and records the call.
func (p *Prices) points(coin string, from, to time.Time, csv bool) ([]Point, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.series[coin]
	if !ok {
		return nil, false
	}
	lo := sort.Search(len(s), func(i int) bool { return s[i].MS >= from.UnixMilli() })
	var out []Point
	daily := !csv && p.opts.DailyAbove > 0 && to.Sub(from) > p.opts.DailyAbove
	lastDay := int64(-1)
	for _, pt := range s[lo:] {
		if pt.MS > to.UnixMilli() {
			break
		}
		if daily {
			day := pt.MS / 86_400_000
			if day == lastDay {
				continue
			}
			lastDay = day
		}
		if p.transform != nil {
			pt = p.transform(coin, pt)
		}
		out = append(out, pt)
	}
	p.calls = append(p.calls, PriceCall{Coin: coin, From: from, To: to, Rows: len(out), CSV: csv})
	return out, true
}

// parseBound reads a from/to parameter: a number of units since the epoch
// or an ISO date (2006-01-02 or RFC 3339).
func parseBound(v string, unit time.Duration) (time.Time, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Unix(0, 0).Add(time.Duration(f * float64(unit))), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", v)
}

func rangeBody(pts []Point) []byte {
	var b bytes.Buffer
	b.WriteString(`{"prices":[`)
	for i, pt := range pts {
		if i > 0 {
			b.WriteByte(',')
		}
		writePair(&b, pt.MS, pt.Price)
	}
	b.WriteString(`],"market_caps":[],"total_volumes":[`)
	n := 0
	for _, pt := range pts {
		if pt.HasVolume {
			if n > 0 {
				b.WriteByte(',')
			}
			writePair(&b, pt.MS, pt.Volume)
			n++
		}
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func writePair(b *bytes.Buffer, ms int64, v float64) {
	b.WriteByte('[')
	b.WriteString(strconv.FormatInt(ms, 10))
	b.WriteByte(',')
	vb, err := json.Marshal(v)
	if err != nil { // NaN or an infinity from a transform
		vb = []byte("null")
	}
	b.Write(vb)
	b.WriteByte(']')
}

func csvBody(pts []Point) []byte {
	var b bytes.Buffer
	for _, pt := range pts {
		b.WriteString(strconv.FormatInt(pt.MS, 10))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(pt.Price, 'g', -1, 64))
		b.WriteByte('\n')
	}
	return b.Bytes()
}
