package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
)

// attestCommands are the attestation subcommands (keys, sign, attest,
// revoke, bundle, receipt, registry, eas); verify is registered with the other commands.
func attestCommands(a *app) []*cobra.Command {
	return []*cobra.Command{newKeysCmd(a), newSignCmd(a), newAttestCmd(a), newRevokeCmd(a), newBundleCmd(a), newReceiptCmd(a), newRegistryCmd(a), newEASCmd(a)}
}

// attestFlags are the attestation settings the commands share; each can
// come from the configuration's attestation section (--config) and be
// overridden on the command line.
type attestFlags struct {
	configPath   string
	backend      string
	rpc          string
	rpcFile      string
	chainID      uint64
	registry     string
	eas          string
	easVersion   string
	stewards     []string
	threshold    int
	validity     time.Duration
	passwordFile string
	keystore     string
	maxFeeGwei   float64
	confirms     uint64
	replaceAfter time.Duration
	maxReplace   int

	cfg *config.Attestation
	cmd *cobra.Command
	red *redact.Redactor // the app's, set by load
}

// register adds the shared flags to cmd.
func (f *attestFlags) register(cmd *cobra.Command) {
	f.cmd = cmd
	fs := cmd.Flags()
	fs.StringVarP(&f.configPath, "config", "c", "", "configuration file with an attestation: section")
	fs.StringVar(&f.backend, "backend", "", "attestation backend: registry, eas or offchain")
	fs.StringVar(&f.rpc, "rpc", "", "JSON-RPC endpoint of the chain (visible in the process list: prefer --rpc-file or $"+rpcEnv+")")
	fs.StringVar(&f.rpcFile, "rpc-file", "", "file holding the JSON-RPC endpoint (default $"+rpcEnv+", then the configuration's attestation.rpc_url)")
	fs.Uint64Var(&f.chainID, "chain-id", 0, "chain id (read from --rpc when given)")
	fs.StringVar(&f.registry, "registry", "", "DatasetRegistry address")
	fs.StringVar(&f.eas, "eas", "", "EAS contract address")
	fs.StringVar(&f.easVersion, "eas-version", "", "EAS contract version (read from --rpc when left out)")
	fs.StringSliceVar(&f.stewards, "stewards", nil, "authorised steward addresses, comma-separated")
	fs.IntVar(&f.threshold, "threshold", 0, "k, the number of distinct stewards a version needs")
	fs.DurationVar(&f.validity, "validity", 0, "EAS attestations expire after this long (0 = never)")
	fs.StringVar(&f.passwordFile, "password-file", "", "file holding the keystore password (default: $"+attest.PasswordEnv+")")
	fs.Float64Var(&f.maxFeeGwei, "max-fee-gwei", 0, "cap on the EIP-1559 fee per gas of transactions, in gwei (0 = the node's suggestion, uncapped)")
	fs.Uint64Var(&f.confirms, "confirmations", 0, "blocks deep a transaction must be before it counts (0 = 1 on chains 31337/1337, else 3)")
	fs.DurationVar(&f.replaceAfter, "replace-after", 0, "replace a transaction unmined this long with fees 12.5% higher (0 = 3m)")
}

// txOptions are the transaction options of the flags. The senders' nonce
// records live in <root>/txmgr, root being the open data directory, or
// else the --data-dir folder when it exists.
func (f *attestFlags) txOptions(a *app, root string) attest.TxOptions {
	o := attest.TxOptions{MaxFeePerGas: attest.GweiToWei(f.maxFeeGwei), Confirmations: f.confirms,
		ReplaceAfter: f.replaceAfter, MaxReplacements: f.maxReplace, Log: a.logger()}
	if root == "" {
		if st, err := os.Stat(a.dataDir); a.dataDir != "" && err == nil && st.IsDir() {
			root = a.dataDir
		}
	}
	if root != "" {
		o.StateDir = filepath.Join(root, "txmgr")
	}
	return o
}

// changed reports whether a flag was given.
func (f *attestFlags) changed(name string) bool { return f.cmd.Flags().Changed(name) }

// load reads the configuration section (when --config is given) and merges
// it under the flags, the RPC endpoint from --rpc-file or the environment
// over it; the configuration's data_dir is used unless --data-dir or
// $GROUNDTRUTH_DATA_DIR says otherwise.
func (f *attestFlags) load(a *app) error {
	f.red = a.red
	if err := f.loadConfig(a); err != nil {
		return err
	}
	return a.resolveRPC(f.cmd, &f.rpc, f.rpcFile)
}

func (f *attestFlags) loadConfig(a *app) error {
	if f.configPath == "" {
		return nil
	}
	c, err := a.readConfig(f.configPath)
	if err != nil {
		return err
	}
	if f.cmd.Flag("data-dir") != nil {
		if dir := a.jobDataDir(f.cmd, c); dir != "" {
			a.dataDir = dir
		}
	}
	if c.Attestation == nil {
		return fmt.Errorf("%w: %s has no attestation: section", errUsage, f.configPath)
	}
	att := *c.Attestation
	att.Resolve(c.BaseDir)
	f.cfg = &att
	set := func(name string, dst *string, v string) {
		if !f.changed(name) && v != "" {
			*dst = v
		}
	}
	set("backend", &f.backend, att.Backend)
	set("rpc", &f.rpc, att.RPCURL)
	set("registry", &f.registry, att.Registry)
	set("eas", &f.eas, att.EAS)
	set("eas-version", &f.easVersion, att.EASVersion)
	if !f.changed("chain-id") {
		f.chainID = att.ChainID
	}
	if !f.changed("stewards") && len(att.Stewards) > 0 {
		f.stewards = att.Stewards
	}
	if !f.changed("threshold") && att.Threshold > 0 {
		f.threshold = att.Threshold
	}
	if !f.changed("validity") {
		f.validity = att.ValidityDuration()
	}
	if !f.changed("max-fee-gwei") {
		f.maxFeeGwei = att.MaxFeeGwei
	}
	if !f.changed("confirmations") {
		f.confirms = att.Confirmations
	}
	if !f.changed("replace-after") {
		f.replaceAfter = att.ReplaceAfterDuration()
	}
	f.maxReplace = att.MaxReplacements
	if f.keystore == "" {
		f.keystore = att.Keystore
	}
	return nil
}

// address parses an address flag.
func address(name, v string) (common.Address, error) {
	if v == "" {
		return common.Address{}, nil
	}
	if !common.IsHexAddress(v) {
		return common.Address{}, fmt.Errorf("%w: --%s %q is not an address", errUsage, name, v)
	}
	return common.HexToAddress(v), nil
}

// stewardSet parses --stewards and --threshold; ok is false when none were given.
func (f *attestFlags) stewardSet() (attest.Trust, bool, error) {
	if len(f.stewards) == 0 {
		return attest.Trust{}, false, nil
	}
	var t attest.Trust
	for _, s := range f.stewards {
		a, err := address("stewards", strings.TrimSpace(s))
		if err != nil {
			return t, false, err
		}
		t.Stewards = append(t.Stewards, a)
	}
	if f.threshold < 1 || f.threshold > len(t.Stewards) {
		return t, false, fmt.Errorf("%w: --threshold %d with %d stewards: want 1 to %d", errUsage, f.threshold, len(t.Stewards), len(t.Stewards))
	}
	t.Threshold = f.threshold
	t.Source = "stewards given on the command line"
	if f.cfg != nil && !f.changed("stewards") {
		t.Source = "stewards of the configuration " + f.configPath
	}
	return t, true, nil
}

// chain is a connection to the chain, or none.
type chain struct {
	client  *ethclient.Client
	chainID uint64
}

func (c *chain) close() {
	if c.client != nil {
		c.client.Close()
	}
}

// apiClient returns the client as the backends' interface (nil when offline).
func (c *chain) apiClient() attest.Client {
	if c.client == nil {
		return nil
	}
	return c.client
}

// dial connects to --rpc and checks its chain id against --chain-id; without
// --rpc it returns an offline chain with --chain-id.
func (f *attestFlags) dial(ctx context.Context) (*chain, error) {
	if f.rpc == "" {
		return &chain{chainID: f.chainID}, nil
	}
	c, id, err := dialChain(ctx, f.rpc, f.red)
	if err != nil {
		return nil, err
	}
	if f.chainID != 0 && id.Uint64() != f.chainID {
		c.Close()
		return nil, fmt.Errorf("%w: %s is chain %d, the configuration says chain %d", errUsage, f.red.URL(f.rpc), id.Uint64(), f.chainID)
	}
	return &chain{client: c, chainID: id.Uint64()}, nil
}

// backendParams is what building a backend needs.
type backendParams struct {
	kind       string
	chain      *chain
	contract   common.Address
	easVersion string
	root       string
	a          *app
	tx         attest.TxOptions
}

// backendFactories is the explicit registry of attestation backends.
var backendFactories = map[string]func(ctx context.Context, p backendParams) (attest.Backend, error){
	attest.KindRegistry: func(_ context.Context, p backendParams) (attest.Backend, error) {
		return registry.New(registry.Config{Client: p.chain.apiClient(), ChainID: p.chain.chainID, Address: p.contract, Log: p.a.logger(), Tx: p.tx}), nil
	},
	attest.KindEAS: func(ctx context.Context, p backendParams) (attest.Backend, error) {
		return eas.New(ctx, eas.Config{Client: p.chain.apiClient(), ChainID: p.chain.chainID, Address: p.contract, Version: p.easVersion, Log: p.a.logger(), Tx: p.tx})
	},
	attest.KindOffchain: func(ctx context.Context, p backendParams) (attest.Backend, error) {
		return offchain.New(ctx, offchain.Config{Client: p.chain.apiClient(), ChainID: p.chain.chainID, Address: p.contract,
			Version: p.easVersion, Root: p.root, Log: p.a.logger()})
	},
}

// newBackend builds the backend the flags name.
func (f *attestFlags) newBackend(ctx context.Context, a *app, c *chain, root string) (attest.Backend, error) {
	kind := f.backend
	if kind == "" {
		return nil, fmt.Errorf("%w: which backend? give --backend registry|eas|offchain or --config", errUsage)
	}
	factory, ok := backendFactories[kind]
	if !ok {
		return nil, fmt.Errorf("%w: --backend %q: want registry, eas or offchain", errUsage, kind)
	}
	name, v := "registry", f.registry
	if kind != attest.KindRegistry {
		name, v = "eas", f.eas
	}
	contract, err := address(name, v)
	if err != nil {
		return nil, err
	}
	if contract == (common.Address{}) {
		return nil, fmt.Errorf("%w: the %s backend needs --%s ADDRESS", errUsage, kind, name)
	}
	if c.chainID == 0 {
		return nil, fmt.Errorf("%w: the chain id is unknown: give --rpc or --chain-id", errUsage)
	}
	return factory(ctx, backendParams{kind: kind, chain: c, contract: contract, easVersion: f.easVersion, root: root, a: a, tx: f.txOptions(a, root)})
}

// loadKey decrypts a keystore with the password from --password-file or
// the environment.
func (f *attestFlags) loadKey(a *app, path string) (*attest.KeySigner, error) {
	pw, err := attest.ReadPassword(f.passwordFile, a.getenv)
	if err != nil {
		return nil, err
	}
	return attest.LoadSigner(path, pw)
}
