package attest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// The EIP-712 form of a steward's quarantine decision (docs/SPEC.md §12.6).
const (
	// DecisionDomainName is the domain name of quarantine decisions.
	DecisionDomainName = "groundtruth quarantine"
	// DecisionDomainVersion is the domain version of quarantine decisions.
	DecisionDomainVersion = "1"
	// DecisionType is the EIP-712 type string of a quarantine decision.
	DecisionType = "QuarantineDecision(string dataset,string entry,string rowKey,string decision,string reason,address steward,uint64 decidedAt)"
)

// Decision is what a steward signs to approve or reject a quarantined row:
// the dataset, the quarantine entry (its id hashes the dataset and the
// row's canonical bytes, so the decision is bound to the row's content),
// the row's key, the decision, the steward's reason, the steward's address
// and the time in Unix seconds.
type Decision struct {
	Dataset   string         `json:"dataset"`
	Entry     string         `json:"entry"`
	RowKey    string         `json:"rowKey"`
	Decision  string         `json:"decision"`
	Reason    string         `json:"reason"`
	Steward   common.Address `json:"steward"`
	DecidedAt uint64         `json:"decidedAt"`
}

// decisionDomainTypes are the fields of the decisions' domain: a decision
// is not checked by a contract, so the domain has no chain or verifying
// contract; the steward set it is checked against is the configured one.
var decisionDomainTypes = []apitypes.Type{{Name: "name", Type: "string"}, {Name: "version", Type: "string"}}

// TypedData returns the decision as EIP-712 typed data.
func (d Decision) TypedData() apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": decisionDomainTypes,
			"QuarantineDecision": {
				{Name: "dataset", Type: "string"},
				{Name: "entry", Type: "string"},
				{Name: "rowKey", Type: "string"},
				{Name: "decision", Type: "string"},
				{Name: "reason", Type: "string"},
				{Name: "steward", Type: "address"},
				{Name: "decidedAt", Type: "uint64"},
			},
		},
		PrimaryType: "QuarantineDecision",
		Domain:      apitypes.TypedDataDomain{Name: DecisionDomainName, Version: DecisionDomainVersion},
		Message: apitypes.TypedDataMessage{
			"dataset": d.Dataset, "entry": d.Entry, "rowKey": d.RowKey, "decision": d.Decision, "reason": d.Reason,
			"steward": d.Steward.Hex(), "decidedAt": new(big.Int).SetUint64(d.DecidedAt),
		},
	}
}

// Digest returns the EIP-712 digest the steward signs.
func (d Decision) Digest() common.Hash {
	td := d.TypedData()
	sep, err := td.HashStruct("EIP712Domain", td.Domain.Map())
	if err != nil {
		panic(fmt.Sprintf("attest: hashing the decision domain: %v", err)) // fixed types and well-typed values
	}
	h, err := td.HashStruct("QuarantineDecision", td.Message)
	if err != nil {
		panic(fmt.Sprintf("attest: hashing a decision: %v", err))
	}
	return TypedDigest(common.BytesToHash(sep), common.BytesToHash(h))
}

// SignDecision sets the decision's steward to the signer and signs it.
func SignDecision(ctx context.Context, s Signer, d *Decision) ([]byte, error) {
	d.Steward = s.Address()
	return s.SignHash(ctx, d.Digest())
}

// VerifyDecision checks that sig is the decision's steward's signature of
// it; the error wraps ErrSignature.
func VerifyDecision(d Decision, sig []byte) error {
	who, err := RecoverSigner(d.Digest(), sig)
	if err != nil {
		return fmt.Errorf("decision on %s: %w", d.Entry, err)
	}
	if who != d.Steward {
		return fmt.Errorf("%w: the decision on %s names steward %s but was signed by %s (the decision or its signature was changed)",
			ErrSignature, d.Entry, d.Steward.Hex(), who.Hex())
	}
	return nil
}

// ParseDecisionTypedData reads a decision back from the eth_signTypedData_v4
// JSON that TypedDataJSON wrote of it (the file a wallet signed). The JSON
// must be exactly a decision's typed data: its digest is recomputed from
// the parsed file and must equal the decision's; the error wraps
// ErrSignature and says what is wrong.
func ParseDecisionTypedData(b []byte) (Decision, error) {
	var td apitypes.TypedData
	if err := json.Unmarshal(b, &td); err != nil {
		return Decision{}, fmt.Errorf("%w: decision typed data: %v", ErrSignature, err)
	}
	if td.PrimaryType != "QuarantineDecision" || td.Domain.Name != DecisionDomainName || td.Domain.Version != DecisionDomainVersion {
		return Decision{}, fmt.Errorf("%w: the typed data is a %q in domain %q version %q, not a quarantine decision", ErrSignature,
			td.PrimaryType, td.Domain.Name, td.Domain.Version)
	}
	str := func(k string) string { s, _ := td.Message[k].(string); return s }
	d := Decision{Dataset: str("dataset"), Entry: str("entry"), RowKey: str("rowKey"), Decision: str("decision"), Reason: str("reason")}
	if !common.IsHexAddress(str("steward")) {
		return Decision{}, fmt.Errorf("%w: the decision's steward %q is not an address", ErrSignature, str("steward"))
	}
	d.Steward = common.HexToAddress(str("steward"))
	at, ok := new(big.Int).SetString(fmt.Sprint(td.Message["decidedAt"]), 10)
	if !ok || !at.IsUint64() {
		return Decision{}, fmt.Errorf("%w: the decision's decidedAt %v is not a uint64", ErrSignature, td.Message["decidedAt"])
	}
	d.DecidedAt = at.Uint64()
	got, _, err := apitypes.TypedDataAndHash(td)
	if err != nil || common.BytesToHash(got) != d.Digest() {
		return Decision{}, fmt.Errorf("%w: the typed data does not hash to the decision it names (other types or fields: %v)", ErrSignature, err)
	}
	return d, nil
}
