package store

// attestationDDL creates the catalog tables of the attestation stage
// (signatures, attestations, revocations); every statement is idempotent.
var attestationDDL = []string{}
