// Package datasetstest generates deterministic, realistic test data for the
// datasets store: a votes-like schema (chain id, tx hash, log index, voter
// address, proposal id, support, uint256 weight, reason text, block, time)
// and record batches of any size, for tests, the kill test and benchmarks.
package datasetstest
