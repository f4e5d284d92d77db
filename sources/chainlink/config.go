package chainlink

import (
	"errors"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Config is the kind-specific configuration of a chainlink source.
type Config struct {
	// RPC is the node to read from.
	RPC chainrpc.RPCConfig `yaml:"rpc" config:"required"`
	// Feed is the AggregatorV3Interface contract (usually the proxy).
	Feed string `yaml:"feed" config:"required"`
	// Heartbeat is the feed's documented heartbeat, recorded in every row
	// for the staleness checks.
	Heartbeat time.Duration `yaml:"heartbeat" config:"required"`
	// Backfill is how many rounds before the latest the first fetch reads
	// (within the latest round's phase).
	Backfill uint64 `yaml:"backfill"`
	// MaxRoundsPerFetch bounds the rounds one fetch reads; the next fetch
	// continues (default 1000).
	MaxRoundsPerFetch uint64 `yaml:"max_rounds_per_fetch"`
	// ChainID, when set, is checked against the node's.
	ChainID uint64 `yaml:"chain_id"`
	// Confirmations and Finality choose the block the feed is read at.
	Confirmations uint64 `yaml:"confirmations"`
	Finality      string `yaml:"finality"`
	// ReorgWindow is how many blocks of polls are remembered for
	// reorganisations (default 128).
	ReorgWindow uint64 `yaml:"reorg_window"`
	// BatchRows is the largest number of rows per emitted record.
	BatchRows int `yaml:"batch_rows"`
}

// DefaultConfig returns the defaults; decoding a section overwrites the
// fields it sets.
func DefaultConfig() Config {
	sc := chainrpc.DefaultScanConfig()
	return Config{RPC: chainrpc.DefaultRPCConfig(), MaxRoundsPerFetch: 1000, Finality: sc.Finality, ReorgWindow: sc.ReorgWindow, BatchRows: sc.BatchRows}
}

// scan returns the chain-position settings.
func (c *Config) scan() chainrpc.ScanConfig {
	sc := chainrpc.DefaultScanConfig()
	sc.ChainID, sc.Confirmations, sc.Finality, sc.ReorgWindow, sc.BatchRows = c.ChainID, c.Confirmations, c.Finality, c.ReorgWindow, c.BatchRows
	return sc
}

// Validate checks the section; errors name their fields.
func (c *Config) Validate() error {
	sc := c.scan()
	errs := []error{sc.Validate()}
	if !common.IsHexAddress(c.Feed) {
		errs = append(errs, chainrpc.FieldErr("feed", "feed %q is not a 20-byte hex address", c.Feed))
	}
	if c.Heartbeat < time.Second {
		errs = append(errs, chainrpc.FieldErr("heartbeat", "heartbeat must be at least 1s, got %s", c.Heartbeat))
	}
	if c.MaxRoundsPerFetch < 1 {
		errs = append(errs, chainrpc.FieldErr("max_rounds_per_fetch", "max_rounds_per_fetch must be at least 1"))
	}
	return errors.Join(errs...)
}
