package main

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest/eas"
)

// newEASCmd is `groundtruth eas`: groundtruth's schema on an EAS deployment.
func newEASCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eas",
		Short: "Show or register groundtruth's schema on an EAS deployment",
	}
	cmd.AddCommand(newEASSchemaCmd(a))
	return cmd
}

func newEASSchemaCmd(a *app) *cobra.Command {
	var f attestFlags
	var register bool
	var fromPath string
	cmd := &cobra.Command{
		Use:   "schema --rpc URL [--eas ADDRESS] [--register --from KEYSTORE]",
		Short: "Show whether groundtruth's EAS schema is registered, and register it",
		Long: `schema reads the EAS contract (its version and schema registry) and tells
whether groundtruth's schema is registered; with --register it registers it
(paid by --from) unless it is. Without --eas the EAS project's canonical
deployment of the chain the node reports is used (Ethereum, OP Mainnet,
Base, Arbitrum One, Sepolia); --chain-id makes the command refuse a node on
another chain.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := f.load(a); err != nil {
				return err
			}
			if f.rpc == "" {
				return fmt.Errorf("%w: give --rpc URL (or --config)", errUsage)
			}
			c, err := f.dial(ctx)
			if err != nil {
				return err
			}
			defer c.close()
			addr, err := address("eas", f.eas)
			if err != nil {
				return err
			}
			if addr == (common.Address{}) {
				var ok bool
				if addr, ok = eas.Canonical[c.chainID]; !ok {
					return fmt.Errorf("%w: no canonical EAS deployment is known for chain %d: give --eas ADDRESS", errUsage, c.chainID)
				}
			}
			info, err := eas.ReadSchema(ctx, c.client, addr)
			if err != nil {
				return err
			}
			if register && !info.Registered {
				if fromPath == "" {
					return fmt.Errorf("%w: --register needs --from KEYSTORE to pay for the transaction", errUsage)
				}
				from, err := f.loadKey(a, fromPath)
				if err != nil {
					return err
				}
				if _, err := eas.EnsureSchemaWith(ctx, c.client, nil, c.chainID, addr, from, f.txOptions(a, "")); err != nil {
					return err
				}
				if info, err = eas.ReadSchema(ctx, c.client, addr); err != nil {
					return err
				}
			}
			if a.jsonOut {
				return a.printJSON(info)
			}
			state := "not registered (register it with --register --from KEYSTORE)"
			if info.Registered {
				state = "registered"
			}
			fmt.Fprintf(a.stdout, "EAS %s version %s on chain %d, schema registry %s\nschema %s: %s\n  %s\n", info.EAS.Hex(), info.Version, c.chainID,
				info.SchemaRegistry.Hex(), info.UID.Hex(), state, info.Schema)
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&register, "register", false, "register the schema when it is not registered")
	cmd.Flags().StringVar(&fromPath, "from", "", "keystore of the account that pays for the registration")
	return cmd
}
