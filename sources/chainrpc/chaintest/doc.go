// Package chaintest holds test helpers for the chain sources: anvil with
// the EventEmitter and the test DAO's governance scenario (RunDAOScenario),
// dependencies whose HTTP connections close when a test ends (for goleak),
// rows rendered for field-by-field comparison (RecordRows, StoreRows), and a
// JSON-RPC proxy on 127.0.0.1 that refuses large eth_getLogs answers with a
// node's error text, injects HTTP 5xx and timeouts, or rewrites bodies.
package chaintest
