// Package contracts holds groundtruth's Solidity sources and their tests against a
// local chain. The sources are compiled by `make contracts` (solcjs from npm, see
// scripts/compile-contracts.mjs) into build/ (ABI and bytecode, committed) and bound to
// Go by abigen into the packages under bindings/.
//
//   - DatasetRegistry.sol (with StewardSet.sol and RFC6962.sol): a steward set with a
//     threshold k; attest, revoke and steward rotation each need EIP-712 signatures of k
//     distinct current stewards; verifyRecord checks a row's RFC 6962 inclusion proof
//     against an attested, unrevoked version.
//   - EventEmitter.sol: emits many events per transaction, for ingestion benchmarks.
//   - TestToken.sol, TestGovernor.sol, TestTimelock.sol: a test DAO from unmodified
//     OpenZeppelin 5 modules.
//
// The EIP-712 domain of the registry is name "groundtruth DatasetRegistry", version
// "1", the chain id and the registry's address. The signed types are
//
//	Statement(string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash,bytes32 parentRoot)
//	Revocation(string dataset,uint64 version,string reason,uint256 nonce)
//	StewardUpdate(address[] stewards,uint256 threshold,uint256 nonce)
//
// This package has no Go code besides this file; its tests need anvil (npm ci).
package contracts
