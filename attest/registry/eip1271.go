package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
)

// MagicValue is what EIP-1271 isValidSignature(bytes32, bytes) returns for
// a valid signature.
var MagicValue = [4]byte{0x16, 0x26, 0xba, 0x7e}

// erc1271ABI is the one function of EIP-1271 the registry calls.
var erc1271ABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(`[{"type":"function","name":"isValidSignature","stateMutability":"view",
		"inputs":[{"name":"hash","type":"bytes32"},{"name":"signature","type":"bytes"}],
		"outputs":[{"name":"magicValue","type":"bytes4"}]}]`))
	if err != nil {
		panic(err) // a fixed ABI
	}
	return a
}()

// IsValidSignature asks the contract at signer, as the registry does,
// whether signature signs digest: it calls isValidSignature(digest,
// signature) on the latest block and wants the EIP-1271 magic value. A
// revert or another answer is ErrSignature; an address without code is
// ErrSignature too (it is no contract steward); no client is
// ErrUnverifiable; a failed RPC is ErrChain.
func IsValidSignature(ctx context.Context, c attest.Client, signer common.Address, digest common.Hash, signature []byte) error {
	if c == nil {
		return fmt.Errorf("%w: steward %s", attest.ErrUnverifiable, signer.Hex())
	}
	code, err := c.CodeAt(ctx, signer, nil)
	if err != nil {
		return fmt.Errorf("%w: reading the code of steward %s: %v", attest.ErrChain, signer.Hex(), err)
	}
	if len(code) == 0 {
		return fmt.Errorf("%w: %s has no code on this chain, so it cannot be a contract (EIP-1271) steward; a key signs with a 65-byte signature", attest.ErrSignature, signer.Hex())
	}
	data, err := erc1271ABI.Pack("isValidSignature", digest, signature)
	if err != nil {
		return fmt.Errorf("%w: %v", attest.ErrSignature, err)
	}
	out, err := c.CallContract(ctx, ethereum.CallMsg{To: &signer, Data: data}, nil)
	if err != nil {
		if isRevert(err) {
			return fmt.Errorf("%w: the contract steward %s rejects the signature of digest %s (isValidSignature reverted: %v)", attest.ErrSignature, signer.Hex(), digest.Hex(), err)
		}
		return fmt.Errorf("%w: calling isValidSignature on steward %s: %v", attest.ErrChain, signer.Hex(), err)
	}
	if len(out) < 32 || !bytes.Equal(out[:4], MagicValue[:]) {
		return fmt.Errorf("%w: the contract steward %s rejects the signature of digest %s (isValidSignature returned %s, want 0x1626ba7e)",
			attest.ErrSignature, signer.Hex(), digest.Hex(), hexutil.Encode(out))
	}
	return nil
}

// isRevert reports whether a call error is an execution revert (as opposed
// to a transport failure).
func isRevert(err error) bool {
	var de rpc.DataError
	return errors.As(err, &de) || strings.Contains(err.Error(), "revert")
}

// SafeMessageTypedData returns the EIP-712 typed data the owners of a Safe
// (1.3.0 or later, with the CompatibilityFallbackHandler) sign so that the
// Safe's isValidSignature(digest, signature) accepts their signatures:
// SafeMessage(bytes message) with message = the 32-byte digest, in the
// Safe's domain (chainId, verifyingContract = the Safe). It is what the
// Safe{Wallet} interface has owners sign for an off-chain message.
func SafeMessageTypedData(chainID uint64, safe common.Address, digest common.Hash) apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
			"SafeMessage":  {{Name: "message", Type: "bytes"}},
		},
		PrimaryType: "SafeMessage",
		Domain:      apitypes.TypedDataDomain{ChainId: (*math.HexOrDecimal256)(new(big.Int).SetUint64(chainID)), VerifyingContract: safe.Hex()},
		Message:     apitypes.TypedDataMessage{"message": digest.Hex()},
	}
}

// SafeMessageHash returns the hash a Safe's owners sign for digest (the
// digest of SafeMessageTypedData).
func SafeMessageHash(chainID uint64, safe common.Address, digest common.Hash) (common.Hash, error) {
	h, _, err := apitypes.TypedDataAndHash(SafeMessageTypedData(chainID, safe, digest))
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: SafeMessage: %v", attest.ErrSignature, err)
	}
	return common.BytesToHash(h), nil
}

// stewardSignature is one signature for the registry's calldata.
type stewardSignature struct {
	signer common.Address
	sig    []byte
}

// encodeSignatures returns the registry's signature argument: one entry per
// signer (the first given wins), sorted by signer address, ascending, as
// the contract requires.
func encodeSignatures(sigs []stewardSignature) []datasetregistry.StewardSetStewardSignature {
	out := make([]datasetregistry.StewardSetStewardSignature, 0, len(sigs))
	seen := map[common.Address]bool{}
	for _, s := range sigs {
		if !seen[s.signer] {
			seen[s.signer] = true
			out = append(out, datasetregistry.StewardSetStewardSignature{Signer: s.signer, Signature: s.sig})
		}
	}
	slices.SortFunc(out, func(a, b datasetregistry.StewardSetStewardSignature) int {
		return bytes.Compare(a.Signer[:], b.Signer[:])
	})
	return out
}

// ImportContractSignature checks a contract steward's signature (a Safe's)
// of st on the chain and returns its signature file (SchemeEIP1271). With
// terms it is a revocation signature for the nonce in terms.
func (b *Backend) ImportContractSignature(ctx context.Context, steward common.Address, st attest.Statement, sig []byte, terms *attest.RevocationTerms) (*attest.SignatureFile, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	if len(sig) == 0 || len(sig) > attest.MaxContractSignature {
		return nil, fmt.Errorf("%w: a contract steward's signature of %d bytes (want 1 to %d)", attest.ErrSignature, len(sig), attest.MaxContractSignature)
	}
	f := attest.NewSignatureFile(attest.KindRegistry, st, steward, b.cfg.ChainID, time.Time{})
	addr := b.cfg.Address
	f.Registry, f.Signature, f.Scheme = &addr, sig, attest.SchemeEIP1271
	f.Digest = st.Digest(b.Domain())
	if terms != nil {
		f.Purpose, f.Revocation = attest.PurposeRevoke, terms
		f.Digest = RevocationDigest(b.Domain(), st.Dataset, st.Version, terms.Reason, terms.Nonce)
	}
	if err := IsValidSignature(ctx, b.cfg.Client, steward, f.Digest, sig); err != nil {
		return nil, err
	}
	return f, nil
}
