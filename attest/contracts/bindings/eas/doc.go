// Package eas holds generated Go bindings (abigen v2) of the Ethereum Attestation
// Service contracts EAS and SchemaRegistry, from the ABIs shipped in the npm package
// @ethereum-attestation-service/eas-contracts. The bindings carry no bytecode: the
// contracts are deployed from the npm artifacts (see internal/testchain.DeployEAS).
// Regenerate them with `make contracts`; do not edit eas.go or schema_registry.go.
package eas
