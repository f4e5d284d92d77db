package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Attestation is the `attestation:` section: where versions are attested,
// who may sign them and with which keys.
//
//	attestation:
//	  backend: registry            # registry | eas | offchain
//	  rpc_url: ${RPC_URL}
//	  chain_id: 31337
//	  registry: 0x5FbDB2315678afecb367f032d93F642f64180aa3
//	  eas: 0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512
//	  stewards: [0x…, 0x…, 0x…]  # eas and offchain (the registry has its own set)
//	  threshold: 2
//	  validity: 8760h              # EAS attestations expire after this (0 = never)
//	  keystore: ./keys             # where `groundtruth keys` keeps steward keystores
//	  auto_sign: {keystore: ./keys/pipeline.json, password_file: ./pipeline.pass}
//	  submitter: {keystore: ./keys/gas.json, password_file: ./gas.pass}
//	  max_fee_gwei: 80             # no transaction is sent while the base fee is above
//	  confirmations: 3             # blocks deep before a version is recorded attested
//	  replace_after: 3m            # a transaction unmined this long is replaced (+12.5 % fees)
type Attestation struct {
	// Backend is registry, eas or offchain.
	Backend string `yaml:"backend" config:"required"`
	// RPCURL is the chain's JSON-RPC endpoint.
	RPCURL string `yaml:"rpc_url"`
	// ChainID is the chain id; it is checked against the endpoint's.
	ChainID uint64 `yaml:"chain_id" config:"required"`
	// Registry is the DatasetRegistry address (required for registry).
	Registry string `yaml:"registry"`
	// EAS is the EAS contract address (required for eas and offchain).
	EAS string `yaml:"eas"`
	// EASVersion is the EAS contract's version string, for signing offline
	// (default: read from the chain).
	EASVersion string `yaml:"eas_version"`
	// Stewards are the authorised stewards (eas, offchain; for registry
	// the contract's set is used when this is empty).
	Stewards []string `yaml:"stewards"`
	// Threshold is k.
	Threshold int `yaml:"threshold"`
	// Validity is how long EAS attestations are valid (Go duration, "" = forever).
	Validity string `yaml:"validity"`
	// Keystore is the folder of steward keystores.
	Keystore string `yaml:"keystore"`
	// AutoSign is the pipeline's own key, signing every sealed version as
	// one of the k.
	AutoSign *KeyRef `yaml:"auto_sign"`
	// Submitter pays for attestation transactions (default: AutoSign).
	Submitter *KeyRef `yaml:"submitter"`
	// Cosign are further steward keys the daemon signs with automatically
	// (stewards who delegate their key to this installation); each counts
	// as one of the k (daemon.go).
	Cosign []KeyRef `yaml:"cosign" label:"key"`
	// Inbox is a folder where stewards drop signature files (groundtruth
	// sign -o) for pending versions; the daemon collects them.
	Inbox string `yaml:"inbox"`
	// MaxFeeGwei caps the EIP-1559 fee per gas of attestation transactions,
	// in gwei (0 = no cap); above it nothing is sent.
	MaxFeeGwei float64 `yaml:"max_fee_gwei"`
	// Confirmations is how many blocks deep (the transaction's block
	// included) an attestation must be before the version is recorded
	// attested (0 = 1 on chains 31337 and 1337, 3 elsewhere).
	Confirmations uint64 `yaml:"confirmations"`
	// ReplaceAfter is how long a transaction may stay unmined before it is
	// replaced with fees 12.5 % higher (Go duration, "" = 3m).
	ReplaceAfter string `yaml:"replace_after"`
	// MaxReplacements bounds the replacements of one transaction (0 = 10).
	MaxReplacements int `yaml:"max_replacements"`
}

// KeyRef names an encrypted keystore and the file holding its password.
type KeyRef struct {
	// Keystore is the keystore file.
	Keystore string `yaml:"keystore" config:"required"`
	// PasswordFile holds the password ("" = $GROUNDTRUTH_KEY_PASSWORD).
	PasswordFile string `yaml:"password_file"`
}

// attestationError is a problem with one field of the section.
type attestationError struct{ field, msg string }

func (e attestationError) Error() string       { return e.msg }
func (e attestationError) ConfigField() string { return e.field }

// Validate checks the section as a whole.
func (a *Attestation) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, attestationError{field, fmt.Sprintf(format, args...)})
	}
	switch a.Backend {
	case "registry":
		if a.Registry == "" {
			bad("registry", "the registry backend needs the DatasetRegistry address")
		}
	case "eas", "offchain":
		if a.EAS == "" {
			bad("eas", "the %s backend needs the EAS contract address", a.Backend)
		}
		if len(a.Stewards) == 0 {
			bad("stewards", "the %s backend needs the authorised stewards (EAS has no steward set)", a.Backend)
		}
	default:
		bad("backend", "backend %q: want registry, eas or offchain", a.Backend)
	}
	for _, f := range []struct{ name, v string }{{"registry", a.Registry}, {"eas", a.EAS}} {
		if f.v != "" && !common.IsHexAddress(f.v) {
			bad(f.name, "%q is not an address (0x and 40 hex digits)", f.v)
		}
	}
	seen := map[common.Address]bool{}
	for i, s := range a.Stewards {
		if !common.IsHexAddress(s) {
			bad(fmt.Sprintf("stewards[%d]", i), "steward %q is not an address", s)
			continue
		}
		if seen[common.HexToAddress(s)] {
			bad(fmt.Sprintf("stewards[%d]", i), "steward %s is listed twice", s)
		}
		seen[common.HexToAddress(s)] = true
	}
	if len(a.Stewards) > 0 && (a.Threshold < 1 || a.Threshold > len(a.Stewards)) {
		bad("threshold", "threshold %d: want 1 to %d (the number of stewards)", a.Threshold, len(a.Stewards))
	}
	if a.MaxFeeGwei < 0 {
		bad("max_fee_gwei", "max_fee_gwei %g: want 0 (no cap) or more", a.MaxFeeGwei)
	}
	if a.ReplaceAfter != "" {
		if d, err := time.ParseDuration(a.ReplaceAfter); err != nil || d <= 0 {
			bad("replace_after", "replace_after %q: want a positive duration like 3m", a.ReplaceAfter)
		}
	}
	if a.MaxReplacements < 0 {
		bad("max_replacements", "max_replacements %d: want 0 (the default, 10) or more", a.MaxReplacements)
	}
	if a.Validity != "" {
		if d, err := time.ParseDuration(a.Validity); err != nil || d < 0 {
			bad("validity", "validity %q: want a duration like 720h", a.Validity)
		}
	}
	return errors.Join(errs...)
}

// ValidityDuration returns the parsed validity (0 = forever).
func (a *Attestation) ValidityDuration() time.Duration {
	d, _ := time.ParseDuration(a.Validity)
	return d
}

// ReplaceAfterDuration returns the parsed replace_after (0 = the default).
func (a *Attestation) ReplaceAfterDuration() time.Duration {
	d, _ := time.ParseDuration(a.ReplaceAfter)
	return d
}

// StewardAddresses returns the parsed steward addresses.
func (a *Attestation) StewardAddresses() []common.Address {
	out := make([]common.Address, len(a.Stewards))
	for i, s := range a.Stewards {
		out[i] = common.HexToAddress(s)
	}
	return out
}

// Resolve makes the section's relative paths relative to baseDir (the
// configuration file's folder).
func (a *Attestation) Resolve(baseDir string) {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(baseDir, *p)
		}
	}
	abs(&a.Keystore)
	abs(&a.Inbox)
	keys := []*KeyRef{a.AutoSign, a.Submitter}
	for i := range a.Cosign {
		keys = append(keys, &a.Cosign[i])
	}
	for _, k := range keys {
		if k != nil {
			abs(&k.Keystore)
			abs(&k.PasswordFile)
		}
	}
}
