package store

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// Write leases: a version writer holds the dataset's lease in the catalog
// (gt.leases) from Begin to Commit or Abort, renewed in the background, so
// that two processes never write one dataset at once while readers and
// writers of other datasets go on.
const (
	// LeaseTTL is how long a write lease lasts without renewal: a writer
	// that dies leaves its dataset locked at most this long.
	LeaseTTL = 30 * time.Second
	// LeaseRenew is how often a writer renews its lease.
	LeaseRenew = 10 * time.Second
)

// writeLease is a version writer's held lease and its renewer.
type writeLease struct {
	lease *catalogdb.Lease
	stop  func() error
}

// takeLease takes dataset's write lease. A lease held by another process
// fails with ErrLocked naming the holder.
func (s *Store) takeLease(ctx context.Context, dataset string) (*writeLease, error) {
	me := catalogdb.ThisProcess()
	l, err := s.db.AcquireLease(ctx, dataset, me, LeaseTTL)
	if errors.Is(err, catalogdb.ErrLeaseHeld) && s.expireDeadHolder(ctx, dataset, me.Host) {
		l, err = s.db.AcquireLease(ctx, dataset, me, LeaseTTL)
	}
	switch {
	case errors.Is(err, catalogdb.ErrLeaseHeld):
		return nil, fmt.Errorf("%w: %w", ErrLocked, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if l.TookOver != nil {
		s.log.Warn("took over an expired write lease", "dataset", dataset, "holder", l.TookOver.String())
	}
	return &writeLease{lease: l, stop: l.Keep(LeaseRenew)}, nil
}

// check renews the lease before the version is recorded; a lease lost to
// another process (after LeaseTTL without renewal) fails with ErrLocked.
func (wl *writeLease) check(ctx context.Context) error {
	if err := wl.lease.Renew(ctx); err != nil {
		if errors.Is(err, catalogdb.ErrLeaseLost) {
			return fmt.Errorf("%w: %w", ErrLocked, err)
		}
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	return nil
}

// release stops renewing and releases the lease.
func (wl *writeLease) release(ctx context.Context) {
	wl.stop()
	wl.lease.Release(context.WithoutCancel(ctx))
}

// expireDeadHolder expires dataset's lease when its holder is a process of
// this host that no longer runs (a writer killed mid-write), so a restart
// need not wait LeaseTTL; it reports whether it did.
func (s *Store) expireDeadHolder(ctx context.Context, dataset, host string) bool {
	leases, err := s.db.Leases(ctx)
	if err != nil {
		return false
	}
	for _, l := range leases {
		if l.Dataset != dataset || l.Holder.Host != host || l.Holder.PID <= 0 || processAlive(l.Holder.PID) {
			continue
		}
		res, err := s.db.ExecContext(ctx, `UPDATE gt.leases SET expires_ms = 0 WHERE dataset = ? AND host = ? AND pid = ?`, dataset, host, l.Holder.PID)
		if err != nil {
			return false
		}
		n, _ := res.RowsAffected()
		if n > 0 {
			s.log.Warn("expired the write lease of a process that no longer runs", "dataset", dataset, "holder", l.Holder.String())
		}
		return n > 0
	}
	return false
}

// processAlive reports whether a process with pid runs on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
