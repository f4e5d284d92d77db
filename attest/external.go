package attest

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// ExternalSigner is a Signer whose signature was made elsewhere: by a
// hardware or browser wallet, a Safe owner's wallet or Foundry's cast, over
// the typed data `groundtruth sign --typed-data` wrote. SignHash returns
// the signature only when it recovers to the signer over the digest asked
// for, so an imported signature is verified before it is stored.
type ExternalSigner struct {
	addr common.Address
	sig  []byte
}

// NewExternalSigner returns the signer of sig over digest: the recovered
// address, or ErrSignature when sig recovers to no address.
func NewExternalSigner(digest common.Hash, sig []byte) (*ExternalSigner, error) {
	a, err := RecoverSigner(digest, sig)
	if err != nil {
		return nil, err
	}
	return &ExternalSigner{addr: a, sig: append([]byte(nil), sig...)}, nil
}

// Address implements Signer.
func (e *ExternalSigner) Address() common.Address { return e.addr }

// SignHash implements Signer: the imported signature, when it signs digest.
func (e *ExternalSigner) SignHash(_ context.Context, digest common.Hash) ([]byte, error) {
	got, err := RecoverSigner(digest, e.sig)
	if err != nil {
		return nil, err
	}
	if got != e.addr {
		return nil, fmt.Errorf("%w: the imported signature does not sign digest %s for %s (it recovers to %s): was it made over another statement, chain or contract?",
			ErrSignature, digest.Hex(), e.addr.Hex(), got.Hex())
	}
	sig := append([]byte(nil), e.sig...)
	if sig[64] < 27 {
		sig[64] += 27
	}
	return sig, nil
}
