package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/client"
)

// newReceiptCmd is `groundtruth receipt`, the decision receipts of the
// verifying client.
func newReceiptCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "receipt",
		Short: "Check decision receipts written by the verifying client",
	}
	cmd.AddCommand(newReceiptVerifyCmd(a))
	return cmd
}

func newReceiptVerifyCmd(a *app) *cobra.Command {
	var f attestFlags
	cmd := &cobra.Command{
		Use:   "verify FILE --rpc URL (--registry ADDRESS | --eas ADDRESS --stewards A,B,C --threshold K)",
		Short: "Check a decision receipt against the chain, without the server",
		Long: `receipt verify checks a decision receipt (groundtruth-receipt/1, written by
serve/client's Receipt) without the server that served the data: for every
version read, the manifest against the statement, the statement's
attestation on your chain (--rpc, with --registry or --eas, or --config), and
every row read against the attested root with its inclusion proof. The
steward set is the registry's (read from the chain), or --stewards and
--threshold. Exit 0 when every check passes, 3 when a manifest or row does
not match, 8 when an attestation check fails.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := f.load(a); err != nil {
				return err
			}
			b, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			r, err := client.ParseReceipt(b)
			if err != nil {
				return fmt.Errorf("%w: %s: %v", datasets.ErrIntegrity, args[0], err)
			}
			if f.rpc == "" {
				return fmt.Errorf("%w: a receipt is checked against the chain: give --rpc (or --config)", errUsage)
			}
			if f.backend == "" {
				f.backend = impliedBackend(&verifyOpts{attestFlags: f})
			}
			c, err := f.dial(ctx)
			if err != nil {
				return err
			}
			defer c.close()
			be, err := f.newBackend(ctx, a, c, "")
			if err != nil {
				return err
			}
			trust, ok, err := f.stewardSet()
			if err == nil && !ok {
				trust, ok, err = chainTrust(ctx, be, c)
			}
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%w: who are the stewards? give --stewards and --threshold (EAS has no steward set on-chain)", errUsage)
			}
			trust.ChainID, trust.Contract = c.chainID, be.Target().Contract
			rep, err := client.VerifyReceipt(ctx, r, &client.ChainVerifier{Backend: be, Trust: trust})
			if err != nil {
				return err
			}
			return a.printReceiptReport(args[0], r, rep)
		},
	}
	f.register(cmd)
	return cmd
}

// printReceiptReport prints one line per check and returns the failure
// class: an attestation failure is attest.ErrInvalid, any other
// datasets.ErrIntegrity.
func (a *app) printReceiptReport(path string, r *client.Receipt, rep *client.ReceiptReport) error {
	if a.jsonOut {
		if err := a.printJSON(rep); err != nil {
			return err
		}
	} else {
		for _, c := range rep.Checks {
			status := "ok  "
			if !c.OK {
				status = "FAIL"
			}
			fmt.Fprintf(a.stdout, "%s %-28s %s\n", status, c.Check, c.Detail)
		}
	}
	for _, c := range rep.Checks {
		if !c.OK && strings.HasSuffix(c.Check, ".attestation") {
			return fmt.Errorf("%w: receipt %s: %s: %s", attest.ErrInvalid, path, c.Check, c.Detail)
		}
	}
	if err := rep.Err(); err != nil {
		return err
	}
	if !a.jsonOut {
		fmt.Fprintf(a.stdout, "receipt %s verified: %d version(s) read, %q\n", path, len(r.Reads), r.Note)
	}
	return nil
}
