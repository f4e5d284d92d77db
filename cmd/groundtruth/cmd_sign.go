package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func newSignCmd(a *app) *cobra.Command {
	var f attestFlags
	var keyPath, manifestPath, out, refUID, reason string
	var nonce int64
	var w walletFlags
	var pending bool
	cmd := &cobra.Command{
		Use:   "sign DATASET@N --key KEYSTORE",
		Short: "Sign a version's attestation statement as a steward and write a signature file",
		Long: `sign makes one steward's signature of a version for the chosen backend and
writes it to a file (-o, default DATASET@N.BACKEND.ADDRESS.json) for
` + "`groundtruth attest --signatures`" + `. It needs only the manifest: from the data
directory, or from --manifest FILE on a steward's own machine. The registry and
off-chain backends sign offline; an EAS delegated attestation needs the
steward's EAS nonce (--rpc, or --nonce). With --revoke --reason R it signs a
registry revocation instead (the registry's nonce: --rpc or --nonce).
Any wallet can sign for the registry: --typed-data FILE writes the
statement's eth_signTypedData_v4 JSON, and --signature 0x... imports the
wallet's signature (checked against the statement and the steward set) into
the signature file. A contract steward (EIP-1271, a Safe) is named with
--steward ADDRESS: --typed-data then writes the SafeMessage its owners sign,
and --signature takes the owners' signatures (comma-separated, any order) or
the Safe's combined signature, checked with the Safe's isValidSignature on
the chain (--rpc; offline it is unverifiable, exit 8). --pending signs every pending version of the data
directory this steward has not signed, listing them first, and records the
signatures in the catalog.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if pending {
				return exactArgs(0)(cmd, args)
			}
			return exactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := f.load(a); err != nil {
				return err
			}
			if pending && w.active() {
				return fmt.Errorf("%w: --pending signs with --key; --typed-data and --signature are for one version", errUsage)
			}
			if pending && keyPath != "" {
				return a.signPending(ctx, &f, keyPath)
			}
			if w.steward != "" && !w.active() {
				return fmt.Errorf("%w: --steward needs --typed-data (what the Safe's owners sign) or --signature (the Safe's signature)", errUsage)
			}
			if !w.active() && keyPath == "" {
				return fmt.Errorf("%w: --key KEYSTORE is required", errUsage)
			}
			st, cat, err := a.statementFor(ctx, args[0], manifestPath)
			if err != nil {
				return err
			}
			if cat != nil {
				defer cat.Close()
			}
			c, err := f.dial(ctx)
			if err != nil {
				return err
			}
			defer c.close()
			b, err := f.newBackend(ctx, a, c, "")
			if err != nil {
				return err
			}
			if w.active() {
				w.revoke, w.reason = cmd.Flags().Changed("revoke"), reason
				if cmd.Flags().Changed("nonce") {
					u := uint64(nonce)
					w.nonce = &u
				}
				return a.walletSign(ctx, &f, &w, b, c, st, out)
			}
			signer, err := f.loadKey(a, keyPath)
			if err != nil {
				return err
			}
			var n *uint64
			if cmd.Flags().Changed("nonce") {
				u := uint64(nonce)
				n = &u
			}
			var sf *attest.SignatureFile
			if cmd.Flags().Changed("revoke") {
				rb, ok := b.(*registry.Backend)
				if !ok || reason == "" {
					return fmt.Errorf("%w: --revoke signs a registry revocation and needs --reason", errUsage)
				}
				sf, err = rb.SignRevocation(ctx, signer, st, reason, n)
			} else {
				opts := attest.SignOptions{Validity: f.validity, Nonce: n}
				if opts.RefUID, err = lineage(ctx, cat, b.Target().Backend, st, signer.Address(), refUID); err != nil {
					return err
				}
				sf, err = b.Sign(ctx, signer, st, opts)
			}
			if err != nil {
				return err
			}
			return a.writeSignature(sf, out)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&keyPath, "key", "", "the steward's keystore file")
	cmd.Flags().StringVar(&manifestPath, "manifest", "", "sign from this manifest file instead of the data directory")
	cmd.Flags().StringVarP(&out, "output", "o", "", "signature file to write")
	cmd.Flags().StringVar(&refUID, "ref-uid", "", "EAS lineage: the signer's attestation UID of the previous version (default: from the catalog)")
	cmd.Flags().Int64Var(&nonce, "nonce", 0, "EAS nonce of the signer, or the registry's revocation nonce (default: read with --rpc)")
	cmd.Flags().Bool("revoke", false, "sign a registry revocation instead of the statement")
	cmd.Flags().StringVar(&reason, "reason", "", "why the version is revoked (with --revoke)")
	cmd.Flags().StringVar(&w.typedData, "typed-data", "", "write the statement's EIP-712 typed data JSON for a wallet to sign (registry)")
	cmd.Flags().StringVar(&w.signature, "signature", "", "import a wallet's signature of the statement (0x, 65 bytes; registry), or with --steward the Safe owners' signatures (comma-separated)")
	cmd.Flags().StringVar(&w.steward, "steward", "", "a contract steward (EIP-1271, a Safe) whose signature --signature is, or whose owners --typed-data is for")
	cmd.Flags().BoolVar(&pending, "pending", false, "sign every pending version this steward has not signed (with --key)")
	return cmd
}

// statementFor returns the statement of DATASET@N from a manifest file or
// from the data directory (whose store it returns open, read-only).
func (a *app) statementFor(ctx context.Context, ref, manifestPath string) (attest.Statement, *store.Store, error) {
	name, ver, err := parseRef(ref)
	if err != nil {
		return attest.Statement{}, nil, err
	}
	if manifestPath != "" {
		raw, err := os.ReadFile(manifestPath)
		if err != nil {
			return attest.Statement{}, nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		m, err := datasets.ParseManifest(raw)
		if err != nil {
			return attest.Statement{}, nil, err
		}
		if m.Dataset != name || (ver != 0 && m.Version != ver) {
			return attest.Statement{}, nil, fmt.Errorf("%w: %s is the manifest of %s@%d, not %s", errUsage, manifestPath, m.Dataset, m.Version, ref)
		}
		return attest.StatementOf(m, datasets.Hash(sha256.Sum256(raw))), nil, nil
	}
	st, err := a.openStore(ctx, "", true)
	if err != nil {
		return attest.Statement{}, nil, err
	}
	rec, err := st.Version(ctx, name, ver)
	if err != nil {
		st.Close()
		return attest.Statement{}, nil, err
	}
	return attest.StatementOf(rec.Manifest, rec.ManifestHash), st, nil
}

// lineage returns the refUID of a steward's attestation of st: the flag's
// value, else the UID of the same signer's attestation of the previous
// version recorded in the catalog, else zero.
func lineage(ctx context.Context, cat *store.Store, kind string, st attest.Statement, signer common.Address, flag string) (common.Hash, error) {
	if flag != "" {
		if len(strings.TrimPrefix(flag, "0x")) != 64 {
			return common.Hash{}, fmt.Errorf("%w: --ref-uid %q is not a 32-byte hex UID", errUsage, flag)
		}
		return common.HexToHash(flag), nil
	}
	if cat == nil || st.Version < 2 || kind == attest.KindRegistry {
		return common.Hash{}, nil
	}
	docs, err := cat.Signatures(ctx, st.Dataset, st.Version-1, kind)
	if err != nil {
		return common.Hash{}, err
	}
	for _, d := range docs {
		f, err := attest.ParseSignatureFile(d)
		if err != nil || f.Signer != signer || f.Purpose != attest.PurposeAttest {
			continue
		}
		if uid, ok := attestationUID(f); ok {
			return uid, nil
		}
	}
	return common.Hash{}, nil
}

// writeSignature writes a signature file and says where.
func (a *app) writeSignature(sf *attest.SignatureFile, out string) error {
	if out == "" {
		out = fmt.Sprintf("%s.%s.%s.json", sf.Statement.Ref(), sf.Backend, strings.ToLower(sf.Signer.Hex()))
		if sf.Purpose == attest.PurposeRevoke {
			out = strings.TrimSuffix(out, ".json") + ".revoke.json"
		}
	}
	b, err := sf.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	if a.jsonOut {
		return a.printJSON(map[string]any{"file": out, "signer": sf.Signer, "backend": sf.Backend, "purpose": sf.Purpose, "digest": sf.Digest, "statement": sf.Statement})
	}
	fmt.Fprintf(a.stdout, "%s signed %s for %s (%s): %s\n", sf.Signer.Hex(), sf.Statement.Ref(), sf.Backend, sf.Purpose, out)
	return nil
}
