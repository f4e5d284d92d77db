package demo

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
)

// compSample is 300 hourly COMP/USD prices from the shared real data (see
// data/README.md), embedded so the demo runs without ../shared/data.
//
//go:embed data/comp_usd_sample.csv
var compSample []byte

// The poisoning of the third feed: isolated spikes at these sample indexes
// (factor applied to the price) and a drift over the last driftHours points
// that rises linearly to driftTop.
var spikes = map[int]float64{60: 1.3, 150: 0.72, 230: 1.25}

const (
	driftHours = 72
	driftTop   = 0.06
	// driftFlag is the drift from which every point must be flagged: above
	// the cross-source band (2%) with room for the feeds' noise.
	driftFlag = 0.025
	// coin is the CoinGecko id every feed serves.
	coin = "compound-governance-token"
)

// Feed is one local price API serving the COMP series.
type Feed struct {
	// Name is the feed's short name ("coingecko", "exchange", "aggregator").
	Name string
	// Dataset is the dataset its job writes.
	Dataset string
	// Preset is the http_prices preset that reads it.
	Preset string
	// URL is the endpoint the job reads, without from and to.
	URL string
	// Poisoned is set for the feed that spikes and drifts.
	Poisoned bool

	srv *fakeapi.Prices
}

// Feeds are the three price feeds and what was done to the poisoned one.
type Feeds struct {
	List []*Feed
	// Start is where the price jobs start reading.
	Start time.Time
	// SpikeTimes are the times of the poisoned feed's spikes; DriftTimes
	// the times where its drift is at least driftFlag.
	SpikeTimes, DriftTimes []time.Time
}

// Close stops the feeds' servers.
func (f *Feeds) Close() {
	for _, fd := range f.List {
		fd.srv.Close()
	}
}

// loadSample parses the embedded `ms,price` lines.
func loadSample() ([]fakeapi.Point, error) {
	var out []fakeapi.Point
	sc := bufio.NewScanner(bytes.NewReader(compSample))
	for line := 1; sc.Scan(); line++ {
		ms, price, ok := strings.Cut(strings.TrimSpace(sc.Text()), ",")
		if !ok {
			return nil, fmt.Errorf("comp_usd_sample.csv:%d: want ms_timestamp,price", line)
		}
		t, err1 := strconv.ParseInt(ms, 10, 64)
		p, err2 := strconv.ParseFloat(price, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("comp_usd_sample.csv:%d: bad number", line)
		}
		out = append(out, fakeapi.Point{MS: t, Price: p})
	}
	return out, sc.Err()
}

// rebase shifts the series so that its last point lies 70 minutes before
// now: the feeds look live (fresh for a 90-minute heartbeat) and the jobs'
// one-hour lag still reads every point.
func rebase(pts []fakeapi.Point, now time.Time) []fakeapi.Point {
	shift := now.Add(-70*time.Minute).UnixMilli() - pts[len(pts)-1].MS
	out := make([]fakeapi.Point, len(pts))
	for i, p := range pts {
		out[i] = fakeapi.Point{MS: p.MS + shift, Price: p.Price}
	}
	return out
}

// observe returns another source's view of the series: each point up to
// five minutes off in time with 0.1% noise, from a fixed seed.
func observe(pts []fakeapi.Point, seed uint64) []fakeapi.Point {
	r := rand.New(rand.NewPCG(seed, 0x6a7))
	out := make([]fakeapi.Point, len(pts))
	for i, p := range pts {
		off := int64(r.IntN(600_001)) - 300_000
		out[i] = fakeapi.Point{MS: p.MS + off, Price: p.Price * (1 + 0.001*r.NormFloat64())}
	}
	return out
}

// poison returns the factor applied to each point of the poisoned feed, by
// time, and the times of the spikes and of the strong drift.
func poison(pts []fakeapi.Point) (map[int64]float64, []time.Time, []time.Time) {
	factors := map[int64]float64{}
	var spikeAt, driftAt []time.Time
	n := len(pts)
	for i, p := range pts {
		f := 1.0
		if s, ok := spikes[i]; ok {
			f = s
			spikeAt = append(spikeAt, time.UnixMilli(p.MS).UTC())
		}
		if k := i - (n - driftHours); k >= 0 {
			d := driftTop * float64(k+1) / driftHours
			f *= 1 + d
			if d >= driftFlag-1e-12 {
				driftAt = append(driftAt, time.UnixMilli(p.MS).UTC())
			}
		}
		if f != 1 {
			factors[p.MS] = f
		}
	}
	return factors, spikeAt, driftAt
}

// StartFeeds serves the COMP series on three local price APIs: a
// CoinGecko-like API with the series itself, an exchange's CSV export and
// an aggregator (CoinGecko-like) that observes the series like the
// exchange does, then poisons it with spikes and a drift. The poisoned
// feed is listed last: cross-source checks compare with what the other
// feeds' jobs have sealed.
func StartFeeds(now time.Time) (*Feeds, error) {
	raw, err := loadSample()
	if err != nil {
		return nil, err
	}
	base := rebase(raw, now)
	fs := &Feeds{Start: time.UnixMilli(base[0].MS).UTC().Truncate(time.Hour).Add(-time.Hour)}
	add := func(name, preset string, pts []fakeapi.Point, t fakeapi.Transform) *Feed {
		srv := fakeapi.StartPrices(fakeapi.PriceOptions{DailyAbove: -1})
		srv.AddSeries(coin, pts)
		srv.SetTransform(t)
		fd := &Feed{Name: name, Dataset: "comp_usd_" + name, Preset: preset, URL: srv.RangeURL(coin), srv: srv}
		if preset == "csv" {
			fd.URL = srv.CSVURL(coin)
		}
		fs.List = append(fs.List, fd)
		return fd
	}
	add("coingecko", "coingecko_range", base, nil)
	add("exchange", "csv", observe(base, 2), nil)
	seen := observe(base, 3)
	factors, spikeAt, driftAt := poison(seen)
	fs.SpikeTimes, fs.DriftTimes = spikeAt, driftAt
	add("aggregator", "coingecko_range", seen, func(_ string, p fakeapi.Point) fakeapi.Point {
		if f, ok := factors[p.MS]; ok {
			p.Price *= f
		}
		return p
	}).Poisoned = true
	return fs, nil
}
