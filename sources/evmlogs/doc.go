// Package evmlogs is the evm_logs source kind: the event logs of any
// contracts, read with eth_getLogs (see chainrpc for ranges, retries,
// confirmations and reorganisations) and decoded by one event declaration
// into typed columns.
//
// The declaration is a human-readable signature ("event Transfer(address
// indexed from, address indexed to, uint256 value)") or a JSON ABI fragment.
// Each parameter becomes a column named after it ("arg<i>" when unnamed,
// "arg_<name>" when the name is a common column). Types map as follows:
// address → address; bool → bool; uintN/intN with N ≤ 64 → the smallest of
// uint8…uint64 / int8…int64 that holds them, larger N → uint256 / int256;
// bytes32 → bytes32; bytesN (N < 32), bytes and function → bytes;
// string → string (invalid UTF-8 replaced by U+FFFD; the exact bytes stay in
// the raw response); arrays and tuples → string holding JSON (integers as
// decimal strings, byte strings as 0x hex, tuples as arrays). Indexed
// strings, bytes, arrays and tuples are stored as their topic, a bytes32
// hash. The columns block_number, block_hash, block_time, tx_hash,
// tx_index, log_index and address come first, _source and _raw_sha256 last.
package evmlogs
