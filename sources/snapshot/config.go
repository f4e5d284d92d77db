package snapshot

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// Defaults and the hub's limits.
const (
	DefaultURL       = "https://hub.snapshot.org/graphql"
	MaxFirst         = 1000 // the hub rejects first > 1000
	MaxSkip          = 5000 // the hub rejects skip > 5000
	DefaultMaxPages  = 200
	DefaultRateLimit = 1.5 // requests per second: the keyless limit is 100 a minute
)

// Tables this source can read.
const (
	TableProposals = "proposals"
	TableVotes     = "votes"
	TableSpaces    = "spaces"
)

// Config is the kind-specific configuration of a snapshot source.
type Config struct {
	// URL is the hub's GraphQL endpoint.
	URL string `yaml:"url"`
	// APIKey is sent in the x-api-key header; write it as ${ENV}. It is
	// masked in messages.
	APIKey string `yaml:"api_key"`
	// Table is proposals, votes or spaces (one dataset per job).
	Table string `yaml:"table" config:"required"`
	// Space is the space id (ens.eth): only its items are read. It is
	// required for proposals and votes; for spaces it selects that one
	// space, and without it every space on the hub is read.
	Space string `yaml:"space"`
	// Start is where the first fetch begins: Unix seconds, a 2006-01-02
	// date or an RFC 3339 time (default: the beginning).
	Start string `yaml:"start"`
	// PageSize is the first argument of each query (at most 1000).
	PageSize int `yaml:"page_size"`
	// MaxPages bounds the queries of one fetch.
	MaxPages int `yaml:"max_pages"`
	// PendingTimeout lets the cursor pass items that are still not final
	// this long after they were created (their rows are then never read);
	// 0 waits for them forever.
	PendingTimeout time.Duration `yaml:"pending_timeout"`
	// HTTP tunes timeouts, retries and the rate limit.
	HTTP httpfetch.Config `yaml:"http"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{URL: DefaultURL, PageSize: MaxFirst, MaxPages: DefaultMaxPages, HTTP: httpfetch.DefaultConfig(DefaultRateLimit)}
}

var fieldErr = httpfetch.FieldError

// Validate checks the values.
func (c *Config) Validate() error {
	var errs []error
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fieldErr("url", "url must be an http or https URL with a host"))
	}
	if tables[c.Table] == nil {
		errs = append(errs, fieldErr("table", "table must be %s, %s or %s, got %q", TableProposals, TableVotes, TableSpaces, c.Table))
	}
	switch {
	case strings.TrimSpace(c.Space) != "":
	case c.Table != TableSpaces:
		errs = append(errs, fieldErr("space", "space is required for table %s (e.g. aave.eth)", c.Table))
	case c.Space != "":
		errs = append(errs, fieldErr("space", "space is blank; leave it out to read every space"))
	}
	if _, err := parseStart(c.Start); err != nil {
		errs = append(errs, fieldErr("start", "%v", err))
	}
	if c.PageSize < 1 || c.PageSize > MaxFirst {
		errs = append(errs, fieldErr("page_size", "page_size must be between 1 and %d (the hub's cap), got %d", MaxFirst, c.PageSize))
	}
	if c.MaxPages < 1 {
		errs = append(errs, fieldErr("max_pages", "max_pages must be at least 1, got %d", c.MaxPages))
	}
	if c.PendingTimeout < 0 {
		errs = append(errs, fieldErr("pending_timeout", "pending_timeout must not be negative"))
	}
	if err := c.HTTP.Validate(); err != nil {
		errs = append(errs, fieldErr("http", "http: %s", strings.ReplaceAll(err.Error(), "\n", "; ")))
	}
	return errors.Join(errs...)
}

// parseStart reads start as Unix seconds.
func parseStart(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
		return n, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Unix(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Unix(), nil
	}
	return 0, errors.New("start must be Unix seconds, a 2006-01-02 date or an RFC 3339 time, got " + strconv.Quote(s))
}
