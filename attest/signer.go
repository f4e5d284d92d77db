package attest

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Signer signs EIP-712 digests and transactions for one steward (or for the
// pipeline's own key). Implementations never reveal the key.
type Signer interface {
	// Address returns the signer's address.
	Address() common.Address
	// SignHash signs a 32-byte digest and returns the 65-byte signature
	// r ‖ s ‖ v with v = 27 or 28 and a low s.
	SignHash(ctx context.Context, digest common.Hash) ([]byte, error)
}

// KeySigner is a Signer holding a decrypted private key in memory.
type KeySigner struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// NewKeySigner returns a signer for key.
func NewKeySigner(key *ecdsa.PrivateKey) *KeySigner {
	return &KeySigner{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

// Address implements Signer.
func (k *KeySigner) Address() common.Address { return k.addr }

// String names the signer by address only, so that printing it never shows the key.
func (k *KeySigner) String() string { return "signer " + k.addr.Hex() }

// GoString is String, for %#v.
func (k *KeySigner) GoString() string { return k.String() }

// SignHash implements Signer.
func (k *KeySigner) SignHash(_ context.Context, digest common.Hash) ([]byte, error) {
	sig, err := crypto.Sign(digest[:], k.key)
	if err != nil {
		return nil, fmt.Errorf("%w: signing with %s: %v", ErrKey, k.addr.Hex(), err)
	}
	sig[64] += 27
	return sig, nil
}

// RecoverSigner returns the address that made a 65-byte signature of
// digest. It accepts v = 27/28 or 0/1 and rejects malleable (high-s)
// signatures, as the registry contract does.
func RecoverSigner(digest common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != 65 {
		return common.Address{}, fmt.Errorf("%w: a signature is 65 bytes, got %d", ErrSignature, len(sig))
	}
	s := append([]byte(nil), sig...)
	if s[64] >= 27 {
		s[64] -= 27
	}
	if s[64] > 1 {
		return common.Address{}, fmt.Errorf("%w: bad recovery id v=%d", ErrSignature, sig[64])
	}
	r, sv := new(big.Int).SetBytes(s[:32]), new(big.Int).SetBytes(s[32:64])
	if !crypto.ValidateSignatureValues(s[64], r, sv, true) {
		return common.Address{}, fmt.Errorf("%w: r or s out of range (a malleable high-s signature?)", ErrSignature)
	}
	pub, err := crypto.SigToPub(digest[:], s)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// TransactOpts returns transaction options that sign with s for chainID and
// carry ctx.
func TransactOpts(ctx context.Context, s Signer, chainID *big.Int) *bind.TransactOpts {
	signer := types.LatestSignerForChainID(chainID)
	return &bind.TransactOpts{
		From:    s.Address(),
		Context: ctx,
		Signer: func(addr common.Address, tx *types.Transaction) (*types.Transaction, error) {
			if addr != s.Address() {
				return nil, errors.New("attest: transaction sender is not the signer")
			}
			sig, err := s.SignHash(ctx, signer.Hash(tx))
			if err != nil {
				return nil, err
			}
			sig[64] -= 27
			return tx.WithSignature(signer, sig)
		},
	}
}

func bigU(v uint64) *big.Int { return new(big.Int).SetUint64(v) }
