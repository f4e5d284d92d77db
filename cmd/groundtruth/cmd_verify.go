package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

type verification = datasets.Verification

func newVerifyCmd(a *app) *cobra.Command {
	var offline bool
	cmd := &cobra.Command{
		Use:   "verify DATASET[@N]",
		Short: "Recompute a version's hashes, leaves, Merkle root and manifest hash from its files",
		Long: `verify recomputes, from the files in the data directory, every segment's
SHA-256, every row's leaf hash, the Merkle root, the manifest hash and, for an
append version, that the parent's root is a prefix of this version. It exits 0
when everything matches, and 3 with one line per failed check otherwise.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !offline {
				return fmt.Errorf("%w: only --offline verification is available in this build (attestation checks come with the attest backends)", errUsage)
			}
			name, ver, err := parseRef(args[0])
			if err != nil {
				return err
			}
			st, err := a.openStore(cmd.Context(), "", true)
			if err != nil {
				return err
			}
			defer st.Close()
			v, err := st.Verify(cmd.Context(), name, ver)
			if err != nil {
				return err
			}
			if a.jsonOut {
				if err := a.printJSON(struct {
					OK bool `json:"ok"`
					*verification
				}{v.OK(), v}); err != nil {
					return err
				}
			} else {
				for _, c := range v.Checks {
					status := "ok  "
					if !c.OK {
						status = "FAIL"
					}
					fmt.Fprintf(a.stdout, "%s %-28s %s\n", status, c.Check, c.Detail)
				}
				if v.OK() {
					fmt.Fprintf(a.stdout, "%s@%d verified: %d rows, root %s, manifest %s\n", v.Dataset, v.Version, v.Rows, v.MerkleRoot, v.ManifestHash)
				}
			}
			return v.Err()
		},
	}
	cmd.Flags().BoolVar(&offline, "offline", true, "verify from the local files only")
	return cmd
}
