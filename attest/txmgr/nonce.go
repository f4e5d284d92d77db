package txmgr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// inflight is one transaction of the sender recorded in the state directory.
type inflight struct {
	Nonce uint64      `json:"nonce"`
	Hash  common.Hash `json:"hash"`
	PID   int         `json:"pid"`
	Sent  time.Time   `json:"sent"`
}

// record is the sender's nonce record: its transactions in flight.
type record struct {
	InFlight []inflight `json:"inFlight"`
}

// recordPath is <StateDir>/<chain id>-<sender>.json.
func (m *Manager) recordPath() string {
	return filepath.Join(m.cfg.StateDir, strconv.FormatUint(m.cfg.ChainID, 10)+"-"+strings.ToLower(m.cfg.From.Hex())+".json")
}

// locked runs fn with the sender's record under an exclusive file lock and
// writes the record back when fn changed it. Without a state directory fn
// gets an empty record and nothing is kept.
func (m *Manager) locked(ctx context.Context, fn func(r *record) (changed bool, err error)) error {
	if m.cfg.StateDir == "" {
		_, err := fn(&record{})
		return err
	}
	if err := os.MkdirAll(m.cfg.StateDir, 0o700); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	path := m.recordPath()
	lf, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	defer lf.Close()
	if err := flock(ctx, lf); err != nil {
		return err
	}
	defer syscall.Flock(int(lf.Fd()), syscall.LOCK_UN)
	r, err := readRecord(path)
	if err != nil {
		return err
	}
	changed, err := fn(r)
	if changed {
		if werr := writeRecord(path, r); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// flock takes the exclusive lock, polling so that ctx can cancel the wait.
func flock(ctx context.Context, f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("%w: locking %s: %w", ErrState, f.Name(), err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func readRecord(path string) (*record, error) {
	r := &record{}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrState, err)
	}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%w: %s is damaged (%v): delete it when no transaction of this sender is in flight", ErrState, path, err)
	}
	return r, nil
}

// writeRecord replaces the record atomically (temporary file and rename).
func writeRecord(path string, r *record) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	tmp := fmt.Sprintf("%s.tmp-%d", path, os.Getpid())
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	return nil
}

// alive reports whether the process pid still runs (on this host).
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// nextNonce picks the nonce of a new transaction: the lowest at or above
// the node's pending nonce that no live process of this sender holds.
// Entries below the mined nonce are done and pruned; entries of dead
// processes at or above the pending nonce were never sent or were dropped,
// so their nonces are free again (no gap is left).
func (r *record) nextNonce(mined, pending uint64) uint64 {
	held := map[uint64]bool{}
	kept := r.InFlight[:0]
	for _, e := range r.InFlight {
		switch {
		case e.Nonce < mined:
		case e.Nonce >= pending && !alive(e.PID):
		default:
			kept = append(kept, e)
			held[e.Nonce] = true
		}
	}
	r.InFlight = kept
	n := pending
	for held[n] {
		n++
	}
	return n
}

// set records (or replaces) the transaction in flight at its nonce.
func (r *record) set(tx *types.Transaction) {
	r.remove(tx.Nonce())
	r.InFlight = append(r.InFlight, inflight{Nonce: tx.Nonce(), Hash: tx.Hash(), PID: os.Getpid(), Sent: time.Now().UTC()})
}

// remove drops the entry at nonce.
func (r *record) remove(nonce uint64) {
	kept := r.InFlight[:0]
	for _, e := range r.InFlight {
		if e.Nonce != nonce {
			kept = append(kept, e)
		}
	}
	r.InFlight = kept
}

// minedNonce is the sender's nonce at the head (the pending nonce when the
// client cannot read it).
func (m *Manager) minedNonce(ctx context.Context) (uint64, error) {
	if nr, ok := m.cfg.Client.(nonceReader); ok {
		n, err := nr.NonceAt(ctx, m.cfg.From, nil)
		if err != nil {
			return 0, fmt.Errorf("%w: reading the nonce of %s: %w", ErrNode, m.cfg.From.Hex(), err)
		}
		return n, nil
	}
	return m.pendingNonce(ctx)
}

func (m *Manager) pendingNonce(ctx context.Context) (uint64, error) {
	n, err := m.cfg.Client.PendingNonceAt(ctx, m.cfg.From)
	if err != nil {
		return 0, fmt.Errorf("%w: reading the pending nonce of %s: %w", ErrNode, m.cfg.From.Hex(), err)
	}
	return n, nil
}

// assign picks a nonce, signs and sends the transaction under the lock, and
// records it in flight before it is broadcast (a crash in between leaves an
// entry whose nonce the next process reuses). A "nonce too low" from the
// node (a transaction sent outside the manager) is retried with a new nonce.
func (m *Manager) assign(ctx context.Context, req Request, gas uint64, f fees) (*types.Transaction, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		var tx *types.Transaction
		err := m.locked(ctx, func(r *record) (bool, error) {
			mined, err := m.minedNonce(ctx)
			if err != nil {
				return false, err
			}
			pending, err := m.pendingNonce(ctx)
			if err != nil {
				return false, err
			}
			nonce := r.nextNonce(mined, max(pending, mined))
			tx, err = m.cfg.Sign(ctx, m.unsigned(req, nonce, gas, f))
			if err != nil {
				return false, fmt.Errorf("%w: signing: %w", ErrConfig, err)
			}
			r.set(tx)
			if m.cfg.StateDir != "" {
				if err := writeRecord(m.recordPath(), r); err != nil {
					return false, err
				}
			}
			if err := m.cfg.Client.SendTransaction(ctx, tx); err != nil && !knownTx(err) {
				r.remove(nonce)
				return true, fmt.Errorf("%w: %w", ErrSend, err)
			}
			return false, nil
		})
		if err == nil {
			return tx, nil
		}
		if !nonceTooLow(err) {
			return nil, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// forget removes the entry at nonce once its transaction is settled.
func (m *Manager) forget(ctx context.Context, nonce uint64) {
	if m.cfg.StateDir == "" {
		return
	}
	err := m.locked(context.WithoutCancel(ctx), func(r *record) (bool, error) {
		r.remove(nonce)
		return true, nil
	})
	if err != nil {
		m.log.Warn("could not update the nonce record", "path", m.recordPath(), "err", err)
	}
}

// knownTx reports a send error meaning the node already has the transaction.
func knownTx(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "already known") || strings.Contains(s, "known transaction") ||
		strings.Contains(s, "already imported") || strings.Contains(s, "already exists")
}

// nonceTooLow reports a send error meaning the nonce was used already.
func nonceTooLow(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "nonce too low") || strings.Contains(s, "nonce is too low") || strings.Contains(s, "nonce has already been used")
}
