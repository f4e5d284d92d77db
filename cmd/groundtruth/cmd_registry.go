package main

import (
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
)

// newRegistryCmd is `groundtruth registry`: deploy, inspect and govern a
// DatasetRegistry.
func newRegistryCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "Deploy a DatasetRegistry, show it, and change its stewards k-of-n",
	}
	cmd.AddCommand(newRegistryDeployCmd(a), newRegistryShowCmd(a), newRegistryProposeCmd(a), newRegistrySignCmd(a), newRegistryApplyCmd(a))
	return cmd
}

// registryBackend dials the chain and returns the registry the flags name.
func (f *attestFlags) registryBackend(cmd *cobra.Command, a *app) (*registry.Backend, *chain, error) {
	if err := f.load(a); err != nil {
		return nil, nil, err
	}
	if f.rpc == "" {
		return nil, nil, fmt.Errorf("%w: give --rpc URL (or --config)", errUsage)
	}
	addr, err := address("registry", f.registry)
	if err != nil {
		return nil, nil, err
	}
	if addr == (common.Address{}) {
		return nil, nil, fmt.Errorf("%w: give --registry ADDRESS (or --config)", errUsage)
	}
	c, err := f.dial(cmd.Context())
	if err != nil {
		return nil, nil, err
	}
	return registry.New(registry.Config{Client: c.client, ChainID: c.chainID, Address: addr, Log: a.logger(), Tx: f.txOptions(a, "")}), c, nil
}

func newRegistryDeployCmd(a *app) *cobra.Command {
	var f attestFlags
	var fromPath string
	cmd := &cobra.Command{
		Use:   "deploy --rpc URL --stewards A,B,C --threshold K --from KEYSTORE",
		Short: "Deploy groundtruth's DatasetRegistry with a steward set and threshold",
		Long: `deploy sends the committed DatasetRegistry creation code
(attest/contracts/build/DatasetRegistry.bin) with the stewards and k, paid by
--from, waits for it, checks that the code at the new address is the
committed registry's and that it reports the stewards and k, and prints the
address and the attestation: section to put in the configuration.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := f.load(a); err != nil {
				return err
			}
			trust, ok, err := f.stewardSet()
			if err != nil {
				return err
			}
			if !ok || fromPath == "" || f.rpc == "" {
				return fmt.Errorf("%w: deploy needs --rpc, --stewards, --threshold and --from", errUsage)
			}
			c, err := f.dial(ctx)
			if err != nil {
				return err
			}
			defer c.close()
			from, err := f.loadKey(a, fromPath)
			if err != nil {
				return err
			}
			addr, tx, err := registry.DeployWith(ctx, c.client, nil, from, c.chainID, trust.Stewards, uint64(trust.Threshold), f.txOptions(a, ""))
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"registry": addr, "txHash": tx, "chainId": c.chainID, "stewards": trust.Stewards, "threshold": trust.Threshold})
			}
			fmt.Fprintf(a.stdout, "DatasetRegistry deployed at %s on chain %d (tx %s); code checked\n\n", addr.Hex(), c.chainID, tx.Hex())
			fmt.Fprintf(a.stdout, "attestation:\n  backend: registry\n  chain_id: %d\n  rpc_url: %s\n  registry: \"%s\"\n", c.chainID, f.rpc, addr.Hex())
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&fromPath, "from", "", "keystore of the account that pays for the deployment")
	return cmd
}

func newRegistryShowCmd(a *app) *cobra.Command {
	var f attestFlags
	var fromBlock uint64
	cmd := &cobra.Command{
		Use:   "show --rpc URL --registry ADDRESS",
		Short: "Show a registry's stewards, threshold, nonce, EIP-712 domain and attested versions",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			b, c, err := f.registryBackend(cmd, a)
			if err != nil {
				return err
			}
			defer c.close()
			trust, _, err := b.TrustFromChain(ctx)
			if err != nil {
				return err
			}
			n, err := b.Nonce(ctx)
			if err != nil {
				return err
			}
			versions, err := b.AttestedVersions(ctx, fromBlock)
			if err != nil {
				return err
			}
			d := b.Domain()
			sep, _ := d.Separator()
			if a.jsonOut {
				return a.printJSON(map[string]any{"registry": d.VerifyingContract, "chainId": d.ChainID, "stewards": trust.Stewards,
					"threshold": trust.Threshold, "nonce": n, "domain": d, "domainSeparator": sep, "attested": versions})
			}
			fmt.Fprintf(a.stdout, "registry   %s on chain %d\nthreshold  k = %d of %d stewards\nnonce      %d\n", d.VerifyingContract.Hex(), d.ChainID, trust.Threshold, len(trust.Stewards), n)
			for _, s := range trust.Stewards {
				fmt.Fprintf(a.stdout, "steward    %s\n", s.Hex())
			}
			fmt.Fprintf(a.stdout, "domain     name %q, version %q, chainId %d, verifyingContract %s\nseparator  %s\n", d.Name, d.Version, d.ChainID, d.VerifyingContract.Hex(), sep.Hex())
			for _, v := range versions {
				state := "attested"
				if v.Revoked {
					state = "revoked"
				}
				fmt.Fprintf(a.stdout, "%-9s  %s@%d  root %s  %d rows  block %d  tx %s  by %d stewards\n", state, v.Dataset, v.Version, v.MerkleRoot.Hex(), v.RowCount, v.Block, v.TxHash.Hex(), len(v.Signers))
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().Uint64Var(&fromBlock, "from-block", 0, "first block searched for Attested events (the deployment block on a long chain)")
	return cmd
}

func newRegistryProposeCmd(a *app) *cobra.Command {
	var f attestFlags
	var out string
	cmd := &cobra.Command{
		Use:   "propose --stewards A,B,C --threshold K -o FILE",
		Short: "Write a steward set update for the current stewards to sign",
		Long: `propose writes a steward update proposal (groundtruth-steward-update/1): the new
stewards and k, bound to the registry, its chain and its current steward
nonce. k current stewards sign it with ` + "`groundtruth registry sign`" + ` (or any
wallet, over --typed-data), then ` + "`groundtruth registry apply`" + ` submits it.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, c, err := f.registryBackend(cmd, a)
			if err != nil {
				return err
			}
			defer c.close()
			if !f.changed("stewards") || out == "" {
				return fmt.Errorf("%w: propose needs --stewards, --threshold and -o FILE", errUsage)
			}
			trust, _, err := f.stewardSet()
			if err != nil {
				return err
			}
			n, err := b.Nonce(cmd.Context())
			if err != nil {
				return err
			}
			u, err := registry.NewUpdate(c.chainID, b.Target().Contract, trust.Stewards, uint64(trust.Threshold), n)
			if err != nil {
				return err
			}
			if err := writeUpdate(out, u); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "proposal written to %s: %s; digest %s\n", out, u.Summary(), u.Digest.Hex())
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "proposal file to write")
	return cmd
}

func writeUpdate(path string, u *registry.Update) error {
	b, err := u.Marshal()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func newRegistryApplyCmd(a *app) *cobra.Command {
	var f attestFlags
	var fromPath string
	cmd := &cobra.Command{
		Use:   "apply PROPOSAL --from KEYSTORE",
		Short: "Submit a steward update once k current stewards signed it",
		Long: `apply checks the proposal (its digest, its signatures, the registry's current
nonce) and, with k signatures of current stewards, sends updateStewards paid
by --from. With fewer it exits 9 and sends nothing. An update already
applied is reported and not sent again.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := registry.ReadUpdate(args[0])
			if err != nil {
				return err
			}
			if f.registry == "" {
				f.registry = u.Registry.Hex()
			}
			b, c, err := f.registryBackend(cmd, a)
			if err != nil {
				return err
			}
			defer c.close()
			var from attest.Signer
			if fromPath != "" {
				if from, err = f.loadKey(a, fromPath); err != nil {
					return err
				}
			}
			rc, err := b.ApplyUpdate(cmd.Context(), u, from)
			if err != nil {
				return err
			}
			if rc == nil {
				fmt.Fprintf(a.stdout, "already applied: %s\n", u.Summary())
				return nil
			}
			fmt.Fprintf(a.stdout, "stewards updated: %s (tx %s, block %d)\n", u.Summary(), rc.TxHash.Hex(), rc.Block)
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&fromPath, "from", "", "keystore of the account that pays for the transaction")
	return cmd
}
