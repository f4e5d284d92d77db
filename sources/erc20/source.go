package erc20

import (
	"errors"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Kind is the source kind name used in configuration.
const Kind = "erc20"

// Factory returns the factory of erc20 sources, for a sources.Registry.
func Factory() sources.Factory {
	return sources.NewFactory(Kind,
		"Transfer, DelegateChanged and DelegateVotesChanged events of a votes token",
		DefaultConfig, New)
}

// New returns an erc20 source with the given id and configuration.
func New(id string, cfg Config, deps sources.Deps) (*chainrpc.LogSource, error) {
	if id == "" {
		return nil, chainrpc.ConfigErr(Kind, id, errors.New("empty source id"))
	}
	if err := errors.Join(cfg.RPC.Validate(), cfg.Validate()); err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	addrs, _ := chainrpc.ParseAddresses("addresses", cfg.Addresses)
	client, err := cfg.RPC.Client(id, deps)
	if err != nil {
		return nil, err
	}
	return chainrpc.NewLogSource(id, chainrpc.LogSourceConfig{
		Kind: Kind, Client: client, Addresses: addrs, Table: newTable(cfg.Events), Scan: cfg.Scan(), Deps: deps,
	})
}
