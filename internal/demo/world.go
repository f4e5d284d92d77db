package demo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// Threshold is k of the demo's 2-of-3 steward set.
const Threshold = 2

// Options configure Start.
type Options struct {
	// Dir is the demo's data directory: the store, the keys and the
	// configuration go there.
	Dir string
	// Log receives a line per step (nil: discarded).
	Log *slog.Logger
	// Now is the demo's clock (nil: time.Now); the price feeds end an hour
	// before it.
	Now func() time.Time
	// APIListen is the data API's address in the configuration's serve
	// section (default 127.0.0.1:8484).
	APIListen string
	// Chain is the chain to build the world on, for example anvil
	// (testchain.NewAnvil); the caller closes it. Nil: go-ethereum's
	// simulated backend served over JSON-RPC, closed by Close.
	Chain testchain.Chain
}

// Steward is one of the registry's stewards, with its keystore.
type Steward struct {
	Name     string         `json:"name"`
	Address  common.Address `json:"address"`
	Keystore string         `json:"keystore"`
	// Pipeline is set for the pipeline's own key (auto_sign); the
	// co-signer is the steward the daemon signs for (cosign).
	Pipeline bool `json:"pipeline,omitempty"`
	Cosign   bool `json:"cosign,omitempty"`
}

// World is the demo's running environment: the chain with its contracts
// and scripted history, the price feeds, the keys and the configuration.
type World struct {
	// Dir is the data directory; Config the configuration file in it and
	// PasswordFile the file holding the keystores' password.
	Dir, Config, PasswordFile string
	// Chain is the chain, served over HTTP JSON-RPC: the simulated
	// backend unless Options.Chain named another.
	Chain testchain.Chain
	// Registry is the DatasetRegistry; DAO the token, governor and timelock.
	Registry common.Address
	DAO      testchain.DAO
	Stewards []Steward
	Feeds    *Feeds
	// Attacks are the scripted attacks the validators must flag.
	Attacks []Attack
	// Proposals and Votes count the scripted governance; Head is the
	// chain's head block after it.
	Proposals, Votes int
	Head             uint64
	// ConsoleToken is the bearer token (steward scope) of the console.
	ConsoleToken string

	ownChain bool // Close closes Chain
}

// Start builds the world: the chain, keys, registry and DAO, the scripted
// governance with its attacks, the price feeds and the configuration. The
// caller must Close it.
func Start(ctx context.Context, o Options) (w *World, err error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.APIListen == "" {
		o.APIListen = "127.0.0.1:8484"
	}
	w = &World{Dir: o.Dir}
	defer func() {
		if err != nil {
			w.Close()
			w = nil
		}
	}()
	if w.Chain = o.Chain; w.Chain == nil {
		if w.Chain, err = testchain.NewSimulatedRPC(testchain.SimConfig{Accounts: numAccounts}); err != nil {
			return nil, err
		}
		w.ownChain = true
	}
	o.Log.Info("chain", "kind", w.Chain.Kind(), "rpc", w.Chain.RPCURL(), "chain_id", w.Chain.ChainID())
	if err := w.keys(ctx); err != nil {
		return nil, err
	}
	if err := w.contracts(ctx); err != nil {
		return nil, err
	}
	o.Log.Info("contracts", "registry", w.Registry, "governor", w.DAO.Governor, "token", w.DAO.Token)
	if err := w.governance(ctx); err != nil {
		return nil, err
	}
	o.Log.Info("governance", "proposals", w.Proposals, "votes", w.Votes, "head", w.Head)
	if w.Feeds, err = StartFeeds(o.Now()); err != nil {
		return nil, err
	}
	w.Attacks = append(w.Attacks, w.Feeds.attacks()...)
	var tok [32]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return nil, err
	}
	w.ConsoleToken = "gt_" + base64.RawURLEncoding.EncodeToString(tok[:])
	sum := sha256.Sum256([]byte(w.ConsoleToken))
	w.Config, err = writeConfig(w.Dir, configData{RPC: w.Chain.RPCURL(), ChainID: w.Chain.ChainID().Uint64(),
		Registry: w.Registry.Hex(), Token: w.DAO.Token.Hex(), Governor: w.DAO.Governor.Hex(), Feeds: w.Feeds.List, Start: rfc3339(w.Feeds.Start),
		APIListen: o.APIListen, ConsoleTokenSHA256: "0x" + hex.EncodeToString(sum[:])})
	return w, err
}

// Close stops the feeds, and the chain unless Options.Chain gave it.
func (w *World) Close() error {
	if w.Feeds != nil {
		w.Feeds.Close()
	}
	if w.Chain != nil && w.ownChain {
		return w.Chain.Close()
	}
	return nil
}

// keys creates the three stewards' keystores under Dir/keys, encrypted with
// a random password written to Dir/keys/password, and funds the pipeline's
// key, which also submits the attestations.
func (w *World) keys(ctx context.Context) error {
	dir := filepath.Join(w.Dir, "keys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	pw := make([]byte, 12)
	if _, err := rand.Read(pw); err != nil {
		return err
	}
	w.PasswordFile = filepath.Join(dir, "password")
	if err := os.WriteFile(w.PasswordFile, []byte(hex.EncodeToString(pw)+"\n"), 0o600); err != nil {
		return err
	}
	for i, name := range []string{"pipeline", "steward-1", "steward-2"} {
		// Light scrypt: throwaway keys of a local chain, decrypted at once.
		ki, err := attest.NewKey(dir, name, hex.EncodeToString(pw), attest.LightKDF)
		if err != nil {
			return err
		}
		w.Stewards = append(w.Stewards, Steward{Name: name, Address: ki.Address, Keystore: ki.Path, Pipeline: i == 0, Cosign: i == 1})
	}
	return w.Chain.Fund(ctx, w.Stewards[0].Address, testchain.Ether(100))
}

// contracts deploys the registry (2-of-3) and the DAO.
func (w *World) contracts(ctx context.Context) error {
	addrs := make([]common.Address, len(w.Stewards))
	for i, s := range w.Stewards {
		addrs[i] = s.Address
	}
	var err error
	if w.Registry, err = testchain.DeployRegistry(ctx, w.Chain, addrs, Threshold); err != nil {
		return err
	}
	w.DAO, err = testchain.DeployDAO(ctx, w.Chain, testchain.DAOConfig{TokenName: "Groundtruth Governance", TokenSymbol: "GTV",
		VotingDelay: votingDelay, VotingPeriod: votingPeriod, TimelockDelay: timelockDelay})
	return err
}

// governance plays the scripted governance.
func (w *World) governance(ctx context.Context) (err error) {
	accts, err := actorAccounts(ctx, w.Chain)
	if err != nil {
		return err
	}
	resume, err := batchBlocks(ctx, w.Chain)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := resume(); err == nil && rerr != nil {
			err = rerr
		}
	}()
	sc := newScenario(w.Chain, w.DAO, accts, 7)
	if err := sc.distribute(ctx); err != nil {
		return fmt.Errorf("token distribution: %w", err)
	}
	if err := sc.play(ctx); err != nil {
		return fmt.Errorf("governance: %w", err)
	}
	w.Attacks, w.Proposals, w.Votes = sc.attacks, len(sc.proposals), sc.votes
	head, err := w.Chain.Client().BlockNumber(ctx)
	w.Head = head
	return err
}

// attacks are the poisoned feed's attacks: its spikes must be quarantined
// and its strong drift flagged.
func (f *Feeds) attacks() []Attack {
	var p *Feed
	for _, fd := range f.List {
		if fd.Poisoned {
			p = fd
		}
	}
	if p == nil {
		return nil
	}
	keys := func(ts []time.Time) []string {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = "*/" + t.Format("2006-01-02T15:04:05.000000Z")
		}
		return out
	}
	return []Attack{
		{Name: fmt.Sprintf("poisoned price feed: %d spikes (+30%%, -28%%, +25%%) in %s", len(f.SpikeTimes), p.Name), Dataset: p.Dataset,
			Codes: []string{"poisoning.mad_outlier", "poisoning.hampel_outlier", "poisoning.jump", "poisoning.cross_source_deviation"}, Keys: keys(f.SpikeTimes)},
		{Name: fmt.Sprintf("poisoned price feed: %s drifts up to +%.0f%% over its last %d hours", p.Name, driftTop*100, driftHours), Dataset: p.Dataset,
			Codes: []string{"poisoning.cross_source_bias", "poisoning.cross_source_deviation"}, Keys: keys(f.DriftTimes)},
	}
}

// errNotEmpty is returned for a data directory that already holds files.
var errNotEmpty = errors.New("the demo's data directory must be empty or absent")

// PrepareDir creates dir, or checks that it is empty.
func PrepareDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%w: %s has %d entries", errNotEmpty, dir, len(ents))
	}
	return nil
}
