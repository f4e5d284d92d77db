package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
)

func newBundleCmd(a *app) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "bundle DATASET@N -o FILE",
		Short: "Write one file (a tar) with a version's manifest, segments and attestation evidence",
		Long: `bundle writes everything an auditor needs to verify a version offline into one
tar file: the manifest, the segments and their leaf indexes, the off-chain
attestations, and evidence.json (the statement, the steward signatures, the
transactions and revocations known to the catalog). Check it with
` + "`groundtruth verify --bundle FILE`" + `.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if out == "" {
				return fmt.Errorf("%w: -o FILE is required", errUsage)
			}
			st, rec, err := a.openVersionRW(ctx, args[0], true)
			if err != nil {
				return err
			}
			defer st.Close()
			stmt := attest.StatementOf(rec.Manifest, rec.ManifestHash)
			ev, err := catalogEvidence(ctx, st, "", stmt)
			if err != nil {
				return err
			}
			tmp, err := os.CreateTemp(filepath.Dir(out), ".bundle-*")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			if err := attest.WriteBundle(ctx, tmp, st.Root(), rec.Manifest, rec.ManifestHash, ev); err != nil {
				tmp.Close()
				return err
			}
			if err := tmp.Close(); err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), out); err != nil {
				return err
			}
			sigs := 0
			if ev != nil {
				sigs = len(ev.Signatures)
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"file": out, "dataset": rec.Manifest.Dataset, "version": rec.Manifest.Version, "manifestHash": rec.ManifestHash, "signatures": sigs})
			}
			fmt.Fprintf(a.stdout, "%s@%d bundled into %s (%d segments, %d signatures)\n", rec.Manifest.Dataset, rec.Manifest.Version, out, len(rec.Manifest.Segments), sigs)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "bundle file to write")
	return cmd
}
