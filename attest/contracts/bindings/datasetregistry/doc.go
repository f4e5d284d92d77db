// Package datasetregistry holds the generated Go binding (abigen v2) of the
// DatasetRegistry contract: the k-of-n steward registry that anchors dataset versions
// and checks RFC 6962 inclusion proofs of their rows. Regenerate it with
// `make contracts`; do not edit dataset_registry.go by hand.
package datasetregistry
