// Package testchain runs a local Ethereum chain for tests and for the demo, behind one
// interface, Chain, with two implementations:
//
//   - Anvil: Foundry's anvil, started from the npm package @foundry-rs/anvil-linux-amd64
//     (node_modules/.bin/anvil, or the binary named by $GROUNDTRUTH_ANVIL) on a free
//     port of 127.0.0.1. Readiness is checked by polling eth_chainId, the output is kept
//     and printed with t.Log when a test fails, and the process is killed on Close.
//     Anvil mines one block per transaction; its ten accounts are the well-known keys of
//     the "test test ... junk" mnemonic.
//   - Simulated: go-ethereum's in-process simulated backend (ethclient/simulated), with
//     no external process (the `groundtruth demo` chain). Blocks are mined when
//     WaitMined, Mine or IncreaseTime ask; its accounts come from DeterministicKey.
//
// Both offer an ethclient-compatible Client (bind.ContractBackend and
// bind.DeployBackend), the chain id, funded accounts with private keys, transactors,
// WaitMined, Mine, IncreaseTime, Snapshot and Revert (evm_snapshot/evm_revert on anvil,
// Backend.Fork plus Backend.Rollback on the simulated chain), Fund and, for anvil, the
// RPC URL.
//
// The deploy helpers install groundtruth's contracts from the generated bindings in
// attest/contracts/bindings: DeployRegistry, DeployEmitter and DeployDAO (token,
// timelock and governor), and DeployEAS, which deploys SchemaRegistry and EAS from the
// bytecode of the npm package @ethereum-attestation-service/eas-contracts.
//
// In tests, StartAnvil and StartSimulated start a chain and stop it at the end of the
// test. When anvil or node_modules is missing, a test fails under CI=true and is skipped
// elsewhere, with the hint to run `npm ci` (see MissingTool).
package testchain
