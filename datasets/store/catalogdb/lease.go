package catalogdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Lease errors.
var (
	// ErrLeaseHeld means another holder's unexpired lease covers the
	// dataset; the message names the holder.
	ErrLeaseHeld = errors.New("dataset is being written by another process")
	// ErrLeaseLost means a lease expired and was taken over (or released)
	// while its holder still wrote.
	ErrLeaseLost = errors.New("write lease lost")
)

// LeaseDDL creates the lease table; Open runs it.
var LeaseDDL = []string{
	`CREATE TABLE IF NOT EXISTS gt.leases (
		dataset VARCHAR PRIMARY KEY, token VARCHAR NOT NULL, host VARCHAR NOT NULL,
		pid INTEGER NOT NULL, command VARCHAR NOT NULL, acquired_at TIMESTAMPTZ NOT NULL,
		expires_ms BIGINT NOT NULL)`,
}

// Holder names the process holding a lease.
type Holder struct {
	Host    string `json:"host"`
	PID     int    `json:"pid"`
	Command string `json:"command"`
}

// String renders the holder for messages.
func (h Holder) String() string { return fmt.Sprintf("%q (pid %d on %s)", h.Command, h.PID, h.Host) }

// ThisProcess is the holder for the running process: its host name, pid
// and command (the program's base name and its arguments' first word).
func ThisProcess() Holder {
	host, _ := os.Hostname()
	cmd := filepath.Base(os.Args[0])
	if len(os.Args) > 1 {
		cmd += " " + os.Args[1]
	}
	return Holder{Host: host, PID: os.Getpid(), Command: cmd}
}

// LeaseInfo is one row of the lease table.
type LeaseInfo struct {
	Dataset  string    `json:"dataset"`
	Holder   Holder    `json:"holder"`
	Acquired time.Time `json:"acquired"`
	Expires  time.Time `json:"expires"`
}

// Lease is a held write lease on one dataset.
type Lease struct {
	d       *DB
	dataset string
	token   string
	ttl     time.Duration
	// TookOver is the holder whose expired lease this one replaced, if any.
	TookOver *Holder
}

// Dataset is the leased dataset.
func (l *Lease) Dataset() string { return l.dataset }

// AcquireLease takes the write lease on dataset for ttl. An unexpired
// lease of another holder makes it fail with ErrLeaseHeld naming that
// holder; an expired one is taken over (TookOver names its holder).
func (d *DB) AcquireLease(ctx context.Context, dataset string, h Holder, ttl time.Duration) (*Lease, error) {
	l := &Lease{d: d, dataset: dataset, token: newToken(), ttl: ttl}
	for attempt := 0; attempt < 5; attempt++ {
		now := d.now()
		res, err := d.ExecContext(ctx, `INSERT INTO gt.leases VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			dataset, l.token, h.Host, h.PID, h.Command, now, now.Add(ttl).UnixMilli())
		if err != nil {
			return nil, fmt.Errorf("%w: taking the lease on %s: %v", ErrOpen, dataset, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return l, nil
		}
		cur, token, err := d.lease(ctx, dataset)
		if errors.Is(err, sql.ErrNoRows) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, err
		}
		if cur.Expires.After(now) {
			return nil, fmt.Errorf("%w: %s is being written by %s, lease until %s", ErrLeaseHeld, dataset, cur.Holder, cur.Expires.UTC().Format(time.RFC3339))
		}
		res, err = d.ExecContext(ctx, `UPDATE gt.leases SET token = ?, host = ?, pid = ?, command = ?, acquired_at = ?, expires_ms = ?
			WHERE dataset = ? AND token = ?`, l.token, h.Host, h.PID, h.Command, now, now.Add(ttl).UnixMilli(), dataset, token)
		if err != nil {
			return nil, fmt.Errorf("%w: taking over the lease on %s: %v", ErrOpen, dataset, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			l.TookOver = &cur.Holder
			return l, nil
		}
	}
	return nil, fmt.Errorf("%w: %s: the lease changed hands five times while taking it", ErrLeaseHeld, dataset)
}

func (d *DB) lease(ctx context.Context, dataset string) (LeaseInfo, string, error) {
	var li LeaseInfo
	var token string
	var exp int64
	err := d.QueryRowContext(ctx, `SELECT token, host, pid, command, acquired_at, expires_ms FROM gt.leases WHERE dataset = ?`, dataset).
		Scan(&token, &li.Holder.Host, &li.Holder.PID, &li.Holder.Command, &li.Acquired, &exp)
	li.Dataset, li.Expires = dataset, time.UnixMilli(exp).UTC()
	return li, token, err
}

// Leases lists the lease table, expired leases included.
func (d *DB) Leases(ctx context.Context) ([]LeaseInfo, error) {
	rows, err := d.QueryContext(ctx, `SELECT dataset, host, pid, command, acquired_at, expires_ms FROM gt.leases ORDER BY dataset`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LeaseInfo
	for rows.Next() {
		var li LeaseInfo
		var exp int64
		if err := rows.Scan(&li.Dataset, &li.Holder.Host, &li.Holder.PID, &li.Holder.Command, &li.Acquired, &exp); err != nil {
			return nil, err
		}
		li.Expires = time.UnixMilli(exp).UTC()
		out = append(out, li)
	}
	return out, rows.Err()
}

// Renew extends the lease by its ttl from now; ErrLeaseLost if another
// holder took it over.
func (l *Lease) Renew(ctx context.Context) error {
	res, err := l.d.ExecContext(ctx, `UPDATE gt.leases SET expires_ms = ? WHERE dataset = ? AND token = ?`,
		l.d.now().Add(l.ttl).UnixMilli(), l.dataset, l.token)
	if err != nil {
		return fmt.Errorf("renewing the lease on %s: %w", l.dataset, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("%w: %s was taken over by another writer", ErrLeaseLost, l.dataset)
	}
	return nil
}

// Release gives the lease up (a lease already taken over is left alone).
func (l *Lease) Release(ctx context.Context) error {
	_, err := l.d.ExecContext(ctx, `DELETE FROM gt.leases WHERE dataset = ? AND token = ?`, l.dataset, l.token)
	return err
}

// Keep renews the lease every interval in a goroutine until stop is
// called. A renewal that fails for a passing reason (a slow or busy
// database) is retried at the next tick; stop returns ErrLeaseLost when the
// lease was taken over, or went a whole ttl without a renewal, after which
// renewing stops.
func (l *Lease) Keep(interval time.Duration) (stop func() error) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var lost error
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		renewed := time.Now()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), l.ttl)
			err := l.Renew(ctx)
			cancel()
			switch {
			case err == nil:
				renewed = time.Now()
			case errors.Is(err, ErrLeaseLost):
				lost = err
				return
			case time.Since(renewed) >= l.ttl:
				lost = fmt.Errorf("%w: %s was not renewed for %s: %v", ErrLeaseLost, l.dataset, l.ttl, err)
				return
			}
		}
	}()
	var once sync.Once
	return func() error {
		once.Do(func() { close(done); wg.Wait() })
		return lost
	}
}

func newToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
