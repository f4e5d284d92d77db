package httpfetch

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff returns the jittered wait after the given failed attempt
// (1-based): BackoffMin doubled per retry, capped at BackoffMax, then
// scaled by a random factor in [0.5, 1).
func backoff(cfg Config, attempt int) time.Duration {
	d := float64(cfg.BackoffMin) * math.Pow(2, float64(attempt-1))
	if d > float64(cfg.BackoffMax) {
		d = float64(cfg.BackoffMax)
	}
	return time.Duration(d * (0.5 + rand.Float64()/2))
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(secs) && !math.IsInf(secs, 0) {
		if secs < 0 {
			secs = 0
		}
		if secs > 1e9 {
			secs = 1e9
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// quotaHeaders are the (remaining, reset) header pairs that report a
// request quota: the Snapshot hub's keycard headers, the IETF draft
// RateLimit headers and the common X-RateLimit ones.
var quotaHeaders = [][2]string{
	{"X-Api-Key-Remaining", "X-Api-Key-Reset"},
	{"RateLimit-Remaining", "RateLimit-Reset"},
	{"X-RateLimit-Remaining", "X-RateLimit-Reset"},
}

// quotaReset returns when an exhausted quota resets: it looks for a
// remaining count of 0 with a reset value, read as Unix milliseconds
// (values above 1e12), Unix seconds (above 1e9) or seconds from now. An
// absolute reset is rounded down by its unit, so one unit (plus a few
// milliseconds) is added: a request sent at the truncated instant would
// still count against the old quota.
func quotaReset(h http.Header, now time.Time) (time.Time, bool) {
	for _, p := range quotaHeaders {
		rem := strings.TrimSpace(h.Get(p[0]))
		if rem == "" {
			continue
		}
		n, err := strconv.ParseFloat(rem, 64)
		if err != nil || n > 0 {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(h.Get(p[1])), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) {
			continue
		}
		switch {
		case v > 1e12:
			return time.UnixMilli(int64(v)).Add(5 * time.Millisecond), true
		case v > 1e9:
			return time.Unix(int64(v), 0).Add(time.Second + 5*time.Millisecond), true
		default:
			return now.Add(time.Duration(v * float64(time.Second))), true
		}
	}
	return time.Time{}, false
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
