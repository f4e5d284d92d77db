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

	// The chain-position settings every log kind shares.
	chainrpc.ScanConfig `yaml:",inline"`
}

// DefaultConfig returns the defaults; decoding a section overwrites the
// fields it sets.
func DefaultConfig() Config {
	return Config{
		RPC:        chainrpc.DefaultRPCConfig(),
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
