package client

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
)

// Verifier checks a version's statement and the server's evidence of its
// attestation against a chain the caller trusts.
type Verifier interface {
	Verify(ctx context.Context, st attest.Statement, ev *attest.Evidence) (*attest.Report, error)
}

// ChainVerifier verifies with an attestation backend connected to the
// caller's node, against the caller's steward set.
type ChainVerifier struct {
	// Backend checks the chain (registry, EAS on-chain or off-chain).
	Backend attest.Backend
	// Trust is the steward set, threshold, chain and contract the caller trusts.
	Trust attest.Trust
}

// Verify implements Verifier: attest.Verify with the chain checks.
func (v *ChainVerifier) Verify(ctx context.Context, st attest.Statement, ev *attest.Evidence) (*attest.Report, error) {
	return attest.Verify(ctx, attest.VerifyRequest{Backend: v.Backend, Data: st, Evidence: ev, Trust: v.Trust, Chain: true})
}

// NewRegistryVerifier connects to rpcURL and verifies against the
// DatasetRegistry at addr. With a nil trust the registry's own steward set
// and threshold are used (read from the chain, not from the server). The
// returned close function releases the connection.
func NewRegistryVerifier(ctx context.Context, rpcURL string, addr common.Address, trust *attest.Trust) (*ChainVerifier, func(), error) {
	c, id, err := dial(ctx, rpcURL)
	if err != nil {
		return nil, nil, err
	}
	b := registry.New(registry.Config{Client: c, ChainID: id, Address: addr})
	v := &ChainVerifier{Backend: b}
	if trust != nil {
		v.Trust = *trust
	} else {
		t, _, err := b.TrustFromChain(ctx)
		if err != nil {
			c.Close()
			return nil, nil, err
		}
		v.Trust = t
	}
	v.Trust.ChainID, v.Trust.Contract = id, addr
	return v, c.Close, nil
}

// NewEASVerifier connects to rpcURL and verifies EAS on-chain attestations
// at addr against the caller's stewards and threshold (EAS has no steward
// set of its own).
func NewEASVerifier(ctx context.Context, rpcURL string, addr common.Address, trust attest.Trust) (*ChainVerifier, func(), error) {
	c, id, err := dial(ctx, rpcURL)
	if err != nil {
		return nil, nil, err
	}
	b, err := eas.New(ctx, eas.Config{Client: c, ChainID: id, Address: addr})
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	trust.ChainID, trust.Contract = id, addr
	return &ChainVerifier{Backend: b, Trust: trust}, c.Close, nil
}

func dial(ctx context.Context, rpcURL string) (*ethclient.Client, uint64, error) {
	c, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: connecting to %s: %v", attest.ErrChain, redact.Endpoint(rpcURL), endpointRedactor(rpcURL).String(err.Error()))
	}
	id, err := c.ChainID(ctx)
	if err != nil {
		c.Close()
		return nil, 0, fmt.Errorf("%w: reading the chain id of %s: %v", attest.ErrChain, redact.Endpoint(rpcURL), endpointRedactor(rpcURL).String(err.Error()))
	}
	return c, id.Uint64(), nil
}

// endpointRedactor masks the endpoint rpcURL and its secret parts.
func endpointRedactor(rpcURL string) *redact.Redactor {
	r := redact.New()
	r.AddEndpoint(rpcURL)
	return r
}
