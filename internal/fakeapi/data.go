package fakeapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LoadPriceCSV reads a price series written as `ms_timestamp,price` lines
// without a header (the format of ../shared/data/prices/*.csv).
func LoadPriceCSV(path string) ([]Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Point
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		msText, priceText, ok := strings.Cut(text, ",")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want ms_timestamp,price, got %q", path, line, text)
		}
		ms, err := strconv.ParseInt(msText, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: timestamp: %v", path, line, err)
		}
		price, err := strconv.ParseFloat(priceText, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: price: %v", path, line, err)
		}
		out = append(out, Point{MS: ms, Price: price})
	}
	return out, sc.Err()
}

// LoadHubResponses reads recorded hub answers ({"data": {"votes": [...],
// "proposals": [...], "spaces": [...]}}) and returns their items as
// HubData, items verbatim.
func LoadHubResponses(paths ...string) (HubData, error) {
	var d HubData
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return d, err
		}
		if err := d.AddResponse(raw); err != nil {
			return d, fmt.Errorf("%s: %w", p, err)
		}
	}
	return d, nil
}

// AddResponse adds the items of one recorded hub answer.
func (d *HubData) AddResponse(body []byte) error {
	var resp struct {
		Data struct {
			Spaces    []Item `json:"spaces"`
			Proposals []Item `json:"proposals"`
			Votes     []Item `json:"votes"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&resp); err != nil {
		return err
	}
	d.Spaces = append(d.Spaces, resp.Data.Spaces...)
	d.Proposals = append(d.Proposals, resp.Data.Proposals...)
	d.Votes = append(d.Votes, resp.Data.Votes...)
	return nil
}

// SharedCoins maps the CoinGecko ids the price server uses for the real
// series to their files under the shared data folder.
var SharedCoins = map[string]string{
	"compound-governance-token": "prices/comp_usd.csv",
	"aave":                      "prices/aave_usd.csv",
}

// AddSharedSeries loads the real COMP and AAVE series from dataDir (the
// shared data folder, see SharedDataDir) and serves them under their
// CoinGecko ids (SharedCoins); it returns the points by coin.
func (p *Prices) AddSharedSeries(dataDir string) (map[string][]Point, error) {
	out := map[string][]Point{}
	for coin, file := range SharedCoins {
		pts, err := LoadPriceCSV(filepath.Join(dataDir, file))
		if err != nil {
			return nil, err
		}
		p.AddSeries(coin, pts)
		out[coin] = pts
	}
	return out, nil
}
