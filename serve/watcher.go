package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	easbind "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// ChainReader is what the watcher reads from a node; *ethclient.Client
// implements it.
type ChainReader interface {
	BlockNumber(ctx context.Context) (uint64, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
}

// ChainChecker checks a version's attestation on the chain; every
// attest.Backend implements it.
type ChainChecker interface {
	CheckChain(ctx context.Context, st attest.Statement, ev *attest.Evidence, trust attest.Trust, now time.Time) (*attest.ChainResult, error)
}

// WatcherConfig configures a Watcher.
type WatcherConfig struct {
	// Chain is the node.
	Chain ChainReader
	// Backend is the attestation backend kind (registry, eas, offchain).
	Backend string
	// Contract is the DatasetRegistry or EAS contract.
	Contract common.Address
	// Checker, when set, checks every attested version against the chain
	// once (a revocation made while the server was down is found, and a
	// version the chain does not confirm is not served).
	Checker ChainChecker
	// MaxRange is the most blocks one log query covers (default 2000).
	MaxRange uint64
	// Log and Metrics (both optional).
	Log     *slog.Logger
	Metrics *Metrics
}

// Watcher follows revocations on-chain: the registry's Revoked events, or
// EAS's Revoked and RevokedOffchain events for the UIDs of served versions.
// Each Poll reads the logs since the previous one; a revoked version stops
// being served at once and its revocation is recorded in the catalog. On
// EAS one steward revoking their attestation is enough to stop serving.
type Watcher struct {
	cfg  WatcherConfig
	mu   sync.Mutex
	next uint64
	init bool
	reg  *datasetregistry.DatasetRegistry
	eas  *easbind.EAS
}

// NewWatcher returns a watcher.
func NewWatcher(cfg WatcherConfig) *Watcher {
	if cfg.MaxRange == 0 {
		cfg.MaxRange = 2000
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Watcher{cfg: cfg, reg: datasetregistry.NewDatasetRegistry(), eas: easbind.NewEAS()}
}

// Poll checks versions not checked yet and reads the revocation logs up
// to the chain head.
func (w *Watcher) Poll(ctx context.Context, s *Server) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	head, err := w.cfg.Chain.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("%w: reading the chain head: %v", attest.ErrChain, err)
	}
	if !w.init {
		w.next, w.init = head, true // the checks below see the state at head
	}
	if err := w.check(ctx, s); err != nil {
		return err
	}
	for w.next <= head {
		to := min(head, w.next+w.cfg.MaxRange-1)
		logs, err := w.cfg.Chain.FilterLogs(ctx, w.query(w.next, to))
		if err != nil {
			return fmt.Errorf("%w: reading revocation logs %d-%d: %v", attest.ErrChain, w.next, to, err)
		}
		for i := range logs {
			w.handle(ctx, s, &logs[i])
		}
		w.next = to + 1
		w.cfg.Metrics.watched(to)
	}
	return nil
}

func (w *Watcher) query(from, to uint64) ethereum.FilterQuery {
	var topics []common.Hash
	if w.cfg.Backend == attest.KindRegistry {
		topics = []common.Hash{w.reg.GetABI().Events["Revoked"].ID}
	} else {
		ev := w.eas.GetABI().Events
		topics = []common.Hash{ev["Revoked"].ID, ev["RevokedOffchain"].ID}
	}
	return ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{w.cfg.Contract}, Topics: [][]common.Hash{topics}}
}

// watched reports whether the watcher covers v's attestation.
func (w *Watcher) watched(v *versionState) bool {
	return v.att.Backend == w.cfg.Backend && strings.EqualFold(v.att.Contract, w.cfg.Contract.Hex())
}

// check compares every attested version not checked yet with the chain.
func (w *Watcher) check(ctx context.Context, s *Server) error {
	if w.cfg.Checker == nil {
		return nil
	}
	for _, v := range s.snapshot().all() {
		v.mu.Lock()
		todo := !v.checked && v.status == attest.StatusAttested && v.evidence != nil
		v.mu.Unlock()
		if !todo {
			continue
		}
		if !w.watched(v) {
			w.cfg.Log.Warn("version attested elsewhere: its revocations are not watched", "version", v.ref(), "attestation", v.att.ID)
			v.setChain(nil)
			continue
		}
		ev, err := attest.ParseEvidence(v.evidence)
		if err != nil {
			v.setChain(err)
			continue
		}
		res, err := w.cfg.Checker.CheckChain(ctx, v.statement, ev, attest.Trust{}, time.Now())
		if err != nil {
			return err
		}
		var failed []string
		for _, c := range res.Checks {
			if !c.OK {
				failed = append(failed, c.Check+": "+c.Detail)
			}
		}
		switch {
		case res.Revoked:
			w.revoke(ctx, s, v, strings.Join(failed, "; "), nil, nil)
		case len(failed) > 0 || (w.cfg.Backend == attest.KindRegistry && !res.Attested):
			v.setChain(fmt.Errorf("the chain does not confirm the recorded attestation: %s", strings.Join(failed, "; ")))
			w.cfg.Log.Warn("attestation not confirmed on-chain: not serving", "version", v.ref(), "checks", failed)
		default:
			v.setChain(nil)
		}
	}
	return nil
}

// handle applies one revocation log.
func (w *Watcher) handle(ctx context.Context, s *Server, l *types.Log) {
	tx := l.TxHash
	if w.cfg.Backend == attest.KindRegistry {
		e, err := w.reg.UnpackRevokedEvent(l)
		if err != nil {
			w.cfg.Log.Warn("undecodable Revoked event", "tx", tx.Hex(), "err", err)
			return
		}
		d := s.snapshot().datasets[e.Dataset]
		if d == nil || d.find(e.Version) == nil {
			w.cfg.Log.Info("revocation of a version this server does not have", "dataset", e.Dataset, "version", e.Version)
			return
		}
		w.revoke(ctx, s, d.find(e.Version), fmt.Sprintf("%q (block %d)", e.Reason, l.BlockNumber), &tx, e.Signers)
		return
	}
	var uid common.Hash
	var by common.Address
	if e, err := w.eas.UnpackRevokedEvent(l); err == nil {
		uid, by = e.Uid, e.Attester
	} else if e, err := w.eas.UnpackRevokedOffchainEvent(l); err == nil {
		uid, by = e.Data, e.Revoker
	} else {
		return
	}
	for _, v := range s.snapshot().all() {
		for _, u := range v.att.UIDs {
			if common.HexToHash(u) == uid && w.watched(v) {
				w.revoke(ctx, s, v, fmt.Sprintf("attestation %s revoked by %s (block %d)", uid.Hex(), by.Hex(), l.BlockNumber), &tx, []common.Address{by})
			}
		}
	}
}

// revoke stops serving v and records the revocation in the catalog.
func (w *Watcher) revoke(ctx context.Context, s *Server, v *versionState, reason string, tx *common.Hash, by []common.Address) {
	v.mu.Lock()
	already := v.status == attest.StatusRevoked
	v.mu.Unlock()
	if already {
		return
	}
	v.setRevoked(fmt.Sprintf("on %s: %s", w.cfg.Backend, reason))
	w.cfg.Metrics.revoked()
	w.cfg.Log.Warn("version revoked on-chain: no longer served", "version", v.ref(), "reason", reason)
	if by == nil {
		by = []common.Address{}
	}
	byJSON, _ := json.Marshal(by)
	rec := store.RevocationRecord{Backend: w.cfg.Backend, Reason: reason, RevokedBy: string(byJSON), RevokedAt: time.Now().UTC()}
	if tx != nil {
		rec.Ref = tx.Hex()
	}
	if err := s.cfg.Catalog.PutRevocation(ctx, v.dataset, v.version, rec); err != nil {
		w.cfg.Log.Error("recording a revocation in the catalog", "version", v.ref(), "err", err)
	}
}
