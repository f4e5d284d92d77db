package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

const linksConfig = `version: 1
data_dir: data
daemon: {shutdown_grace: 5s}
serve:
  console: {{.Console}}
  anonymous: {datasets: ["*"]}
jobs:
  - name: comp-usd
    dataset: comp_usd
    schedule: "@every 200ms"
    source:
      kind: http_prices
      preset: coingecko_range
      url: {{.Prices}}
      start: {{.Start}}
      end: {{.End}}
      window: 6h
      http: {rate_limit: 0, attempts: 1}
`

// TestDaemonLogsReportLinks runs the daemon with the console on and off:
// with it, the log line of each recorded run links the console's page of
// the run and its validation report; without it, the line has no link.
// (The schedule's first tick is one interval after the start.)
func TestDaemonLogsReportLinks(t *testing.T) {
	tests := []struct {
		name    string
		console bool
	}{{"console on", true}, {"console off", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prices := startPrices(t, 12, -1)
			cfg := writeConfig(t, t.TempDir(), linksConfig, map[string]any{"Console": tt.console, "Prices": prices.RangeURL("comp"),
				"Start": pricesStart.Format(time.RFC3339), "End": pricesStart.Add(11 * time.Hour).Format(time.RFC3339)})
			d := startDaemonCLI(t, nil, "run", "--config", cfg, "--listen", "127.0.0.1:0")
			runLine := regexp.MustCompile(`msg=run .*\n`)
			waitFor(t, 30*time.Second, "the first run's log line", func() bool { return runLine.MatchString(d.errOut.String()) })
			if code := d.stop(t); code != 0 {
				t.Fatalf("the daemon exited %d:\n%s", code, d.errOut)
			}
			line := runLine.FindString(d.errOut.String())
			run := regexp.MustCompile(` run=(\S+)`).FindStringSubmatch(line)
			if run == nil {
				t.Fatalf("no run id in %q", line)
			}
			if !tt.console {
				if strings.Contains(line, "report=") {
					t.Errorf("a link without the console: %s", line)
				}
				return
			}
			checkReportLink(t, d.errOut.String(), d.url, run[1])
		})
	}
}
