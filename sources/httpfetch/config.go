package httpfetch

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of Config.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultAttempts      = 5
	DefaultBackoffMin    = 500 * time.Millisecond
	DefaultBackoffMax    = 30 * time.Second
	DefaultMaxRetryAfter = 2 * time.Minute
	DefaultMaxBodyBytes  = 64 << 20
)

// Config tunes the HTTP behaviour of one source. It is the `http:` section
// of an HTTP source kind's configuration.
type Config struct {
	// Timeout bounds one attempt: connecting, sending and reading the whole
	// body.
	Timeout time.Duration `yaml:"timeout"`
	// Attempts is the number of attempts per request, the first included.
	Attempts int `yaml:"attempts"`
	// BackoffMin is the base wait before the first retry; it doubles with
	// every further retry up to BackoffMax. Each wait is jittered between
	// half and all of its value.
	BackoffMin time.Duration `yaml:"backoff_min"`
	// BackoffMax caps the backoff.
	BackoffMax time.Duration `yaml:"backoff_max"`
	// MaxRetryAfter is the longest wait asked by the origin (Retry-After, a
	// quota reset) that is honoured; a longer one fails the request at once
	// with sources.ErrTransient, so the next scheduled run tries again.
	MaxRetryAfter time.Duration `yaml:"max_retry_after"`
	// RateLimit is the most requests per second this source sends (retries
	// included); 0 means no client-side limit.
	RateLimit float64 `yaml:"rate_limit"`
	// Burst is how many requests may go out at once under RateLimit.
	Burst int `yaml:"burst"`
	// MaxBodyBytes bounds a response body; a larger one is bad input.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// RedirectOrigins are the origins (scheme://host[:port]) redirects may
	// lead to besides the request's own; credentials are never sent to
	// them. Empty: same-origin redirects only.
	RedirectOrigins []string `yaml:"redirect_origins"`
}

// DefaultConfig returns the defaults, with the given client-side rate
// limit (requests per second; 0 for none).
func DefaultConfig(rateLimit float64) Config {
	return Config{
		Timeout:       DefaultTimeout,
		Attempts:      DefaultAttempts,
		BackoffMin:    DefaultBackoffMin,
		BackoffMax:    DefaultBackoffMax,
		MaxRetryAfter: DefaultMaxRetryAfter,
		RateLimit:     rateLimit,
		Burst:         1,
		MaxBodyBytes:  DefaultMaxBodyBytes,
	}
}

// fieldError is a configuration error about one field; the config package
// reports it at that field's line.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string       { return e.msg }
func (e *fieldError) ConfigField() string { return e.field }

// FieldError returns an error about one configuration field that the
// config package reports at that field's line (it has a ConfigField
// method). The HTTP source kinds use it for their own fields.
func FieldError(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// Validate checks the values.
func (c *Config) Validate() error {
	var errs []error
	if c.Timeout <= 0 {
		errs = append(errs, FieldError("timeout", "timeout must be positive, got %v", c.Timeout))
	}
	if c.Attempts < 1 || c.Attempts > 100 {
		errs = append(errs, FieldError("attempts", "attempts must be between 1 and 100, got %d", c.Attempts))
	}
	if c.BackoffMin <= 0 {
		errs = append(errs, FieldError("backoff_min", "backoff_min must be positive, got %v", c.BackoffMin))
	}
	if c.BackoffMax < c.BackoffMin {
		errs = append(errs, FieldError("backoff_max", "backoff_max (%v) must not be below backoff_min (%v)", c.BackoffMax, c.BackoffMin))
	}
	if c.MaxRetryAfter < 0 {
		errs = append(errs, FieldError("max_retry_after", "max_retry_after must not be negative, got %v", c.MaxRetryAfter))
	}
	if c.RateLimit < 0 {
		errs = append(errs, FieldError("rate_limit", "rate_limit must not be negative, got %v", c.RateLimit))
	}
	if c.Burst < 1 {
		errs = append(errs, FieldError("burst", "burst must be at least 1, got %d", c.Burst))
	}
	if c.MaxBodyBytes < 1 {
		errs = append(errs, FieldError("max_body_bytes", "max_body_bytes must be positive, got %d", c.MaxBodyBytes))
	}
	if err := validateOrigins(c.RedirectOrigins); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
