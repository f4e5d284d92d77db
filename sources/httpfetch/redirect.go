package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// ErrRedirect is wrapped (with sources.ErrConfig) by the error for a
// redirect the policy refuses: to another origin not in
// redirect_origins, to a scheme other than http and https, to a loopback,
// link-local or private address when the configured URL is not one, or
// more than MaxRedirects in a row.
var ErrRedirect = errors.New("redirect refused")

// MaxRedirects is the most redirects one request follows.
const MaxRedirects = 5

// addrClass is how internal an address is.
type addrClass int

const (
	classPublic addrClass = iota
	classLoopback
	classPrivate
	classLinkLocal
	classForbidden // unspecified, multicast: never
)

func (c addrClass) String() string {
	return [...]string{"public", "loopback", "private", "link-local", "unspecified or multicast"}[c]
}

func classify(a netip.Addr) addrClass {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return classLoopback
	case a.IsLinkLocalUnicast():
		return classLinkLocal
	case a.IsPrivate():
		return classPrivate
	case a.IsUnspecified(), a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return classForbidden
	}
	return classPublic
}

// hostClass returns the most internal class of the addresses host names
// (an IP literal, or every address it resolves to).
func hostClass(ctx context.Context, host string) (addrClass, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return classify(a), nil
	}
	if strings.EqualFold(host, "localhost") {
		return classLoopback, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return classPublic, fmt.Errorf("resolving %s: %w", host, err)
	}
	worst := classPublic
	for _, a := range addrs {
		worst = max(worst, classify(a))
	}
	return worst, nil
}

// origin returns scheme://host[:port] of u, lowercased, the default port
// dropped.
func origin(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return strings.ToLower(u.Scheme) + "://" + host
}

// redirectError is a refused redirect.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }
func (e *redirectError) Unwrap() error { return ErrRedirect }

// checkRedirect is the http.Client's CheckRedirect: it applies the
// redirect policy and, on an allowed cross-origin redirect, strips every
// credential (Authorization, Cookie, API-key headers, key parameters and
// registered secrets in the query). It never lets a Referer through.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	// net/http has just set Referer to the previous URL, which may hold
	// a key (?apikey=…, a path key): a data fetcher never sends one.
	req.Header.Del("Referer")
	first := via[0].URL
	refuse := func(format string, args ...any) error {
		return &redirectError{msg: fmt.Sprintf("not following the redirect to %s: ", c.red.URL(req.URL.String())) + fmt.Sprintf(format, args...)}
	}
	if len(via) > MaxRedirects {
		return refuse("more than %d redirects", MaxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return refuse("only http and https are followed")
	}
	to := origin(req.URL)
	cross := to != origin(first)
	if cross && !c.allowedOrigin(to) {
		return refuse("it is another origin than %s (add %s to redirect_origins to follow it)", origin(first), to)
	}
	from, err := hostClass(req.Context(), first.Hostname())
	if err != nil {
		return refuse("%v", err)
	}
	target, err := hostClass(req.Context(), req.URL.Hostname())
	if err != nil {
		return refuse("%v", err)
	}
	if target == classForbidden || (target != classPublic && target != from) {
		return refuse("it is a %s address and the configured URL is not", target)
	}
	if cross {
		c.stripCredentials(req)
	}
	return nil
}

// allowedOrigin reports whether o is in redirect_origins.
func (c *Client) allowedOrigin(o string) bool {
	for _, a := range c.cfg.RedirectOrigins {
		if u, err := url.Parse(a); err == nil && origin(u) == o {
			return true
		}
	}
	return false
}

// stripCredentials removes what authenticates the source from a request
// to another origin.
func (c *Client) stripCredentials(req *http.Request) {
	for name := range req.Header {
		if SecretName(name) || strings.EqualFold(name, "Cookie") {
			req.Header.Del(name)
		}
	}
	if req.URL.RawQuery == "" {
		return
	}
	q := req.URL.Query()
	for name, vals := range q {
		if SecretName(name) || c.red.Values(strings.Join(vals, "\n")) != strings.Join(vals, "\n") {
			q.Del(name)
		}
	}
	req.URL.RawQuery = q.Encode()
}

// validateOrigins checks redirect_origins.
func validateOrigins(list []string) error {
	var errs []error
	for _, o := range list {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			errs = append(errs, FieldError("redirect_origins", "redirect_origins: %q is not an origin: want scheme://host[:port], e.g. https://api.example.com", o))
		}
	}
	return errors.Join(errs...)
}
