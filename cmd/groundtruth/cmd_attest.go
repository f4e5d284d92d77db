package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
)

func newAttestCmd(a *app) *cobra.Command {
	var f attestFlags
	var sigPaths []string
	var keyPath, fromPath string
	cmd := &cobra.Command{
		Use:   "attest DATASET@N",
		Short: "Gather steward signatures of a version and submit them once k are present",
		Long: `attest gathers the signatures of a version for the chosen backend: the files
given with --signatures, those recorded in the catalog by earlier runs, a
signature made now with --key, and the configuration's auto_sign key. Each is
checked (statement, chain and contract, signature, authorised steward). With
k distinct stewards it submits: one DatasetRegistry.attest transaction, one
EAS multiAttestByDelegation transaction, or, off-chain, the attestations are
stored beside the manifest. With fewer the version is recorded as pending
(exit 9) and the accepted signatures are kept for the next run.
The transaction is paid by --from (a keystore), else by --key.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := f.load(a); err != nil {
				return err
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
			if ev != nil && len(ev.Receipts) > 0 {
				if recordGone(ctx, a.logger(), b, stmt) {
					fmt.Fprintf(a.stdout, "%s was recorded attested (tx %s) but the chain no longer records it (a reorg deeper than the confirmation depth): attesting it again\n",
						stmt.Ref(), ev.Receipts[0].TxHash.Hex())
					ev = nil
				}
			}
			if ev != nil && len(ev.Receipts) > 0 {
				// A run killed between recording the evidence and the status
				// left the version sealed or pending: finish its record.
				if status, err := st.VersionStatus(ctx, stmt.Dataset, stmt.Version); err != nil {
					return err
				} else if status == attest.StatusSealed || status == attest.StatusPending {
					if err := st.SetVersionStatus(ctx, stmt.Dataset, stmt.Version, attest.StatusAttested); err != nil {
						return err
					}
				}
				fmt.Fprintf(a.stdout, "%s is already attested on %s (tx %s)\n", stmt.Ref(), ev.Target.Backend, ev.Receipts[0].TxHash.Hex())
				return nil
			}
			trust, ok, err := f.stewardSet()
			if err != nil {
				return err
			}
			if !ok {
				if trust, ok, err = chainTrust(ctx, b, c); err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("%w: who are the stewards? give --stewards and --threshold (or --config)", errUsage)
				}
			}
			col := &attest.Collector{Backend: b, Policy: attest.Policy{Stewards: trust.Stewards, Threshold: trust.Threshold,
				Sign: attest.SignOptions{Validity: f.validity}}, Catalog: st, Log: a.logger()}
			var extra []*attest.SignatureFile
			for _, p := range sigPaths {
				sf, err := attest.ReadSignatureFile(p)
				if err != nil {
					return err
				}
				extra = append(extra, sf)
			}
			if keyPath != "" {
				s, err := f.loadKey(a, keyPath)
				if err != nil {
					return err
				}
				opts := col.Policy.Sign
				if opts.RefUID, err = lineage(ctx, st, b.Target().Backend, stmt, s.Address(), ""); err != nil {
					return err
				}
				sf, err := b.Sign(ctx, s, stmt, opts)
				if err != nil {
					return err
				}
				extra = append(extra, sf)
				col.Submitter = s
			}
			if err := f.configKeys(a, col, fromPath); err != nil {
				return err
			}
			res, err := col.Collect(ctx, stmt, extra)
			if err != nil {
				return err
			}
			return a.printCollect(stmt, res)
		},
	}
	f.register(cmd)
	cmd.Flags().StringSliceVar(&sigPaths, "signatures", nil, "signature files made with groundtruth sign (comma-separated or repeated)")
	cmd.Flags().StringVar(&keyPath, "key", "", "also sign now with this steward keystore")
	cmd.Flags().StringVar(&fromPath, "from", "", "keystore of the account that pays for the transaction")
	return cmd
}

// recordGone reports whether a backend with one record per version (the
// registry) no longer holds the record of st on the chain. Without a chain
// to ask, or when the chain does not answer (a warning), the catalog's
// record stands.
func recordGone(ctx context.Context, log *slog.Logger, b attest.Backend, st attest.Statement) bool {
	rc, ok := b.(attest.RecordChecker)
	if !ok {
		return false
	}
	has, err := rc.Recorded(ctx, st)
	if err != nil && !errors.Is(err, attest.ErrConfig) {
		log.Warn("could not look the recorded attestation up on the chain; the catalog's record stands", "version", st.Ref(), "err", err)
	}
	return err == nil && !has
}

// configKeys sets the collector's automatic signer (auto_sign) and the
// submitter (--from, else the configuration's submitter).
func (f *attestFlags) configKeys(a *app, col *attest.Collector, fromPath string) error {
	if f.cfg != nil && f.cfg.AutoSign != nil {
		s, err := loadKeyRef(a, f.cfg.AutoSign.Keystore, f.cfg.AutoSign.PasswordFile)
		if err != nil {
			return fmt.Errorf("auto_sign key: %w", err)
		}
		col.Policy.AutoSign = s
	}
	switch {
	case fromPath != "":
		s, err := f.loadKey(a, fromPath)
		if err != nil {
			return err
		}
		col.Submitter = s
	case col.Submitter == nil && f.cfg != nil && f.cfg.Submitter != nil:
		s, err := loadKeyRef(a, f.cfg.Submitter.Keystore, f.cfg.Submitter.PasswordFile)
		if err != nil {
			return fmt.Errorf("submitter key: %w", err)
		}
		col.Submitter = s
	}
	return nil
}

func loadKeyRef(a *app, path, passwordFile string) (*attest.KeySigner, error) {
	pw, err := attest.ReadPassword(passwordFile, a.getenv)
	if err != nil {
		return nil, err
	}
	return attest.LoadSigner(path, pw)
}

// printCollect reports what attest did; a pending version is ErrPending.
func (a *app) printCollect(st attest.Statement, res *attest.Result) error {
	if a.jsonOut {
		if err := a.printJSON(res); err != nil {
			return err
		}
	} else {
		for _, r := range res.Rejected {
			fmt.Fprintf(a.stdout, "not counted: %s: %s\n", r.Signer.Hex(), r.Reason)
		}
		for _, s := range res.Signers {
			fmt.Fprintf(a.stdout, "signed by %s\n", s.Hex())
		}
		switch {
		case res.Status == attest.StatusRevoked:
			fmt.Fprintf(a.stdout, "%s was attested on %s (tx %s, block %d) and has been revoked since; recorded as revoked\n",
				st.Ref(), res.Receipt.Backend, res.Receipt.TxHash.Hex(), res.Receipt.Block)
		case res.Status == attest.StatusAttested && res.Adopted:
			fmt.Fprintf(a.stdout, "%s is attested on %s already (tx %s, block %d, sent by an earlier run or another submitter); recorded\n",
				st.Ref(), res.Receipt.Backend, res.Receipt.TxHash.Hex(), res.Receipt.Block)
		case res.Status == attest.StatusAttested:
			fmt.Fprintf(a.stdout, "%s attested on %s (%d of k = %d), tx %s\n", st.Ref(), res.Receipt.Backend, len(res.Signers), res.Threshold, res.Receipt.TxHash.Hex())
		}
	}
	if res.Status == attest.StatusPending {
		return fmt.Errorf("%w: %s is pending: %d of the %d signatures needed; waiting for %d more", attest.ErrPending,
			st.Ref(), len(res.Signers), res.Threshold, res.Threshold-len(res.Signers))
	}
	return nil
}
