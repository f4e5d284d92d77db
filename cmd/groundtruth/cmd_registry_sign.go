package main

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest/registry"
)

func newRegistrySignCmd(a *app) *cobra.Command {
	var keyPath, sigHex, typedOut, passwordFile string
	cmd := &cobra.Command{
		Use:   "sign PROPOSAL (--key KEYSTORE | --signature 0x... | --typed-data FILE)",
		Short: "Sign a steward update proposal, or import a wallet's signature of it",
		Long: `sign adds a steward's signature to a proposal file written by registry propose:
made now with --key, or made elsewhere and given with --signature (it must
recover to a signer over the proposal's digest). --typed-data FILE writes the
proposal's eth_signTypedData_v4 JSON for a wallet (a hardware or browser
wallet, cast wallet sign --data --from-file) to sign.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := registry.ReadUpdate(args[0])
			if err != nil {
				return err
			}
			if typedOut != "" {
				return writeTypedData(typedOut, u.TypedData())
			}
			var sig []byte
			switch {
			case keyPath != "" && sigHex == "":
				f := attestFlags{passwordFile: passwordFile}
				s, err := f.loadKey(a, keyPath)
				if err != nil {
					return err
				}
				if sig, err = s.SignHash(cmd.Context(), u.Digest); err != nil {
					return err
				}
			case sigHex != "" && keyPath == "":
				if sig, err = hexutil.Decode(sigHex); err != nil {
					return fmt.Errorf("%w: --signature: %v", errUsage, err)
				}
			default:
				return fmt.Errorf("%w: give one of --key, --signature or --typed-data", errUsage)
			}
			signer, err := u.AddSignature(sig)
			if err != nil {
				return err
			}
			if err := writeUpdate(args[0], u); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "signed by %s: %d signature(s) on %s\n", signer.Hex(), len(u.Signatures), args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&keyPath, "key", "", "steward keystore to sign with")
	cmd.Flags().StringVar(&sigHex, "signature", "", "a signature of the proposal made by a wallet (0x, 65 bytes)")
	cmd.Flags().StringVar(&typedOut, "typed-data", "", "write the proposal's EIP-712 typed data JSON to this file instead of signing")
	cmd.Flags().StringVar(&passwordFile, "password-file", "", "file holding the keystore password")
	return cmd
}
