package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/config"
)

const daemonConfig = `version: 1
daemon:
  listen: 127.0.0.1:9464
  shutdown_grace: 5s
  job_defaults:
    retries: 2
    timezone: Europe/Zurich
attestation:
  backend: registry
  chain_id: 31337
  registry: 0x5FbDB2315678afecb367f032d93F642f64180aa3
  auto_sign: {keystore: keys/pipeline.json}
  cosign:
    - {keystore: keys/alice.json, password_file: alice.pass}
  inbox: signatures
jobs:
  - name: a
    dataset: a
    schedule: "0 */2 * * *"
    timeout: 1m
    jitter: 10s
    attest: {review: [error]}
    source: {kind: fake, url: x}
  - name: b
    dataset: b
    schedule: "@every 250ms"
    retries: 0
    timezone: UTC
    attest: {enabled: false}
    source: {kind: fake, url: y}
`

func TestDaemonSection(t *testing.T) {
	c, err := config.Parse("/etc/gt/groundtruth.yaml", []byte(daemonConfig), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	d := c.DaemonSettings()
	if d.Listen != "127.0.0.1:9464" || d.ShutdownGrace != 5*time.Second || d.MaxConcurrentRuns != config.DefaultMaxConcurrent || d.LogFormat != "text" {
		t.Fatalf("daemon settings: %+v", d)
	}
	a, b := c.Effective(&c.Jobs[0]), c.Effective(&c.Jobs[1])
	if *a.Timeout != time.Minute || *a.Retries != 2 || *a.Jitter != 10*time.Second || *a.Timezone != "Europe/Zurich" || *a.RetryBackoff != config.DefaultRetryBackoff {
		t.Fatalf("job a: %+v", a)
	}
	if *b.Retries != 0 || *b.Timezone != "UTC" || *b.Timeout != config.DefaultRunTimeout {
		t.Fatalf("job b: %+v", b)
	}
	if !c.AttestEnabled(&c.Jobs[0]) || c.AttestEnabled(&c.Jobs[1]) || !c.AutoSignEnabled(&c.Jobs[0]) {
		t.Fatal("attest policy")
	}
	att := *c.Attestation
	att.Resolve(c.BaseDir)
	if att.Inbox != "/etc/gt/signatures" || att.Cosign[0].Keystore != "/etc/gt/keys/alice.json" {
		t.Fatalf("paths: %+v", att)
	}
}

func TestDaemonSectionProblems(t *testing.T) {
	bad := `version: 1
daemon:
  listen: nowhere
  max_concurrent_runs: -1
  log_format: yaml
  job_defaults:
    retries: 101
jobs:
  - name: a
    dataset: a
    schedule: "61 * * * *"
    timezone: Mars/Olympus
    timeout: -1s
    attest: {review: [fatal]}
    source: {kind: fake, url: x}
  - name: b
    dataset: b
    schedule: "@every 1ms"
    jitter: 5
    source: {kind: fake, url: x}
`
	_, err := config.Parse("g.yaml", []byte(bad), nil)
	if !errors.Is(err, config.ErrInvalid) {
		t.Fatalf("want invalid, got %v", err)
	}
	for _, want := range []string{
		`g.yaml:3:11: daemon listen "nowhere"`,
		`g.yaml:4:24: daemon max_concurrent_runs -1`,
		`g.yaml:5:15: daemon log_format "yaml"`,
		`g.yaml:7:14: retries of job_defaults: 101`,
		`g.yaml:12:15: timezone "Mars/Olympus"`,
		`g.yaml:13:14: timeout of job "a" must not be negative`,
		`review severity "fatal"`,
		`job "a" attests its versions but the file has no attestation: section`,
		`g.yaml:18:15: schedule "@every 1ms"`,
		`g.yaml:19:13:`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func TestParseSchedule(t *testing.T) {
	zurich, _ := time.LoadLocation("Europe/Zurich")
	at := time.Date(2025, 1, 1, 10, 0, 0, 500_000_000, time.UTC)
	for _, tc := range []struct {
		spec string
		loc  *time.Location
		want time.Time
	}{
		{"@every 1s", time.UTC, time.Date(2025, 1, 1, 10, 0, 1, 0, time.UTC)},
		{"@every 200ms", time.UTC, time.Date(2025, 1, 1, 10, 0, 0, 600_000_000, time.UTC)},
		{"*/15 * * * *", time.UTC, time.Date(2025, 1, 1, 10, 15, 0, 0, time.UTC)},
		{"30 * * * * *", time.UTC, time.Date(2025, 1, 1, 10, 0, 30, 0, time.UTC)},
		{"0 12 * * *", zurich, time.Date(2025, 1, 1, 11, 0, 0, 0, time.UTC)},
		{"@hourly", time.UTC, time.Date(2025, 1, 1, 11, 0, 0, 0, time.UTC)},
	} {
		s, err := config.ParseSchedule(tc.spec, tc.loc)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		if got := s.Next(at); !got.Equal(tc.want) {
			t.Errorf("%s: next %v, want %v", tc.spec, got, tc.want)
		}
	}
	for _, bad := range []string{"", "* * *", "@every", "@every -1s", "CRON_TZ=UTC * * * * *", "@weekly-ish"} {
		if _, err := config.ParseSchedule(bad, time.UTC); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
