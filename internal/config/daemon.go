package config

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Daemon is the `daemon:` section: how `groundtruth run` serves its
// metrics and health endpoints, how it stops, and the defaults of the
// jobs' run settings.
//
//	daemon:
//	  listen: 127.0.0.1:9464      # /metrics, /healthz, /readyz ("" : no server)
//	  shutdown_grace: 30s         # how long an in-flight run may finish after SIGTERM
//	  max_concurrent_runs: 4      # runs in flight at once, across jobs
//	  log_format: text            # text or json (--log-format overrides)
//	  record_idle_runs: false     # also keep scheduled runs that found nothing in the history
//	  memory_limit: 384MiB        # soft limit of the Go heap (off: none; GOMEMLIMIT overrides)
//	  job_defaults:               # a job's own fields override these
//	    timeout: 30m
//	    retries: 3
//	    retry_backoff: 10s
//	    retry_backoff_max: 10m
//	    jitter: 0s
//	    timezone: UTC
type Daemon struct {
	// Listen is the address of the metrics and health server; "" serves nothing.
	Listen string `yaml:"listen"`
	// ShutdownGrace is how long in-flight runs may finish after the first
	// SIGINT/SIGTERM before they are abandoned.
	ShutdownGrace time.Duration `yaml:"shutdown_grace"`
	// MaxConcurrentRuns bounds the runs in flight at once.
	MaxConcurrentRuns int `yaml:"max_concurrent_runs"`
	// LogFormat is text or json.
	LogFormat string `yaml:"log_format"`
	// RecordIdleRuns also records scheduled runs that found nothing new in
	// the run history (the metrics count them either way).
	RecordIdleRuns bool `yaml:"record_idle_runs"`
	// JobDefaults are the run settings of jobs that do not set their own.
	JobDefaults RunSettings `yaml:"job_defaults"`
	// MemoryLimit is the soft limit of the Go runtime's memory, as
	// GOMEMLIMIT writes it ("384MiB", "1GiB", "off"); default
	// DefaultMemoryLimit. The GOMEMLIMIT environment variable overrides it.
	MemoryLimit string `yaml:"memory_limit"`
}

// RunSettings say how a job's runs are timed and retried. Unset (nil)
// fields take the daemon's job_defaults, then the built-in defaults.
type RunSettings struct {
	// Timeout bounds one run (0: no limit).
	Timeout *time.Duration `yaml:"timeout"`
	// Retries is how often a failed run is retried before the job is
	// marked failing (it keeps being scheduled).
	Retries *int `yaml:"retries"`
	// RetryBackoff is the wait before the first retry; it doubles with each
	// further retry up to RetryBackoffMax.
	RetryBackoff    *time.Duration `yaml:"retry_backoff"`
	RetryBackoffMax *time.Duration `yaml:"retry_backoff_max"`
	// Jitter is the largest delay added to each scheduled tick; the job's
	// delay is derived from its name, so it is the same on every restart.
	Jitter *time.Duration `yaml:"jitter"`
	// Timezone is the IANA zone cron lines are read in (default UTC).
	Timezone *string `yaml:"timezone"`
}

// JobAttest is a job's `attest:` section: its attestation policy. The
// backend, the stewards and k come from the top-level attestation section.
//
//	attest:
//	  enabled: true        # default: true when the attestation section exists
//	  auto_sign: true      # the pipeline's auto_sign key signs (default: when the key is configured)
//	  review: [error]      # failing findings at these severities: no automatic signatures
type JobAttest struct {
	// Enabled attests the job's versions after sealing.
	Enabled *bool `yaml:"enabled"`
	// AutoSign lets the pipeline's own key (attestation.auto_sign) and the
	// co-signing keys (attestation.cosign) sign the job's versions.
	AutoSign *bool `yaml:"auto_sign"`
	// Review lists the severities (info, warn, error) whose failing
	// findings force human review: such a version is not signed
	// automatically and stays pending until stewards sign it.
	Review []string `yaml:"review"`
}

// runSettings returns the run settings the job itself sets.
func (j *Job) runSettings() RunSettings {
	return RunSettings{Timeout: j.Timeout, Retries: j.Retries, RetryBackoff: j.RetryBackoff,
		RetryBackoffMax: j.RetryBackoffMax, Jitter: j.Jitter, Timezone: j.Timezone}
}

// Built-in run defaults.
const (
	DefaultRunTimeout      = 30 * time.Minute
	DefaultRetries         = 3
	DefaultRetryBackoff    = 10 * time.Second
	DefaultRetryBackoffMax = 10 * time.Minute
	DefaultShutdownGrace   = 30 * time.Second
	DefaultMaxConcurrent   = 4
)

// Effective returns the job's settings over the daemon's defaults over the
// built-in ones, with every field set.
func (c *Config) Effective(j *Job) RunSettings {
	out := RunSettings{}
	var d RunSettings
	if c.Daemon != nil {
		d = c.Daemon.JobDefaults
	}
	out.Timeout = pick(j.Timeout, d.Timeout, DefaultRunTimeout)
	out.Retries = pick(j.Retries, d.Retries, DefaultRetries)
	out.RetryBackoff = pick(j.RetryBackoff, d.RetryBackoff, DefaultRetryBackoff)
	out.RetryBackoffMax = pick(j.RetryBackoffMax, d.RetryBackoffMax, DefaultRetryBackoffMax)
	out.Jitter = pick(j.Jitter, d.Jitter, 0)
	out.Timezone = pick(j.Timezone, d.Timezone, "UTC")
	return out
}

func pick[T any](a, b *T, def T) *T {
	switch {
	case a != nil:
		return a
	case b != nil:
		return b
	}
	return &def
}

// DaemonSettings returns the daemon section with defaults filled in.
func (c *Config) DaemonSettings() Daemon {
	d := Daemon{ShutdownGrace: DefaultShutdownGrace, MaxConcurrentRuns: DefaultMaxConcurrent, LogFormat: "text", MemoryLimit: DefaultMemoryLimit}
	if c.Daemon == nil {
		return d
	}
	if c.Daemon.MemoryLimit != "" {
		d.MemoryLimit = c.Daemon.MemoryLimit
	}
	d.Listen, d.JobDefaults, d.RecordIdleRuns = c.Daemon.Listen, c.Daemon.JobDefaults, c.Daemon.RecordIdleRuns
	if c.Daemon.ShutdownGrace > 0 {
		d.ShutdownGrace = c.Daemon.ShutdownGrace
	}
	if c.Daemon.MaxConcurrentRuns > 0 {
		d.MaxConcurrentRuns = c.Daemon.MaxConcurrentRuns
	}
	if c.Daemon.LogFormat != "" {
		d.LogFormat = c.Daemon.LogFormat
	}
	return d
}

// scheduleParser reads cron lines with an optional seconds field and the
// descriptors (@hourly, @every 5m, ...).
var scheduleParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses a job's schedule: a cron line (5 fields, or 6 with
// seconds first), a descriptor such as @hourly, or "@every DURATION". The
// cron fields are read in loc. "@every" accepts durations below a second
// (down to 10ms, for tests), which robfig/cron rounds up to a second.
func ParseSchedule(spec string, loc *time.Location) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return nil, fmt.Errorf("schedule %q: set the job's timezone field instead of a TZ= prefix", spec)
	}
	if d, ok := strings.CutPrefix(spec, "@every "); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil || every < 10*time.Millisecond {
			return nil, fmt.Errorf("schedule %q: want @every and a duration of at least 10ms, like @every 5m", spec)
		}
		if every < time.Second || every%time.Second != 0 {
			return Every(every), nil
		}
	}
	s, err := scheduleParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %v (want a cron line like \"*/5 * * * *\", @hourly or @every 5m)", spec, err)
	}
	if sp, ok := s.(*cron.SpecSchedule); ok && loc != nil {
		sp.Location = loc
	}
	return s, nil
}

// Every is a constant-interval schedule with sub-second precision: the
// next tick is d after the given time, aligned to multiples of d.
type Every time.Duration

// Next returns the first multiple of the interval after t.
func (e Every) Next(t time.Time) time.Time {
	d := time.Duration(e)
	return t.Truncate(d).Add(d)
}

// daemon checks the daemon section and the run settings of every job.
func (v *validation) daemon() {
	if d := v.c.Daemon; d != nil {
		v.daemonSection(d)
		v.runSettings("daemon.job_defaults", d.JobDefaults, "job_defaults")
	}
	for i := range v.c.Jobs {
		j := &v.c.Jobs[i]
		p := fmt.Sprintf("jobs[%d]", i)
		v.runSettings(p, j.runSettings(), jobWhere(*j, i))
		v.schedule(p, j)
		v.jobAttest(p, j, i)
	}
}

func (v *validation) daemonSection(d *Daemon) {
	if d.Listen != "" {
		if _, _, err := net.SplitHostPort(d.Listen); err != nil {
			v.add("daemon.listen", fmt.Sprintf("daemon listen %q: want host:port, like 127.0.0.1:9464", d.Listen))
		}
	}
	if d.ShutdownGrace < 0 {
		v.add("daemon.shutdown_grace", "daemon shutdown_grace must not be negative")
	}
	if d.MaxConcurrentRuns < 0 || d.MaxConcurrentRuns > 1024 {
		v.add("daemon.max_concurrent_runs", fmt.Sprintf("daemon max_concurrent_runs %d: want 1 to 1024", d.MaxConcurrentRuns))
	}
	if d.LogFormat != "" && d.LogFormat != "text" && d.LogFormat != "json" {
		v.add("daemon.log_format", fmt.Sprintf("daemon log_format %q: want text or json", d.LogFormat))
	}
	if d.MemoryLimit != "" {
		if _, err := ParseMemoryLimit(d.MemoryLimit); err != nil {
			v.add("daemon.memory_limit", "daemon "+err.Error())
		}
	}
}

// runSettings checks the fields a job or the job defaults set.
func (v *validation) runSettings(p string, s RunSettings, where string) {
	for name, d := range map[string]*time.Duration{"timeout": s.Timeout, "retry_backoff": s.RetryBackoff,
		"retry_backoff_max": s.RetryBackoffMax, "jitter": s.Jitter} {
		if d != nil && *d < 0 {
			v.add(p+"."+name, fmt.Sprintf("%s of %s must not be negative", name, where))
		}
	}
	if s.Retries != nil && (*s.Retries < 0 || *s.Retries > 100) {
		v.add(p+".retries", fmt.Sprintf("retries of %s: %d is not between 0 and 100", where, *s.Retries))
	}
	if s.Timezone != nil {
		if _, err := time.LoadLocation(*s.Timezone); err != nil {
			v.add(p+".timezone", fmt.Sprintf("timezone %q of %s: not an IANA time zone (like UTC or Europe/Zurich)", *s.Timezone, where))
		}
	}
}

// schedule checks a job's cron line in its effective time zone.
func (v *validation) schedule(p string, j *Job) {
	if j.Schedule == "" {
		return
	}
	loc, err := time.LoadLocation(*v.c.Effective(j).Timezone)
	if err != nil {
		return // reported with the timezone
	}
	if _, err := ParseSchedule(j.Schedule, loc); err != nil {
		v.add(p+".schedule", err.Error())
	}
}

// jobAttest checks a job's attest section against the attestation section.
func (v *validation) jobAttest(p string, j *Job, i int) {
	a := j.Attest
	if a == nil {
		return
	}
	for i, s := range a.Review {
		if s != "info" && s != "warn" && s != "error" {
			v.add(fmt.Sprintf("%s.attest.review[%d]", p, i), fmt.Sprintf("review severity %q: want info, warn or error", s))
		}
	}
	if v.c.Attestation == nil && (a.Enabled == nil || *a.Enabled) {
		v.add(p+".attest", fmt.Sprintf("%s attests its versions but the file has no attestation: section", jobWhere(*j, i)))
	}
	if a.AutoSign != nil && *a.AutoSign && v.c.Attestation != nil && v.c.Attestation.AutoSign == nil && len(v.c.Attestation.Cosign) == 0 {
		v.add(p+".attest.auto_sign", "auto_sign: true needs attestation.auto_sign (the pipeline's key) or attestation.cosign keys")
	}
}

// AttestEnabled reports whether the job's versions are attested after sealing.
func (c *Config) AttestEnabled(j *Job) bool {
	if c.Attestation == nil {
		return false
	}
	return j.Attest == nil || j.Attest.Enabled == nil || *j.Attest.Enabled
}

// AutoSignEnabled reports whether the pipeline's keys sign the job's versions.
func (c *Config) AutoSignEnabled(j *Job) bool {
	if c.Attestation == nil || (c.Attestation.AutoSign == nil && len(c.Attestation.Cosign) == 0) {
		return false
	}
	return j.Attest == nil || j.Attest.AutoSign == nil || *j.Attest.AutoSign
}
