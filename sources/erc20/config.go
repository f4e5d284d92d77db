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

	// The chain-position settings every log kind shares.
	chainrpc.ScanConfig `yaml:",inline"`
}

// DefaultConfig returns the defaults; decoding a section overwrites the
// fields it sets.
func DefaultConfig() Config {
	return Config{
		RPC:        chainrpc.DefaultRPCConfig(),
		Events:     []string{EventTransfer, EventDelegateChanged, EventDelegateVotesChanged},
		ScanConfig: chainrpc.DefaultScanConfig(),
	}
}

// Scan returns the shared chain-position settings.
func (c *Config) Scan() chainrpc.ScanConfig { return c.ScanConfig }

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
