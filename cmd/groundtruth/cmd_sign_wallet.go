package main

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
)

// walletFlags are sign's flags for signatures made by other wallets.
type walletFlags struct {
	typedData string // write the statement's typed data here
	signature string // import this signature
	steward   string // a contract steward (a Safe) whose signature this is
	revoke    bool   // a revocation (contract steward path)
	reason    string
	nonce     *uint64
}

// active reports whether a wallet flag was given.
func (w *walletFlags) active() bool { return w.typedData != "" || w.signature != "" }

// walletSign writes the typed data of st for a wallet, or imports a
// wallet's signature of it, checks it (the signature recovers over the
// statement's digest in the registry's domain; the signer is a steward when
// a steward set is known) and writes the signature file.
func (a *app) walletSign(ctx context.Context, f *attestFlags, w *walletFlags, b attest.Backend, c *chain, st attest.Statement, out string) error {
	rb, ok := b.(*registry.Backend)
	if !ok {
		return fmt.Errorf("%w: --typed-data and --signature work with the registry backend (an EAS request binds the attester's nonce and expiry)", errUsage)
	}
	if w.typedData != "" && w.signature != "" {
		return fmt.Errorf("%w: give --typed-data (to write what a wallet signs) or --signature (to import it), not both", errUsage)
	}
	if w.steward != "" {
		return a.contractSign(ctx, f, w, rb, c, st, out)
	}
	if w.revoke {
		return fmt.Errorf("%w: --revoke with --typed-data or --signature is for a contract steward (--steward); a key steward signs a revocation with --key", errUsage)
	}
	if w.typedData != "" {
		if err := writeTypedData(w.typedData, st.TypedData(rb.Domain())); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "typed data of %s for registry %s on chain %d written to %s (digest %s); sign it with eth_signTypedData_v4 and import it with --signature\n",
			st.Ref(), rb.Domain().VerifyingContract.Hex(), rb.Domain().ChainID, w.typedData, st.Digest(rb.Domain()).Hex())
		return nil
	}
	sig, err := hexutil.Decode(w.signature)
	if err != nil {
		return fmt.Errorf("%w: --signature: %v", errUsage, err)
	}
	signer, err := attest.NewExternalSigner(st.Digest(rb.Domain()), sig)
	if err != nil {
		return err
	}
	trust, known, err := f.stewardSet()
	if err == nil && !known {
		trust, known, err = chainTrust(ctx, b, c)
	}
	if err != nil {
		return err
	}
	if known && !trust.IsSteward(signer.Address()) {
		return fmt.Errorf("%w: the signature of %s recovers to %s, which is not a steward (%s)", attest.ErrInvalid, st.Ref(), signer.Address().Hex(), trust.Source)
	}
	sf, err := b.Sign(ctx, signer, st, attest.SignOptions{})
	if err != nil {
		return err
	}
	return a.writeSignature(sf, out)
}
