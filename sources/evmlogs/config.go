package evmlogs

import (
	"errors"

	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Key choices of an evm_logs dataset.
const (
	// KeyTx keys rows by (tx_hash, log_index).
	KeyTx = "tx"
	// KeyBlock keys rows by (block_number, log_index).
	KeyBlock = "block"
)

// Config is the kind-specific configuration of an evm_logs source.
type Config struct {
	// RPC is the node to read from.
	RPC chainrpc.RPCConfig `yaml:"rpc" config:"required"`
	// Addresses are the emitting contracts (at least one).
	Addresses []string `yaml:"addresses" config:"required"`
	// Event is a human-readable event signature or a JSON ABI fragment.
	Event string `yaml:"event" config:"required"`
	// Key is tx (tx_hash, log_index; default) or block (block_number, log_index).
	Key string `yaml:"key"`

	// The chain-position settings every log kind shares.
	chainrpc.ScanConfig `yaml:",inline"`
}

// DefaultConfig returns the defaults; decoding a section overwrites the
// fields it sets.
func DefaultConfig() Config {
	return Config{RPC: chainrpc.DefaultRPCConfig(), Key: KeyTx, ScanConfig: chainrpc.DefaultScanConfig()}
}

// Scan returns the shared chain-position settings.
func (c *Config) Scan() chainrpc.ScanConfig { return c.ScanConfig }

// Validate checks the section; errors name their fields.
func (c *Config) Validate() error {
	sc := c.Scan()
	errs := []error{sc.Validate()}
	if len(c.Addresses) == 0 {
		errs = append(errs, chainrpc.FieldErr("addresses", "at least one contract address is required"))
	} else if _, err := chainrpc.ParseAddresses("addresses", c.Addresses); err != nil {
		errs = append(errs, err)
	}
	if ev, err := ParseEvent(c.Event); err != nil {
		errs = append(errs, chainrpc.FieldErr("event", "%v", err))
	} else if _, err := newEventTable(ev); err != nil {
		errs = append(errs, chainrpc.FieldErr("event", "%v", err))
	}
	if c.Key != KeyTx && c.Key != KeyBlock {
		errs = append(errs, chainrpc.FieldErr("key", "key must be tx or block, got %q", c.Key))
	}
	return errors.Join(errs...)
}
