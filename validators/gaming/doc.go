// Package gaming holds the validators that catch governance attacks:
// voting power acquired just before a proposal's snapshot and moved out
// after (flash-loan and just-in-time power), delegation spikes to one
// delegate before a vote, sybil clusters (fresh wallets funded by one
// source voting alike within seconds), quorum carried by two voters or
// fewer, calldata that hands over ownership, upgrades or mints (function
// selectors decoded), targets whose code changed between proposal and
// execution, and untrusted text (prompt-injection markers, invisible
// characters, homoglyph addresses) in proposal bodies and vote reasons.
//
// The validators read votes, proposals, lifecycle events, ERC-20 events
// and code hashes shaped like the chain sources' datasets; the column
// names are configurable and default to the schemas documented in
// docs/validators.md (validatorstest builds them). Every validator is
// built from its configuration struct (DefaultXConfig, NewX) or through
// Factories for a validators.Registry.
package gaming
