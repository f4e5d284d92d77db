package main

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
)

func newRegistrySignCmd(a *app) *cobra.Command {
	var keyPath, sigHex, typedOut, passwordFile, steward, rpcURL string
	cmd := &cobra.Command{
		Use:   "sign PROPOSAL (--key KEYSTORE | --signature 0x... | --typed-data FILE)",
		Short: "Sign a steward update proposal, or import a wallet's signature of it",
		Long: `sign adds a steward's signature to a proposal file written by registry propose:
made now with --key, or made elsewhere and given with --signature (it must
recover to a signer over the proposal's digest). --typed-data FILE writes the
proposal's eth_signTypedData_v4 JSON for a wallet (a hardware or browser
wallet, cast wallet sign --data --from-file) to sign. For a contract steward
(EIP-1271, a Safe) give --steward ADDRESS: --typed-data writes the
SafeMessage its owners sign, and --signature (the owners' signatures,
comma-separated, or the Safe's combined one) is checked with the Safe's
isValidSignature on the chain --rpc names.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := registry.ReadUpdate(args[0])
			if err != nil {
				return err
			}
			if steward != "" {
				return a.registrySignContract(cmd.Context(), u, args[0], steward, sigHex, typedOut, rpcURL)
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
	cmd.Flags().StringVar(&steward, "steward", "", "a contract steward (EIP-1271, a Safe) whose signature --signature is, or whose owners --typed-data is for")
	cmd.Flags().StringVar(&rpcURL, "rpc", "", "JSON-RPC endpoint to check a contract steward's signature on (with --steward)")
	return cmd
}

// registrySignContract adds a contract steward's (a Safe's) signature to a
// proposal, checked on the chain, or writes the SafeMessage its owners sign.
func (a *app) registrySignContract(ctx context.Context, u *registry.Update, path, steward, sigs, typedOut, rpcURL string) error {
	if !common.IsHexAddress(steward) {
		return fmt.Errorf("%w: --steward %q is not an address", errUsage, steward)
	}
	safe := common.HexToAddress(steward)
	if typedOut != "" {
		if err := writeTypedData(typedOut, registry.SafeMessageTypedData(u.ChainID, safe, u.Digest)); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "SafeMessage typed data of the steward update (digest %s) for the owners of Safe %s written to %s; each owner signs it, then add it with --steward %s --signature SIG1,SIG2,... --rpc URL\n",
			u.Digest.Hex(), safe.Hex(), typedOut, safe.Hex())
		return nil
	}
	if sigs == "" {
		return fmt.Errorf("%w: --steward needs --signature or --typed-data", errUsage)
	}
	sig, err := safeSignature(sigs, u.ChainID, safe, u.Digest)
	if err != nil {
		return err
	}
	var client attest.Client
	if rpcURL != "" {
		c, id, err := dialChain(ctx, rpcURL, a.red)
		if err != nil {
			return err
		}
		defer c.Close()
		if id.Uint64() != u.ChainID {
			return fmt.Errorf("%w: %s is chain %d, the proposal is for chain %d", errUsage, a.red.URL(rpcURL), id.Uint64(), u.ChainID)
		}
		client = c
	}
	if err := u.AddContractSignature(ctx, client, safe, sig); err != nil {
		return err
	}
	if err := writeUpdate(path, u); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "signed by contract steward %s: %d signature(s) on %s\n", safe.Hex(), len(u.Signatures), path)
	return nil
}
