package governor

import (
	"errors"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Kind is the source kind name used in configuration.
const Kind = "governor"

// Factory returns the factory of governor sources, for a sources.Registry.
func Factory() sources.Factory {
	return sources.NewFactory(Kind,
		"OpenZeppelin Governor and Compound GovernorBravo/Alpha proposals, votes or proposal states",
		DefaultConfig, New)
}

// New returns a governor source with the given id and configuration.
func New(id string, cfg Config, deps sources.Deps) (*chainrpc.LogSource, error) {
	if id == "" {
		return nil, chainrpc.ConfigErr(Kind, id, errors.New("empty source id"))
	}
	if err := errors.Join(cfg.RPC.Validate(), cfg.Validate()); err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	addrs, _ := chainrpc.ParseAddresses("addresses", cfg.Addresses)
	t, err := newTable(cfg.Table, cfg.Family)
	if err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	client, err := cfg.RPC.Client(id, deps)
	if err != nil {
		return nil, err
	}
	return chainrpc.NewLogSource(id, chainrpc.LogSourceConfig{
		Kind: Kind, Client: client, Addresses: addrs, Table: t, Scan: cfg.Scan(), Deps: deps,
	})
}
