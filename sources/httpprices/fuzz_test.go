package httpprices

import (
	"math"
	"testing"
)

// fuzzParse checks that parsing never panics and that a body either fails
// or yields points that fit the schema (finite prices and volumes).
func fuzzParse(f *testing.F, cfg Config, seeds ...string) {
	cfg.Complete()
	p := &parser{cfg: &cfg}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		pts, err := p.parse(body)
		if err != nil {
			if pts != nil {
				t.Fatalf("points returned with an error: %v", err)
			}
			return
		}
		for i, pt := range pts {
			if math.IsNaN(pt.price) || math.IsInf(pt.price, 0) || pt.hasVol && (math.IsNaN(pt.volume) || math.IsInf(pt.volume, 0)) {
				t.Fatalf("point %d is not finite: %+v", i, pt)
			}
			if !pt.hasVol && pt.volume != 0 {
				t.Fatalf("point %d has a volume but no flag: %+v", i, pt)
			}
		}
	})
}

func FuzzParseCoinGecko(f *testing.F) {
	fuzzParse(f, Config{Preset: PresetCoinGeckoRange},
		`{"prices":[[1000,1.5],[2000,2.5]],"market_caps":[],"total_volumes":[[2000,7]]}`,
		`{"prices":[[1e3,"1.5"]],"total_volumes":[[1000,null]]}`,
		`{"prices":[[1000,1.5,3]],"total_volumes":[]} `,
		`{"prices":[[99999999999999999999,1]],"total_volumes":[]}`,
		`{"prices":[[1,1e400]],"total_volumes":[]}`,
		`[]`, `{"data": {"rows": @@@ not json`)
}

func FuzzParseMapped(f *testing.F) {
	fuzzParse(f, Config{TimestampUnit: "rfc3339", JSON: JSONMapping{Rows: "data.items", Timestamp: "t", Price: "quote.close", Volume: "v"}},
		`{"data":{"items":[{"t":"2023-01-01T00:00:01Z","quote":{"close":"42.125"},"v":null}]}}`,
		`{"data":{"items":[{"t":"2023-01-01T00:00:01+02:00","quote":{"close":1},"v":"NaN"}]}}`,
		`{"data":{"items":{}}}`)
}

func FuzzParseCSV(f *testing.F) {
	fuzzParse(f, Config{Format: FormatCSV, TimestampUnit: "s", CSV: CSVMapping{Header: true, Timestamp: "time", Price: "close", Volume: "3"}},
		"time,close,vol\n1,2,\n2,3,4\n", "time,close\n\"1\",\"2\"\n", "time,close,vol\n1.5,Inf,1\n", "x\n\"unterminated")
}
