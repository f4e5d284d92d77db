// Package testtoken holds the generated Go binding (abigen v2) of TestToken, the
// OpenZeppelin ERC20Votes + ERC20Permit voting token of the test DAO, which its owner
// can mint. Regenerate it with `make contracts`; do not edit test_token.go by hand.
package testtoken
