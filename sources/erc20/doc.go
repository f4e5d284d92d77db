// Package erc20 is the erc20 source kind: the Transfer, DelegateChanged and
// DelegateVotesChanged events of a votes token (OpenZeppelin ERC20Votes,
// Compound COMP and the like), read with eth_getLogs (see chainrpc), so
// that funding (who sent tokens to whom), delegation and voting-power
// history can be reconstructed.
//
// The three events go into one dataset, in chain order, so a validator
// replays them as they happened: an event column names the event and the
// fields of the other events are null:
//
//   - Transfer: from_address, to_address, value (mints come from and burns
//     go to the zero address);
//   - DelegateChanged: delegator, from_delegate, to_delegate;
//   - DelegateVotesChanged: delegate, previous_votes, new_votes.
//
// The events option restricts the set. A Transfer with four topics (an
// ERC-721 transfer) is an error: the address is not an ERC-20 token.
package erc20
