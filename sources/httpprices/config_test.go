package httpprices

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
)

func registry(t *testing.T) *sources.Registry {
	reg, err := sources.NewRegistry(Factory())
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestExampleConfig decodes examples/prices-comp-usd.yaml strictly.
func TestExampleConfig(t *testing.T) {
	getenv := func(string) string { return "key-from-env" }
	_, srcs, err := config.LoadWithSources(filepath.Join("..", "..", "examples", "prices-comp-usd.yaml"), getenv, registry(t), sources.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	cg := srcs["comp-usd-coingecko"].(*Source)
	if cg.cfg.JSON.VolumeRows != "total_volumes" || cg.cfg.Window != 720*time.Hour || cg.cfg.HTTP.RateLimit != 0.5 {
		t.Fatalf("coingecko: %+v", cg.cfg)
	}
	ex := srcs["comp-usd-exchange"].(*Source)
	if ex.cfg.JSON.Rows != "data.candles" || ex.cfg.ParamUnit != "ms" || ex.cfg.Query["token"] != "key-from-env" {
		t.Fatalf("exchange: %+v", ex.cfg)
	}
	if got := ex.client.Redactor().URL(ex.request(0, 1000, 1).URL); strings.Contains(got, "key-from-env") {
		t.Fatalf("the token shows in %s", got)
	}
	if srcs["comp-usd-export"].(*Source).cfg.Format != FormatCSV {
		t.Fatal("csv preset not applied")
	}
}

// TestConfigProblems checks that problems carry their line.
func TestConfigProblems(t *testing.T) {
	yaml := `version: 1
jobs:
  - name: p
    dataset: p
    source:
      kind: http_prices
      url: https://x/y
      preset: csv
      start: 2021-13-01
      json:
        rows: data
        nope: 1
  - name: q
    dataset: q
    source:
      kind: http_prices
      url: https://x/y
      start: 2021-01-01
      timestamp_unit: hours
      http:
        timeout: -1s
`
	_, _, err := config.ParseWithSources("g.yaml", []byte(yaml), nil, registry(t), sources.Deps{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`g.yaml:12:9: unknown field "nope"`, `g.yaml:21:18: field "timeout"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
}
