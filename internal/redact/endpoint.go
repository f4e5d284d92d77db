package redact

import (
	"net/url"
	"strings"
)

// Endpoint returns an RPC endpoint as it may be printed anywhere (errors,
// logs, the run history, HTTP answers): scheme://host[:port], without the
// user information, the path and the query, where providers put API keys
// (Infura /v3/KEY, Alchemy /v2/KEY, ?apikey=). It is the one function the
// chain clients of attest, serve and the sources use to name a node.
func Endpoint(raw string) string { return Origin(raw) }

// AddEndpoint registers an RPC endpoint with r: the whole URL is shown as
// its Endpoint wherever it appears, and its secret-bearing parts (user
// information, the path and its segments, the query and its values, each
// of at least MinSecretLen characters) as REDACTED, also when they appear
// on their own (a node echoing its request path).
func (r *Redactor) AddEndpoint(raw string) {
	if r == nil || raw == "" {
		return
	}
	r.addShown(raw, Endpoint(raw))
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	parts := []string{u.RawQuery, u.EscapedPath(), u.Path}
	if u.User != nil {
		parts = append(parts, u.User.String(), u.User.Username())
		if pw, ok := u.User.Password(); ok {
			parts = append(parts, pw)
		}
	}
	for _, s := range strings.Split(u.Path, "/") {
		if !versionSegment.MatchString(s) {
			parts = append(parts, s)
		}
	}
	for _, vs := range u.Query() {
		parts = append(parts, vs...)
	}
	for _, p := range parts {
		if p != "/" {
			r.addShown(p, Masked)
		}
	}
}

// DropURLs replaces every URL with a scheme in s by "(URL)", for answers
// given without a token, which must not name any endpoint.
func DropURLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllString(s, "(URL)")
}
