package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
)

// contractSign is sign's path for a contract steward (a Safe, --steward):
// --typed-data writes the SafeMessage typed data the Safe's owners sign;
// --signature imports the Safe's signature (its owners' signatures,
// comma-separated in any order, or already combined), checks it with the
// Safe's isValidSignature on the chain (--rpc; offline it is unverifiable)
// and writes the signature file. With --revoke it signs a revocation.
func (a *app) contractSign(ctx context.Context, f *attestFlags, w *walletFlags, rb *registry.Backend, c *chain, st attest.Statement, out string) error {
	if !common.IsHexAddress(w.steward) {
		return fmt.Errorf("%w: --steward %q is not an address", errUsage, w.steward)
	}
	steward := common.HexToAddress(w.steward)
	digest, terms, err := w.contractDigest(ctx, rb, st)
	if err != nil {
		return err
	}
	what := "statement of " + st.Ref()
	if terms != nil {
		what = "revocation of " + st.Ref()
	}
	if w.typedData != "" {
		if err := writeTypedData(w.typedData, registry.SafeMessageTypedData(rb.Domain().ChainID, steward, digest)); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "SafeMessage typed data of the %s (registry digest %s) for the owners of Safe %s on chain %d written to %s; "+
			"each owner signs it with eth_signTypedData_v4, then import with --steward %s --signature SIG1,SIG2,...\n",
			what, digest.Hex(), steward.Hex(), rb.Domain().ChainID, w.typedData, steward.Hex())
		return nil
	}
	sig, err := safeSignature(w.signature, rb.Domain().ChainID, steward, digest)
	if err != nil {
		return err
	}
	trust, known, err := f.stewardSet()
	if err == nil && !known && c.client != nil {
		trust, known, err = chainTrust(ctx, rb, c)
	}
	if err != nil {
		return err
	}
	if known && !trust.IsSteward(steward) {
		return fmt.Errorf("%w: %s is not a steward (%s)", attest.ErrInvalid, steward.Hex(), trust.Source)
	}
	sf, err := rb.ImportContractSignature(ctx, steward, st, sig, terms)
	if err != nil {
		return err
	}
	return a.writeSignature(sf, out)
}

// contractDigest returns the registry digest a contract steward signs: the
// statement's, or with --revoke the revocation's (nonce from --nonce or the
// chain).
func (w *walletFlags) contractDigest(ctx context.Context, rb *registry.Backend, st attest.Statement) (common.Hash, *attest.RevocationTerms, error) {
	if !w.revoke {
		return st.Digest(rb.Domain()), nil, nil
	}
	if w.reason == "" {
		return common.Hash{}, nil, fmt.Errorf("%w: --revoke needs --reason", errUsage)
	}
	n := w.nonce
	if n == nil {
		got, err := rb.Nonce(ctx)
		if err != nil {
			return common.Hash{}, nil, err
		}
		n = &got
	}
	terms := &attest.RevocationTerms{Reason: w.reason, Nonce: *n}
	return registry.RevocationDigest(rb.Domain(), st.Dataset, st.Version, terms.Reason, terms.Nonce), terms, nil
}

// safeSignature decodes --signature for a contract steward. One value is
// used as given (a Safe's combined signature, as the Safe{Wallet} interface
// or its transaction service prepares it). Several comma-separated 65-byte
// owner signatures of the SafeMessage are ordered by the owner each
// recovers to and concatenated, as the Safe's checkSignatures requires.
func safeSignature(list string, chainID uint64, safe common.Address, digest common.Hash) ([]byte, error) {
	parts := strings.Split(list, ",")
	if len(parts) == 1 {
		sig, err := hexutil.Decode(strings.TrimSpace(parts[0]))
		if err != nil {
			return nil, fmt.Errorf("%w: --signature: %v", errUsage, err)
		}
		return sig, nil
	}
	h, err := registry.SafeMessageHash(chainID, safe, digest)
	if err != nil {
		return nil, err
	}
	type owned struct {
		owner common.Address
		sig   []byte
	}
	var sigs []owned
	for i, p := range parts {
		sig, err := hexutil.Decode(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("%w: --signature: owner signature %d: %v", errUsage, i+1, err)
		}
		owner, err := attest.RecoverSigner(h, sig)
		if err != nil {
			return nil, fmt.Errorf("owner signature %d of the SafeMessage %s: %w", i+1, h.Hex(), err)
		}
		if sig[64] < 27 {
			sig[64] += 27
		}
		sigs = append(sigs, owned{owner, sig})
	}
	slices.SortFunc(sigs, func(a, b owned) int { return bytes.Compare(a.owner[:], b.owner[:]) })
	var out []byte
	for _, s := range sigs {
		out = append(out, s.sig...)
	}
	return out, nil
}
