// Package chainlink is the chainlink source kind: a Chainlink
// AggregatorV3Interface feed polled with eth_call.
//
// Each fetch reads the feed at one block, the safe head (latest minus
// confirmations, or the safe/finalized block): decimals(), the round id of
// latestRoundData(), then getRoundData for every round after the cursor's
// last one, oldest first (at most max_rounds_per_fetch; the next fetch
// continues). Round ids carry the proxy's phase in their top 16 bits: when
// the latest round is in a newer phase, the older phase's remaining rounds
// are read until one has no data, then the newer phase from its first
// round. A round without data inside the current phase is a gap, skipped
// (the gaps validator sees it in aggregator_round). The first fetch reads
// the latest round and backfill rounds before it.
//
// Rows: feed, round_id, phase_id, aggregator_round, answer (int256, raw;
// scale by decimals), decimals, started_at, updated_at, answered_in_round,
// the configured heartbeat_seconds (for the staleness checks), the block
// read at (block_number, block_hash, block_time), _source and _raw_sha256
// (the SHA-256 of the eth_call response body, kept in the raw store). The
// key is (feed, round_id).
//
// The cursor marks each polled block with its hash; when it changes, the
// fetch returns a rewind to the rows read at the last still-canonical poll,
// and the rounds are read again.
//
// Told sources.ErrEnough, a fetch finishes its poll (the rounds up to the
// latest one at the polled block) before it returns: its cursor is the
// polled block, and stopping earlier would leave the rest of the rounds to
// the next block's poll.
package chainlink
