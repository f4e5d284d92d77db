package evmlogs

import (
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Kind is the source kind name used in configuration.
const Kind = "evm_logs"

// Factory returns the factory of evm_logs sources, for a sources.Registry.
func Factory() sources.Factory {
	return sources.NewFactory(Kind,
		"event logs of contracts (eth_getLogs) decoded by an event ABI into typed columns",
		DefaultConfig, New)
}

// New returns an evm_logs source with the given id and configuration.
func New(id string, cfg Config, deps sources.Deps) (*chainrpc.LogSource, error) {
	if id == "" {
		return nil, chainrpc.ConfigErr(Kind, id, errEmptyID)
	}
	if err := cfg.RPC.Validate(); err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	addrs, _ := chainrpc.ParseAddresses("addresses", cfg.Addresses)
	ev, _ := ParseEvent(cfg.Event)
	table, err := newEventTable(ev)
	if err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	client, err := cfg.RPC.Client(id, deps)
	if err != nil {
		return nil, err
	}
	key := []string{chainrpc.ColTxHash, chainrpc.ColLogIndex}
	if cfg.Key == KeyBlock {
		key = []string{chainrpc.ColBlockNumber, chainrpc.ColLogIndex}
	}
	return chainrpc.NewLogSource(id, chainrpc.LogSourceConfig{
		Kind: Kind, Client: client, Addresses: addrs, Table: table, Key: key, Scan: cfg.Scan(), Deps: deps,
	})
}
