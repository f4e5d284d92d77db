package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// UpdateFormat identifies a steward update proposal file.
const UpdateFormat = "groundtruth-steward-update/1"

// StewardUpdateType is the EIP-712 type of a steward set update.
const StewardUpdateType = "StewardUpdate(address[] stewards,uint256 threshold,uint256 nonce)"

// Update is a proposal to replace a registry's steward set and threshold,
// with the current stewards' signatures gathered so far. `groundtruth
// registry propose` writes it, stewards sign it, `registry apply` submits it.
type Update struct {
	// Format is UpdateFormat.
	Format string `json:"format"`
	// ChainID and Registry bind the update to one registry.
	ChainID  uint64         `json:"chainId"`
	Registry common.Address `json:"registry"`
	// Stewards and Threshold are the proposed set and k.
	Stewards  []common.Address `json:"stewards"`
	Threshold uint64           `json:"threshold"`
	// Nonce is the registry's steward nonce the update is for.
	Nonce uint64 `json:"nonce"`
	// Digest is the EIP-712 digest the stewards sign (recomputed on read).
	Digest common.Hash `json:"digest"`
	// Signatures are the current stewards' signatures, one per signer.
	Signatures []UpdateSignature `json:"signatures"`
}

// UpdateSignature is one steward's signature of an Update.
type UpdateSignature struct {
	// Signer is the steward.
	Signer common.Address `json:"signer"`
	// Signature is the 65-byte signature r ‖ s ‖ v of the digest, or with
	// attest.SchemeEIP1271 a contract steward's (a Safe's) signature bytes.
	Signature hexutil.Bytes `json:"signature"`
	// Scheme is attest.SchemeECDSA (omitted) or attest.SchemeEIP1271; a
	// contract signature is checked on the chain (AddContractSignature, and
	// the registry when the update is applied).
	Scheme string `json:"scheme,omitempty"`
}

// NewUpdate returns a proposal with its digest computed.
func NewUpdate(chainID uint64, reg common.Address, stewards []common.Address, k, nonce uint64) (*Update, error) {
	u := &Update{Format: UpdateFormat, ChainID: chainID, Registry: reg, Stewards: stewards, Threshold: k, Nonce: nonce, Signatures: []UpdateSignature{}}
	if err := u.check(); err != nil {
		return nil, err
	}
	d, err := u.digest()
	if err != nil {
		return nil, err
	}
	u.Digest = d
	return u, nil
}

// check validates the proposed set as the contract will.
func (u *Update) check() error {
	seen := map[common.Address]bool{}
	for _, s := range u.Stewards {
		if s == (common.Address{}) || seen[s] {
			return fmt.Errorf("%w: steward update: %s is zero or listed twice", attest.ErrConfig, s.Hex())
		}
		seen[s] = true
	}
	if n := uint64(len(u.Stewards)); u.Threshold < 1 || u.Threshold > n || n > 32 {
		return fmt.Errorf("%w: steward update: threshold %d with %d stewards: want 1 ≤ k ≤ n ≤ 32", attest.ErrConfig, u.Threshold, n)
	}
	return nil
}

// TypedData returns the update as EIP-712 typed data (eth_signTypedData_v4).
func (u *Update) TypedData() apitypes.TypedData {
	addrs := make([]any, len(u.Stewards))
	for i, s := range u.Stewards {
		addrs[i] = s.Hex()
	}
	d := attest.RegistryDomain(u.ChainID, u.Registry)
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain":  attest.DomainTypes,
			"StewardUpdate": {{Name: "stewards", Type: "address[]"}, {Name: "threshold", Type: "uint256"}, {Name: "nonce", Type: "uint256"}},
		},
		PrimaryType: "StewardUpdate",
		Domain: apitypes.TypedDataDomain{Name: d.Name, Version: d.Version, ChainId: (*math.HexOrDecimal256)(new(big.Int).SetUint64(d.ChainID)),
			VerifyingContract: d.VerifyingContract.Hex()},
		Message: apitypes.TypedDataMessage{"stewards": addrs, "threshold": new(big.Int).SetUint64(u.Threshold).String(),
			"nonce": new(big.Int).SetUint64(u.Nonce).String()},
	}
}

func (u *Update) digest() (common.Hash, error) {
	h, _, err := apitypes.TypedDataAndHash(u.TypedData())
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: steward update: %v", attest.ErrSignature, err)
	}
	return common.BytesToHash(h), nil
}

// AddSignature checks that sig recovers to a signer over the update's
// digest and adds it (replacing that signer's earlier one); it returns the signer.
func (u *Update) AddSignature(sig []byte) (common.Address, error) {
	signer, err := attest.RecoverSigner(u.Digest, sig)
	if err != nil {
		return common.Address{}, err
	}
	u.put(UpdateSignature{Signer: signer, Signature: sig})
	return signer, nil
}

// AddContractSignature checks a contract steward's (a Safe's) signature of
// the update with the contract's isValidSignature on the chain c and adds
// it (replacing that steward's earlier one).
func (u *Update) AddContractSignature(ctx context.Context, c attest.Client, steward common.Address, sig []byte) error {
	if err := IsValidSignature(ctx, c, steward, u.Digest, sig); err != nil {
		return err
	}
	u.put(UpdateSignature{Signer: steward, Signature: sig, Scheme: attest.SchemeEIP1271})
	return nil
}

// put adds s, replacing its signer's earlier signature.
func (u *Update) put(s UpdateSignature) {
	for i, old := range u.Signatures {
		if old.Signer == s.Signer {
			u.Signatures[i] = s
			return
		}
	}
	u.Signatures = append(u.Signatures, s)
}

// Marshal encodes the update as indented JSON.
func (u *Update) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(u, "", "  ")
	return append(b, '\n'), err
}

// ReadUpdate reads a proposal file and checks its digest and signatures.
func ReadUpdate(path string) (*Update, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", attest.ErrConfig, err)
	}
	var u Update
	if err := json.Unmarshal(b, &u); err != nil {
		return nil, fmt.Errorf("%w: %s: not a steward update: %v", attest.ErrSignature, path, err)
	}
	if u.Format != UpdateFormat {
		return nil, fmt.Errorf("%w: %s: format %q, want %q", attest.ErrSignature, path, u.Format, UpdateFormat)
	}
	if err := u.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	d, err := u.digest()
	if err != nil {
		return nil, err
	}
	if d != u.Digest {
		return nil, fmt.Errorf("%w: %s: the digest is %s, its fields hash to %s", attest.ErrSignature, path, u.Digest.Hex(), d.Hex())
	}
	for i, s := range u.Signatures {
		if s.Scheme == attest.SchemeEIP1271 && len(s.Signature) > 0 && len(s.Signature) <= attest.MaxContractSignature {
			continue // only the steward contract can check it (AddContractSignature did)
		}
		if got, err := attest.RecoverSigner(d, s.Signature); err != nil || got != s.Signer || s.Scheme != attest.SchemeECDSA {
			return nil, fmt.Errorf("%w: %s: signatures[%d] does not recover to %s", attest.ErrSignature, path, i, s.Signer.Hex())
		}
	}
	return &u, nil
}

// Summary is a one-line description of the proposal.
func (u *Update) Summary() string {
	s := make([]string, len(u.Stewards))
	for i, a := range u.Stewards {
		s[i] = a.Hex()
	}
	return fmt.Sprintf("stewards %s, k = %d (registry %s on chain %d, nonce %d)", strings.Join(s, ","), u.Threshold, u.Registry.Hex(), u.ChainID, u.Nonce)
}
