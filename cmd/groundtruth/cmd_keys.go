package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// KeystoreEnv names the default keystore folder.
const KeystoreEnv = "GROUNDTRUTH_KEYSTORE"

// keysOpts are the flags of the keys subcommands.
type keysOpts struct {
	dir          string
	name         string
	passwordFile string
	lightKDF     bool
}

func (o *keysOpts) register(cmd *cobra.Command, secret bool) {
	cmd.Flags().StringVar(&o.dir, "keystore", "", "keystore folder (default $"+KeystoreEnv+", else <data-dir>/keys)")
	if secret {
		cmd.Flags().StringVar(&o.name, "name", "", "file name of the keystore, without .json (default: the address)")
		cmd.Flags().StringVar(&o.passwordFile, "password-file", "", "file holding the new keystore's password (default: $"+attest.PasswordEnv+")")
		cmd.Flags().BoolVar(&o.lightKDF, "lightkdf", false, "cheap scrypt parameters (tests and throwaway keys only)")
	}
}

func (o *keysOpts) folder(a *app) string {
	switch {
	case o.dir != "":
		return o.dir
	case a.getenv(KeystoreEnv) != "":
		return a.getenv(KeystoreEnv)
	}
	return filepath.Join(a.dataDir, "keys")
}

func (o *keysOpts) kdf() attest.KDF {
	if o.lightKDF {
		return attest.LightKDF
	}
	return attest.StandardKDF
}

func newKeysCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create, import and list steward keys (encrypted keystores)",
		Long: `Steward keys are go-ethereum keystore files (scrypt, AES-128-CTR). Passwords
come from --password-file or $` + attest.PasswordEnv + `; they and the keys are never printed.`,
	}
	cmd.AddCommand(newKeysNewCmd(a), newKeysImportCmd(a), newKeysListCmd(a))
	return cmd
}

func newKeysNewCmd(a *app) *cobra.Command {
	var o keysOpts
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Create a steward key in an encrypted keystore",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := attest.ReadPassword(o.passwordFile, a.getenv)
			if err != nil {
				return err
			}
			info, err := attest.NewKey(o.folder(a), o.name, pw, o.kdf())
			if err != nil {
				return err
			}
			return a.printKey(cmd, info, "created")
		},
	}
	o.register(cmd, true)
	return cmd
}

func newKeysImportCmd(a *app) *cobra.Command {
	var o keysOpts
	cmd := &cobra.Command{
		Use:   "import KEYFILE",
		Short: "Encrypt an existing private key (a file holding it in hex) into a keystore",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			raw, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("%w: key file: %v", attest.ErrKey, err)
			}
			key, err := attest.ParsePrivateKeyHex(string(raw))
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			pw, err := attest.ReadPassword(o.passwordFile, a.getenv)
			if err != nil {
				return err
			}
			info, err := attest.ImportKey(o.folder(a), o.name, key, pw, o.kdf())
			if err != nil {
				return err
			}
			return a.printKey(cmd, info, "imported")
		},
	}
	o.register(cmd, true)
	return cmd
}

func newKeysListCmd(a *app) *cobra.Command {
	var o keysOpts
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the keystores in the keystore folder (addresses only)",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			keys, err := attest.ListKeys(o.folder(a))
			if err != nil {
				return err
			}
			if a.jsonOut {
				if keys == nil {
					keys = []attest.KeyInfo{}
				}
				return a.printJSON(keys)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tADDRESS\tKEYSTORE")
			for _, k := range keys {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Name, k.Address.Hex(), k.Path)
			}
			return tw.Flush()
		},
	}
	o.register(cmd, false)
	return cmd
}

// printKey prints a new key's public information and records it in the
// catalog when the data directory has one.
func (a *app) printKey(cmd *cobra.Command, info attest.KeyInfo, verb string) error {
	if _, err := os.Stat(filepath.Join(a.dataDir, store.CatalogFile)); err != nil {
		// No data directory here (a steward's own machine): nothing to record.
	} else if st, err := a.openStore(cmd.Context(), "", false); err == nil {
		err := st.PutStewardKey(cmd.Context(), store.StewardKey{Address: info.Address.Hex(), Name: info.Name, Keystore: info.Path})
		st.Close()
		if err != nil {
			return err
		}
	} else {
		a.logger().Warn("the key's public information was not recorded in the catalog", "err", err)
	}
	if a.jsonOut {
		return a.printJSON(info)
	}
	fmt.Fprintf(a.stdout, "%s key %s\nkeystore %s\n", verb, info.Address.Hex(), info.Path)
	return nil
}
