package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Masked replaces a secret value in messages.
const Masked = "REDACTED"

// secretNames are query parameter and header names that always carry a
// secret, whatever other rule says.
var secretNames = map[string]bool{
	"key": true, "apikey": true, "api_key": true, "api-key": true, "x-api-key": true,
	"appid": true, "app_id": true, "token": true, "access_token": true, "sig": true,
}

// secretNameParts are the substrings that make a query parameter or header
// name secret.
var secretNameParts = []string{"key", "token", "secret", "password", "passwd", "auth", "signature", "credential", "session"}

// SecretName reports whether a query parameter or header name carries a
// secret (apiKey, x_cg_pro_api_key, access_token, appid, Authorization).
func SecretName(name string) bool {
	n := strings.ToLower(name)
	if secretNames[n] {
		return true
	}
	for _, p := range secretNameParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// URL returns raw with its user information, secret query parameters and
// path keys masked. An unparsable URL is masked whole.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Masked + " (unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(Masked)
	}
	if u.RawQuery != "" {
		u.RawQuery = maskQuery(u.RawQuery)
	}
	if p := maskPath(u.EscapedPath()); p != u.EscapedPath() {
		if up, err := url.PathUnescape(p); err == nil {
			u.Path, u.RawPath = up, p
		}
	}
	return u.String()
}

// Origin returns the scheme and host of raw ("(unparsable URL)" when it
// has none): the part of an endpoint that is never secret.
func Origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host
}

// maskQuery masks the values of secret parameters, keeping the order and
// encoding of the others.
func maskQuery(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		name, _, ok := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if ok && SecretName(name) {
			parts[i] = p[:strings.IndexByte(p, '=')+1] + Masked
		}
	}
	return strings.Join(parts, "&")
}

// versionSegment is a path segment after which providers put the key
// (Infura /v3/KEY, Alchemy /v2/KEY).
var versionSegment = regexp.MustCompile(`^v[0-9]+$`)

// maskPath masks the path segments that look like keys: the segment after
// v2, v3… when at least 16 characters long, and any token-like segment of
// 20 to 63 characters mixing letters and digits (a 64-character SHA-256
// and a 0x address or hash are not secrets).
func maskPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		afterVersion := i > 0 && versionSegment.MatchString(segs[i-1]) && len(s) >= 16
		if afterVersion || tokenLike(s) {
			segs[i] = Masked
		}
	}
	return strings.Join(segs, "/")
}

func tokenLike(s string) bool {
	if len(s) < 20 || len(s) > 63 || strings.HasPrefix(s, "0x") {
		return false
	}
	var letters, digits bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letters = true
		case r == '-' || r == '_':
		default:
			return false
		}
	}
	return letters && digits
}

// urlInText finds URLs with a scheme in free text.
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>` + "`" + `]+`)

// URLs masks every URL found in s (see URL).
func URLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, func(m string) string {
		trail := ""
		for len(m) > 0 && strings.ContainsRune(".,;:)]}", rune(m[len(m)-1])) {
			trail = m[len(m)-1:] + trail
			m = m[:len(m)-1]
		}
		return URL(m) + trail
	})
}

// URLSecrets returns the secret parts of raw that URL masks: the user
// information, the values of key parameters and the path keys. Registered
// with a Redactor they are masked wherever they appear, also outside a
// URL (an upstream that echoes its request path).
func URLSecrets(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	var out []string
	if u.User != nil {
		out = append(out, u.User.Username())
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
	}
	for name, vals := range u.Query() {
		if SecretName(name) {
			out = append(out, vals...)
		}
	}
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if (i > 0 && versionSegment.MatchString(segs[i-1]) && len(s) >= 16) || tokenLike(s) {
			out = append(out, s)
		}
	}
	return out
}
