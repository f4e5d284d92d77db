// Package eventemitter holds the generated Go binding (abigen v2) of the EventEmitter
// contract, which emits many Ping events per transaction for ingestion benchmarks.
// Regenerate it with `make contracts`; do not edit event_emitter.go by hand.
package eventemitter
