package chainrpc

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// RPCConfig is the `rpc:` section shared by the chain source kinds.
type RPCConfig struct {
	// URL is the HTTP(S) JSON-RPC endpoint; use ${ENV} for URLs with keys.
	URL string `yaml:"url" config:"required"`
	// Timeout bounds one attempt of one request (default 30s).
	Timeout time.Duration `yaml:"timeout"`
	// Retries is how often a transient failure is retried (default 5).
	Retries int `yaml:"retries"`
	// RateLimit is the largest number of requests per second (0: none).
	RateLimit float64 `yaml:"rate_limit"`
	// Burst is how many requests may go at once under the rate limit.
	Burst int `yaml:"burst"`
	// MaxResponseBytes bounds one response body (default 256 MiB); a larger
	// eth_getLogs answer is split like a refused range.
	MaxResponseBytes int64 `yaml:"max_response_bytes"`
}

// DefaultRPCConfig returns the defaults of the rpc section.
func DefaultRPCConfig() RPCConfig {
	return RPCConfig{Timeout: 30 * time.Second, Retries: 5, MaxResponseBytes: 256 << 20}
}

// Validate checks the rpc section.
func (c *RPCConfig) Validate() error {
	var errs []error
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, FieldErr("url", "url must be an http:// or https:// URL (got %s)", Redact(c.URL)))
	}
	if c.Timeout <= 0 {
		errs = append(errs, FieldErr("timeout", "timeout must be positive, got %s", c.Timeout))
	}
	if c.Retries < 0 || c.Retries > 100 {
		errs = append(errs, FieldErr("retries", "retries must be between 0 and 100, got %d", c.Retries))
	}
	if c.RateLimit < 0 {
		errs = append(errs, FieldErr("rate_limit", "rate_limit must not be negative"))
	}
	if c.Burst < 0 {
		errs = append(errs, FieldErr("burst", "burst must not be negative"))
	}
	if c.MaxResponseBytes < 1024 {
		errs = append(errs, FieldErr("max_response_bytes", "max_response_bytes must be at least 1024, got %d", c.MaxResponseBytes))
	}
	return errors.Join(errs...)
}

// Client builds the client of the section for a source.
func (c RPCConfig) Client(source string, deps sources.Deps) (*Client, error) {
	return NewClient(Options{
		URL: c.URL, Source: source, HTTP: deps.HTTP, Timeout: c.Timeout, Retries: c.Retries,
		RateLimit: c.RateLimit, Burst: c.Burst, MaxResponseBytes: c.MaxResponseBytes, Logger: logger(deps),
	})
}

func logger(deps sources.Deps) *slog.Logger {
	if deps.Logger != nil {
		return deps.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Finality settings: how far behind the head a source reads.
const (
	// FinalityLatest reads up to the latest block minus confirmations.
	FinalityLatest = "latest"
	// FinalitySafe and FinalityFinalized read up to the node's safe or
	// finalized block (confirmations are then ignored).
	FinalitySafe      = "safe"
	FinalityFinalized = "finalized"
)

// ScanConfig holds the chain-position settings every log kind shares. The
// kinds embed it in their sections with `yaml:",inline"`, so its fields
// appear as the kinds' own.
type ScanConfig struct {
	ChainID           uint64 `yaml:"chain_id"`
	StartBlock        uint64 `yaml:"start_block"`
	EndBlock          uint64 `yaml:"end_block"`
	Confirmations     uint64 `yaml:"confirmations"`
	Finality          string `yaml:"finality"`
	BlockRange        uint64 `yaml:"block_range"`
	MaxBlockRange     uint64 `yaml:"max_block_range"`
	Concurrency       int    `yaml:"concurrency"`
	ReorgWindow       uint64 `yaml:"reorg_window"`
	MaxBlocksPerFetch uint64 `yaml:"max_blocks_per_fetch"`
	BatchRows         int    `yaml:"batch_rows"`
}

// DefaultScanConfig returns the defaults of the shared fields.
func DefaultScanConfig() ScanConfig {
	return ScanConfig{
		Finality: FinalityLatest, BlockRange: 2000, MaxBlockRange: 10000, Concurrency: 4,
		ReorgWindow: 128, BatchRows: 16384,
	}
}

// Validate checks the shared fields; errors name the YAML fields.
func (c *ScanConfig) Validate() error {
	var errs []error
	switch c.Finality {
	case FinalityLatest, FinalitySafe, FinalityFinalized:
	default:
		errs = append(errs, FieldErr("finality", "finality must be latest, safe or finalized, got %q", c.Finality))
	}
	if c.Finality != FinalityLatest && c.Confirmations > 0 {
		errs = append(errs, FieldErr("confirmations", "confirmations only apply with finality: latest"))
	}
	if c.EndBlock > 0 && c.EndBlock < c.StartBlock {
		errs = append(errs, FieldErr("end_block", "end_block %d is before start_block %d", c.EndBlock, c.StartBlock))
	}
	if c.MaxBlockRange < 1 {
		errs = append(errs, FieldErr("max_block_range", "max_block_range must be at least 1"))
	}
	if c.BlockRange < 1 || c.BlockRange > c.MaxBlockRange {
		errs = append(errs, FieldErr("block_range", "block_range must be between 1 and max_block_range (%d), got %d", c.MaxBlockRange, c.BlockRange))
	}
	if c.Concurrency < 1 || c.Concurrency > 64 {
		errs = append(errs, FieldErr("concurrency", "concurrency must be between 1 and 64, got %d", c.Concurrency))
	}
	if c.ReorgWindow < 1 || c.ReorgWindow > 1<<16 {
		errs = append(errs, FieldErr("reorg_window", "reorg_window must be between 1 and 65536 blocks, got %d", c.ReorgWindow))
	}
	if c.BatchRows < 1 || c.BatchRows > 1<<20 {
		errs = append(errs, FieldErr("batch_rows", "batch_rows must be between 1 and 1048576, got %d", c.BatchRows))
	}
	return errors.Join(errs...)
}

// fieldError is a configuration error about one field; the config package
// reports it at that field's line.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string       { return e.msg }
func (e *fieldError) ConfigField() string { return e.field }

// FieldErr returns an error about one configuration field, reported by the
// config package at that field's line.
func FieldErr(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// ParseAddresses parses hex addresses for the named field.
func ParseAddresses(field string, in []string) ([]common.Address, error) {
	out := make([]common.Address, 0, len(in))
	for i, s := range in {
		if !common.IsHexAddress(s) {
			return nil, FieldErr(field, "%s[%d]: %q is not a 20-byte hex address", field, i, s)
		}
		out = append(out, common.HexToAddress(s))
	}
	return out, nil
}

// ConfigErr wraps a configuration problem found after decoding.
func ConfigErr(kind, id string, err error) error {
	return fmt.Errorf("%w: %s source %q: %w", sources.ErrConfig, kind, id, err)
}
