// Package snapshot implements the "snapshot" source kind: the proposals or
// the votes of one space, or the spaces themselves (one space, or every
// space on the hub), read from the Snapshot hub's GraphQL API (POST {query,
// variables} to https://hub.snapshot.org/graphql by default).
//
// # Paging
//
// The hub caps first at 1000 and skip at 5000, so the source pages with a
// created_gte cursor ordered by created ascending (the hub breaks ties by
// id ascending): each query starts at the newest created second seen, and
// the ids already passed at that second are skipped, so items sharing a
// second are read once across page boundaries. skip is used only while a
// whole page shares one second, and never beyond the cap (more than 6000
// items in one second is an error rather than a silent gap). One job reads
// one table (table: proposals, votes or spaces). Proposals and votes are
// read for one space (where: {space}); spaces are read for the configured
// space only (where: {id}) or, without space, all of them, paged the same
// way over the spaces' created seconds.
//
// # Final scores only
//
// Only votes whose vp_state is "final" and proposals whose scores_state is
// "final" become rows. A fetch stops before the oldest item that is still
// pending and keeps its cursor there, so that item and everything after it
// are read again by the next fetches and emitted once the hub has computed
// its final scores (votes become final when their proposal closes). An
// item in any other state (e.g. "invalid") is never going to be final: it
// is skipped with a warning. With pending_timeout set, an item still
// pending that long after its creation is skipped too, so one stuck
// proposal cannot hold the table back forever. Spaces have no such state:
// every space is final.
//
// # Spaces as first seen
//
// A space's settings (strategies, admins, voting rules) and counts change
// over time, but the cursor only moves forward over created seconds: the
// spaces table holds each space once, as the hub described it when the
// source first read it, and its rows are never updated. To record the
// current settings, ingest again into a new dataset (a new job, hence a new
// cursor); snapshots of settings over time are left to a later table.
//
// # Rows
//
// Votes keep choice in all its shapes (a number for single-choice and
// basic, an array for approval and ranked-choice, an object of weights for
// weighted and quadratic, a string for shielded votes) as canonical JSON,
// plus choice_num when it is a single number; vp, vp_by_strategy and
// vp_state are kept. Proposal.snapshot arrives as a number or a string and
// is stored as a block number. Spaces keep their lists and open-ended
// objects (strategies, admins, moderators, members, plugins, validation,
// vote_validation) as canonical JSON and their filters and voting settings
// as typed columns, null where the space leaves them unset. Every row carries _source (the source id)
// and _raw_sha256, the SHA-256 of the answer it came from, which is kept in
// the raw store.
//
// # HTTP
//
// The API key (api_key, written as ${ENV}) goes in the x-api-key header
// and is masked in every message. 429 answers are retried after their
// Retry-After, an exhausted key quota (X-Api-Key-Remaining: 0) pauses
// requests until X-Api-Key-Reset, and a client-side rate limit applies
// (1.5 requests a second by default, the keyless limit); see httpfetch. A
// GraphQL "request failed" error is retried as transient; other GraphQL
// errors and undecodable answers wrap sources.ErrBadInput and name the
// request and the byte offset.
//
// The cursor is {"created": second, "ids": [ids passed at that second]}.
package snapshot
