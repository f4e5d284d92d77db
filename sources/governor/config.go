package governor

import (
	"errors"

	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Config is the kind-specific configuration of a governor source.
type Config struct {
	// RPC is the node to read from.
	RPC chainrpc.RPCConfig `yaml:"rpc" config:"required"`
	// Addresses are the governor contracts (usually one).
	Addresses []string `yaml:"addresses" config:"required"`
	// Family is oz, bravo or alpha: the events share topics, the family
	// decides how they decode.
	Family string `yaml:"family" config:"required"`
	// Table is proposals, votes or states: one job writes one dataset, so
	// a governor is read by up to three jobs.
	Table string `yaml:"table" config:"required"`

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
		errs = append(errs, chainrpc.FieldErr("addresses", "at least one governor address is required"))
	} else if _, err := chainrpc.ParseAddresses("addresses", c.Addresses); err != nil {
		errs = append(errs, err)
	}
	switch c.Family {
	case FamilyOZ, FamilyBravo, FamilyAlpha:
	default:
		errs = append(errs, chainrpc.FieldErr("family", "family must be oz, bravo or alpha, got %q", c.Family))
	}
	switch c.Table {
	case TableProposals, TableVotes, TableStates:
	default:
		errs = append(errs, chainrpc.FieldErr("table", "table must be proposals, votes or states, got %q", c.Table))
	}
	return errors.Join(errs...)
}
