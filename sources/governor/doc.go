// Package governor is the governor source kind: the proposals, votes and
// proposal states of an OpenZeppelin Governor (family oz) or a Compound
// GovernorBravo (bravo) or GovernorAlpha (alpha), read from its event logs
// with eth_getLogs (see chainrpc).
//
// One job writes one dataset, so the source has a table option and a
// governor is read by up to three jobs:
//
//   - proposals: one row per ProposalCreated: proposal_id, proposer,
//     targets, values, signatures and calldatas (JSON arrays: checksummed
//     addresses, decimal strings, strings, 0x hex), vote_start and vote_end
//     (timepoints in the governor's clock: the snapshot is vote_start) and
//     the description.
//   - votes: one row per VoteCast or VoteCastWithParams: proposal_id, voter,
//     support (0 against, 1 for, 2 abstain; GovernorAlpha's bool support is
//     stored as 1 for true and 0 for false), weight (the voting power at the
//     snapshot the governor counted), reason (null for GovernorAlpha),
//     params (null unless VoteCastWithParams) and the event name.
//   - states: one row per ProposalCreated ("created", with vote_start and
//     vote_end), ProposalQueued ("queued", with eta), ProposalExecuted
//     ("executed"), ProposalCanceled ("canceled") and ProposalExtended
//     ("extended", with the new vote_end).
//
// The families share event topics, so the configured family decides how a
// log decodes; a log of an event the configured family does not emit (an
// alpha VoteCast read as bravo, a VoteCastWithParams read as bravo) is an
// error that names the family it belongs to, rather than rows silently
// missing.
package governor
