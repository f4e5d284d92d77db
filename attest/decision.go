package attest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// The EIP-712 form of a steward's quarantine decision (docs/SPEC.md §12.6).
const (
	// DecisionDomainName is the domain name of quarantine decisions.
	DecisionDomainName = "groundtruth quarantine"
	// DecisionDomainVersion is the domain version of quarantine decisions:
	// the decision format. Format 2 binds the row's leaf hash and the
	// deployment; format 1 (neither) is refused.
	DecisionDomainVersion = "2"
	// DecisionType is the EIP-712 type string of a quarantine decision.
	DecisionType = "QuarantineDecision(string dataset,string entry,string rowKey,bytes32 leaf,string decision,string reason,address steward,uint64 decidedAt)"
)

// ErrDecisionFormat marks a decision in a format that is no longer accepted
// (format 1, which bound neither the row's values nor the deployment). It
// wraps ErrSignature.
var ErrDecisionFormat = fmt.Errorf("%w: quarantine decision format", ErrSignature)

// Deployment is what a decision is bound to besides the row: the chain id
// and the attestation contract (the DatasetRegistry, or EAS) of the
// pipeline's attestation section, in the EIP-712 domain's chainId and
// verifyingContract. A pipeline without an attestation chain has the zero
// Deployment (chain 0, the zero address): its decisions are bound to the
// row and the steward set only.
type Deployment struct {
	ChainID  uint64         `json:"chainId"`
	Contract common.Address `json:"verifyingContract"`
}

// DeploymentOf returns the deployment of an attestation target.
func DeploymentOf(t Target) Deployment { return Deployment{ChainID: t.ChainID, Contract: t.Contract} }

// Decision is what a steward signs to approve or reject a quarantined row:
// the dataset, the quarantine entry, the row's key, the row's leaf hash
// (docs/SPEC.md §4: SHA-256(0x00 ‖ its canonical bytes), so the decision is
// bound to the row's values), the decision, the steward's reason, the
// steward's address and the time in Unix seconds, in the domain of the
// deployment.
type Decision struct {
	Dataset   string         `json:"dataset"`
	Entry     string         `json:"entry"`
	RowKey    string         `json:"rowKey"`
	Leaf      common.Hash    `json:"leaf"`
	Decision  string         `json:"decision"`
	Reason    string         `json:"reason"`
	Steward   common.Address `json:"steward"`
	DecidedAt uint64         `json:"decidedAt"`
	// Deployment is the EIP-712 domain's chain and contract.
	Deployment Deployment `json:"deployment"`
}

// decisionDomainTypes are the fields of the decisions' domain: no contract
// checks a decision, but chainId and verifyingContract bind it to one
// deployment, so that it cannot be replayed in another one with the same
// stewards.
var decisionDomainTypes = []apitypes.Type{{Name: "name", Type: "string"}, {Name: "version", Type: "string"},
	{Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}}

// TypedData returns the decision as EIP-712 typed data.
func (d Decision) TypedData() apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": decisionDomainTypes,
			"QuarantineDecision": {
				{Name: "dataset", Type: "string"},
				{Name: "entry", Type: "string"},
				{Name: "rowKey", Type: "string"},
				{Name: "leaf", Type: "bytes32"},
				{Name: "decision", Type: "string"},
				{Name: "reason", Type: "string"},
				{Name: "steward", Type: "address"},
				{Name: "decidedAt", Type: "uint64"},
			},
		},
		PrimaryType: "QuarantineDecision",
		Domain: apitypes.TypedDataDomain{Name: DecisionDomainName, Version: DecisionDomainVersion,
			ChainId:           (*math.HexOrDecimal256)(new(big.Int).SetUint64(d.Deployment.ChainID)),
			VerifyingContract: d.Deployment.Contract.Hex()},
		Message: apitypes.TypedDataMessage{
			"dataset": d.Dataset, "entry": d.Entry, "rowKey": d.RowKey, "leaf": d.Leaf.Hex(), "decision": d.Decision, "reason": d.Reason,
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
	if td.PrimaryType == "QuarantineDecision" && td.Domain.Name == DecisionDomainName && td.Domain.Version == "1" {
		return Decision{}, fmt.Errorf("%w: the typed data is a format 1 decision, which binds neither the row's values nor the deployment: ask for the decision's typed data again (format %s)",
			ErrDecisionFormat, DecisionDomainVersion)
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
	leaf, err := hexutil.Decode(str("leaf"))
	if err != nil || len(leaf) != common.HashLength {
		return Decision{}, fmt.Errorf("%w: the decision's leaf %q is not 32 bytes of hex", ErrSignature, str("leaf"))
	}
	d.Leaf = common.BytesToHash(leaf)
	if td.Domain.ChainId == nil || !(*big.Int)(td.Domain.ChainId).IsUint64() || !common.IsHexAddress(td.Domain.VerifyingContract) {
		return Decision{}, fmt.Errorf("%w: the decision's domain has no chainId or verifyingContract", ErrSignature)
	}
	d.Deployment = Deployment{ChainID: (*big.Int)(td.Domain.ChainId).Uint64(), Contract: common.HexToAddress(td.Domain.VerifyingContract)}
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
