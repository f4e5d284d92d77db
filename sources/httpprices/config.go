package httpprices

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// Presets name common API shapes; a preset fills the fields left unset.
const (
	// PresetCoinGeckoRange is CoinGecko's /coins/{id}/market_chart/range:
	// {"prices": [[ms, price], ...], "total_volumes": [[ms, volume], ...]},
	// from and to in Unix seconds, windows of at most 90 days (longer ranges
	// are answered with daily points).
	PresetCoinGeckoRange = "coingecko_range"
	// PresetCSV is a plain CSV of `ms_timestamp,price` lines without a
	// header, from and to in Unix milliseconds.
	PresetCSV = "csv"
)

// Formats of price answers.
const (
	FormatJSON = "json"
	FormatCSV  = "csv"
)

// Defaults.
const (
	DefaultWindow    = 30 * 24 * time.Hour
	DefaultLag       = time.Hour
	DefaultMaxPages  = 100
	DefaultRateLimit = 0.5 // requests per second, CoinGecko's demo plan (30/min)
	coinGeckoMaxSpan = 90 * 24 * time.Hour
)

// Config is the kind-specific configuration of an http_prices source.
type Config struct {
	// URL is the endpoint without the time parameters; it may carry other
	// query parameters (and ${ENV} secrets).
	URL string `yaml:"url" config:"required"`
	// Preset fills unset fields for a common API shape: coingecko_range
	// or csv.
	Preset string `yaml:"preset"`
	// Format is json or csv.
	Format string `yaml:"format"`
	// Query holds extra query parameters.
	Query map[string]string `yaml:"query"`
	// Headers are sent with every request; their values are treated as
	// secrets (masked in messages).
	Headers map[string]string `yaml:"headers"`
	// FromParam and ToParam name the time-window parameters (from, to);
	// both bounds are inclusive.
	FromParam string `yaml:"from_param"`
	ToParam   string `yaml:"to_param"`
	// ParamUnit is the unit of their values: s or ms.
	ParamUnit string `yaml:"param_unit"`
	// Window is the span of one request.
	Window time.Duration `yaml:"window"`
	// Start is where the first fetch begins (RFC 3339 or 2006-01-02).
	Start string `yaml:"start" config:"required"`
	// End, when set, is where reading stops for good; otherwise each fetch
	// reads up to now minus Lag.
	End string `yaml:"end"`
	// Lag keeps the newest, still changing, span out of reach; it must
	// exceed the API's publication delay, since a window is not re-read.
	Lag time.Duration `yaml:"lag"`
	// MaxPages bounds the requests of one fetch; the cursor resumes after
	// the last window read.
	MaxPages int `yaml:"max_pages"`
	// TimestampUnit is the unit of timestamps in answers: s, ms, us, ns or
	// rfc3339.
	TimestampUnit string `yaml:"timestamp_unit"`
	// JSON maps a JSON answer to points.
	JSON JSONMapping `yaml:"json"`
	// CSV maps a CSV answer to points.
	CSV CSVMapping `yaml:"csv"`
	// HTTP tunes timeouts, retries and the rate limit.
	HTTP httpfetch.Config `yaml:"http"`
}

// JSONMapping locates points in a JSON answer. Paths are dot-separated
// object keys and array indices ("data.items", "0"); "" is the value itself.
type JSONMapping struct {
	// Rows is the path of the array of points.
	Rows string `yaml:"rows"`
	// Timestamp, Price and Volume are paths inside one point; Volume is
	// optional.
	Timestamp string `yaml:"timestamp"`
	Price     string `yaml:"price"`
	Volume    string `yaml:"volume"`
	// VolumeRows, when set, is the path of a separate array of points
	// (same Timestamp path, volume at Volume) joined on the timestamp, as
	// CoinGecko's total_volumes.
	VolumeRows string `yaml:"volume_rows"`
}

// CSVMapping locates the columns of a CSV answer, by header name or by
// 1-based position.
type CSVMapping struct {
	Header    bool   `yaml:"header"`
	Delimiter string `yaml:"delimiter"`
	Timestamp string `yaml:"timestamp"`
	Price     string `yaml:"price"`
	Volume    string `yaml:"volume"`
}

// DefaultConfig returns the defaults of the HTTP section; the other
// defaults depend on the preset and are filled by Complete.
func DefaultConfig() Config {
	return Config{HTTP: httpfetch.DefaultConfig(DefaultRateLimit)}
}

func setIfEmpty(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// Complete fills unset fields from the preset, then from the general
// defaults.
func (c *Config) Complete() {
	switch c.Preset {
	case PresetCoinGeckoRange:
		setIfEmpty(&c.Format, FormatJSON)
		setIfEmpty(&c.JSON.Rows, "prices")
		setIfEmpty(&c.JSON.Timestamp, "0")
		setIfEmpty(&c.JSON.Price, "1")
		setIfEmpty(&c.JSON.VolumeRows, "total_volumes")
		setIfEmpty(&c.JSON.Volume, "1")
		setIfEmpty(&c.TimestampUnit, "ms")
		setIfEmpty(&c.ParamUnit, "s")
	case PresetCSV:
		setIfEmpty(&c.Format, FormatCSV)
		setIfEmpty(&c.CSV.Timestamp, "1")
		setIfEmpty(&c.CSV.Price, "2")
		setIfEmpty(&c.TimestampUnit, "ms")
		setIfEmpty(&c.ParamUnit, "ms")
	}
	setIfEmpty(&c.Format, FormatJSON)
	setIfEmpty(&c.FromParam, "from")
	setIfEmpty(&c.ToParam, "to")
	setIfEmpty(&c.ParamUnit, "s")
	setIfEmpty(&c.TimestampUnit, "ms")
	setIfEmpty(&c.CSV.Delimiter, ",")
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.Lag == 0 {
		c.Lag = DefaultLag
	}
	if c.MaxPages == 0 {
		c.MaxPages = DefaultMaxPages
	}
}

var fieldErr = httpfetch.FieldError

// Validate checks a completed configuration.
func (c *Config) Validate() error {
	cc := *c
	cc.Complete()
	c = &cc
	var errs []error
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fieldErr("url", "url must be an http or https URL with a host"))
	}
	switch c.Preset {
	case "", PresetCoinGeckoRange, PresetCSV:
	default:
		errs = append(errs, fieldErr("preset", "unknown preset %q (known: %s, %s)", c.Preset, PresetCoinGeckoRange, PresetCSV))
	}
	if c.Format != FormatJSON && c.Format != FormatCSV {
		errs = append(errs, fieldErr("format", "format must be json or csv, got %q", c.Format))
	}
	if c.ParamUnit != "s" && c.ParamUnit != "ms" {
		errs = append(errs, fieldErr("param_unit", "param_unit must be s or ms, got %q", c.ParamUnit))
	}
	if _, ok := timestampUnits[c.TimestampUnit]; !ok {
		errs = append(errs, fieldErr("timestamp_unit", "timestamp_unit must be s, ms, us, ns or rfc3339, got %q", c.TimestampUnit))
	}
	unit := time.Second
	if c.ParamUnit == "ms" {
		unit = time.Millisecond
	}
	if c.Window < unit || c.Window%unit != 0 {
		errs = append(errs, fieldErr("window", "window must be a positive whole number of %s, got %v", c.ParamUnit, c.Window))
	}
	if c.Preset == PresetCoinGeckoRange && c.Window > coinGeckoMaxSpan {
		errs = append(errs, fieldErr("window", "window %v is above 90 days: CoinGecko answers such ranges with daily points", c.Window))
	}
	start, err := parseTime(c.Start)
	if err != nil {
		errs = append(errs, fieldErr("start", "start: %v", err))
	}
	if c.End != "" {
		end, err := parseTime(c.End)
		if err != nil {
			errs = append(errs, fieldErr("end", "end: %v", err))
		} else if !end.After(start) {
			errs = append(errs, fieldErr("end", "end must be after start"))
		}
	}
	if c.Lag < 0 {
		errs = append(errs, fieldErr("lag", "lag must not be negative"))
	}
	if c.MaxPages < 1 {
		errs = append(errs, fieldErr("max_pages", "max_pages must be at least 1, got %d", c.MaxPages))
	}
	errs = append(errs, c.validateMapping()...)
	if err := c.HTTP.Validate(); err != nil {
		errs = append(errs, fieldErr("http", "http: %s", strings.ReplaceAll(err.Error(), "\n", "; ")))
	}
	return errors.Join(errs...)
}

func (c *Config) validateMapping() []error {
	var errs []error
	if c.Format == FormatJSON {
		if c.JSON.Timestamp == "" && c.JSON.Price == "" {
			errs = append(errs, fieldErr("json", "json.timestamp and json.price are required (or a preset)"))
		}
		if c.JSON.VolumeRows != "" && c.JSON.Volume == "" {
			errs = append(errs, fieldErr("json", "json.volume_rows needs json.volume"))
		}
		return errs
	}
	if len([]rune(c.CSV.Delimiter)) != 1 {
		errs = append(errs, fieldErr("csv", "csv.delimiter must be one character, got %q", c.CSV.Delimiter))
	}
	for name, col := range map[string]string{"timestamp": c.CSV.Timestamp, "price": c.CSV.Price, "volume": c.CSV.Volume} {
		if col == "" {
			if name != "volume" {
				errs = append(errs, fieldErr("csv", "csv.%s is required (or a preset)", name))
			}
			continue
		}
		if n, err := strconv.Atoi(col); !c.CSV.Header && (err != nil || n < 1) {
			errs = append(errs, fieldErr("csv", "csv.%s: without a header, columns are 1-based numbers, got %q", name, col))
		}
	}
	return errs
}

// parseTime reads RFC 3339 or a date.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("want an RFC 3339 time or a 2006-01-02 date, got %q", s)
}
