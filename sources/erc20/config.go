package erc20

import (
	"errors"

	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Config is the kind-specific configuration of an erc20 source.
type Config struct {
	// RPC is the node to read from.
	RPC chainrpc.RPCConfig `yaml:"rpc" config:"required"`
	// Addresses are the token contracts (usually one).
	Addresses []string `yaml:"addresses" config:"required"`
	// Events are the events to read (default all three: Transfer,
	// DelegateChanged, DelegateVotesChanged).
	Events []string `yaml:"events"`

	// The chain-position fields every log kind shares (chainrpc.ScanConfig).
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

// DefaultConfig returns the defaults; decoding a section overwrites the
// fields it sets.
func DefaultConfig() Config {
	sc := chainrpc.DefaultScanConfig()
	return Config{
		RPC:      chainrpc.DefaultRPCConfig(),
		Events:   []string{EventTransfer, EventDelegateChanged, EventDelegateVotesChanged},
		Finality: sc.Finality, BlockRange: sc.BlockRange, MaxBlockRange: sc.MaxBlockRange, Concurrency: sc.Concurrency,
		ReorgWindow: sc.ReorgWindow, BatchRows: sc.BatchRows,
	}
}

// Scan returns the shared chain-position settings.
func (c *Config) Scan() chainrpc.ScanConfig {
	return chainrpc.ScanConfig{
		ChainID: c.ChainID, StartBlock: c.StartBlock, EndBlock: c.EndBlock, Confirmations: c.Confirmations,
		Finality: c.Finality, BlockRange: c.BlockRange, MaxBlockRange: c.MaxBlockRange, Concurrency: c.Concurrency,
		ReorgWindow: c.ReorgWindow, MaxBlocksPerFetch: c.MaxBlocksPerFetch, BatchRows: c.BatchRows,
	}
}

// Validate checks the section; errors name their fields.
func (c *Config) Validate() error {
	sc := c.Scan()
	errs := []error{sc.Validate()}
	if len(c.Addresses) == 0 {
		errs = append(errs, chainrpc.FieldErr("addresses", "at least one token address is required"))
	} else if _, err := chainrpc.ParseAddresses("addresses", c.Addresses); err != nil {
		errs = append(errs, err)
	}
	if len(c.Events) == 0 {
		errs = append(errs, chainrpc.FieldErr("events", "at least one event is required"))
	}
	seen := map[string]bool{}
	for _, e := range c.Events {
		if _, ok := signatures[e]; !ok {
			errs = append(errs, chainrpc.FieldErr("events", "unknown event %q (known: Transfer, DelegateChanged, DelegateVotesChanged)", e))
		}
		if seen[e] {
			errs = append(errs, chainrpc.FieldErr("events", "event %q is listed twice", e))
		}
		seen[e] = true
	}
	return errors.Join(errs...)
}
