// Package demo builds the world of `groundtruth demo`: go-ethereum's
// simulated chain served over JSON-RPC on 127.0.0.1 (testchain.SimulatedRPC)
// with the DatasetRegistry (three steward keystores, k = 2) and the test DAO
// (OpenZeppelin ERC20Votes, Governor, timelock) from the committed bindings;
// scripted governance with attacks mixed in (just-in-time voting power, a
// delegation spike, a sybil cluster, instructions aimed at AI agents); three
// local price feeds replaying an embedded sample of the real COMP/USD series,
// one of them poisoned; and the configuration of the jobs that read it all.
//
// The command (cmd/groundtruth/cmd_demo.go) runs those jobs once through the
// daemon's code path (run --once), then Summarize reads what the runs did —
// versions, quarantined rows and their reasons, findings by family, whether
// each scripted Attack was flagged, the registry's transactions — and
// serves the attested versions as `groundtruth serve` does, from the
// configuration's serve section.
package demo
