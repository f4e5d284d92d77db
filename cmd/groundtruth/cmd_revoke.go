package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func newRevokeCmd(a *app) *cobra.Command {
	var f attestFlags
	var keyPaths, sigPaths []string
	var reason, fromPath string
	cmd := &cobra.Command{
		Use:   "revoke DATASET@N --reason TEXT --key KEYSTORE...",
		Short: "Revoke an attested version through its backend",
		Long: `revoke withdraws the attestation of a version. On the registry it needs k
steward signatures of the revocation: the --key keystores sign now, and
--signatures adds revocation files made with ` + "`groundtruth sign --revoke`" + `. On EAS
each --key steward revokes their own attestation (by delegation, paid by
--from or the first key); off-chain, each --key steward sends EAS's
revokeOffchain from their own account. The reason is recorded in the catalog
(and on the registry, on-chain).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := f.load(a); err != nil {
				return err
			}
			if reason == "" {
				return fmt.Errorf("%w: --reason is required", errUsage)
			}
			if len(keyPaths) == 0 && len(sigPaths) == 0 {
				return fmt.Errorf("%w: give the revoking stewards' --key keystores (or --signatures)", errUsage)
			}
			st, rec, err := a.openVersionRW(ctx, args[0], false)
			if err != nil {
				return err
			}
			defer st.Close()
			stmt := attest.StatementOf(rec.Manifest, rec.ManifestHash)
			c, err := f.dial(ctx)
			if err != nil {
				return err
			}
			defer c.close()
			b, err := f.newBackend(ctx, a, c, st.Root())
			if err != nil {
				return err
			}
			ev, err := catalogEvidence(ctx, st, b.Target().Backend, stmt)
			if err != nil {
				return err
			}
			if ev == nil {
				ev = attest.NewEvidence(b.Target(), stmt)
			}
			for _, p := range sigPaths {
				sf, err := attest.ReadSignatureFile(p)
				if err != nil {
					return err
				}
				ev.Signatures = append(ev.Signatures, sf)
			}
			var revokers []attest.Signer
			var by []common.Address
			for _, sf := range ev.Signatures {
				if sf.Purpose == attest.PurposeRevoke {
					by = append(by, sf.Signer)
				}
			}
			for _, p := range keyPaths {
				s, err := f.loadKey(a, p)
				if err != nil {
					return err
				}
				revokers, by = append(revokers, s), append(by, s.Address())
			}
			var from attest.Signer
			if fromPath != "" {
				if from, err = f.loadKey(a, fromPath); err != nil {
					return err
				}
			}
			rc, err := b.Revoke(ctx, stmt, reason, ev, revokers, from)
			if err != nil {
				return err
			}
			return a.recordRevocation(ctx, st, stmt, rc, reason, by)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&reason, "reason", "", "why the version is revoked (required)")
	cmd.Flags().StringSliceVar(&keyPaths, "key", nil, "keystores of the revoking stewards (repeat)")
	cmd.Flags().StringSliceVar(&sigPaths, "signatures", nil, "revocation signature files (registry)")
	cmd.Flags().StringVar(&fromPath, "from", "", "keystore of the account that pays for the transaction")
	return cmd
}

func (a *app) recordRevocation(ctx context.Context, st *store.Store, stmt attest.Statement, rc *attest.Receipt, reason string, by []common.Address) error {
	byJSON, _ := json.Marshal(by)
	if err := st.PutRevocation(ctx, stmt.Dataset, stmt.Version, store.RevocationRecord{Backend: rc.Backend, Reason: reason,
		Ref: rc.TxHash.Hex(), RevokedBy: string(byJSON)}); err != nil {
		return err
	}
	if a.jsonOut {
		return a.printJSON(map[string]any{"dataset": stmt.Dataset, "version": stmt.Version, "backend": rc.Backend, "reason": reason, "txHash": rc.TxHash})
	}
	fmt.Fprintf(a.stdout, "%s revoked on %s: %s (tx %s)\n", stmt.Ref(), rc.Backend, reason, rc.TxHash.Hex())
	return nil
}

// chainTrust reads the steward set from the chain when the backend has one.
func chainTrust(ctx context.Context, b attest.Backend, c *chain) (attest.Trust, bool, error) {
	if c.client == nil {
		return attest.Trust{}, false, nil
	}
	return b.TrustFromChain(ctx)
}
