// Package httpfetch is the HTTP plumbing shared by the HTTP source kinds
// (snapshot, http_prices): one logical request becomes one or more attempts
// with
//
//   - a per-attempt timeout;
//   - retries with exponential backoff and jitter on 5xx answers, 408,
//     timeouts, connection resets and bodies cut off mid-transfer;
//   - Retry-After honoured on 429 and 503 (up to max_retry_after; a longer
//     wait fails at once with sources.ErrTransient);
//   - a client-side rate limit (token bucket) per source, plus a pause when
//     the origin reports an exhausted quota (X-Api-Key-Remaining: 0 with
//     X-Api-Key-Reset, or the RateLimit-* / X-RateLimit-* pairs);
//   - the raw body kept, so a source can store it in the sources.RawStore
//     and put its SHA-256 into the rows it produced (split-view defence).
//
// Errors are *Error values naming the source, the request (method, URL with
// secrets masked, page) and, for undecodable bodies, the byte offset; they
// wrap sources.ErrTransient (retry budget spent), sources.ErrBadInput (a body
// that does not decode, an unexpected 4xx) or sources.ErrConfig (401, 403,
// 404), and the context's error when the caller cancelled.
//
// Secrets (API keys, keyed URLs) given to the Redactor never appear in
// errors or logs: their values are replaced, and query parameters and URL
// passwords whose names look secret are masked wherever a URL is shown.
package httpfetch
