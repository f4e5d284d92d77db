// Package testgovernor holds the generated Go binding (abigen v2) of TestGovernor, the
// OpenZeppelin 5 Governor of the test DAO (settings, simple counting, token votes,
// quorum fraction, timelock control). Its event types (ProposalCreated, VoteCast,
// VoteCastWithParams, ProposalQueued, ProposalExecuted, ProposalCanceled) decode the
// logs of any OpenZeppelin 5 Governor. Regenerate it with `make contracts`; do not edit
// test_governor.go by hand.
package testgovernor
