// Package scenarios holds the labelled scenario suite of the validators:
// prices from three sources built from the real COMP series with injected
// faults, the real Compound and Aave governance exports untouched and
// damaged, and synthetic governance attacks. Each scenario states which
// rows (or which missing stretches) are bad; the tests compute precision
// and recall per family and print them in a final table. The package has
// only tests.
package scenarios
