// Package testtimelock holds the generated Go binding (abigen v2) of TestTimelock,
// OpenZeppelin's TimelockController as used by the test DAO. Regenerate it with
// `make contracts`; do not edit test_timelock.go by hand.
package testtimelock
