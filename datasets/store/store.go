package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// CatalogFile is the DuckDB catalog's file name inside the data directory.
const CatalogFile = "catalog.duckdb"

// Options configure Open.
type Options struct {
	// ReadOnly opens the catalog read-only and takes no writer lock.
	ReadOnly bool
	// Logger receives sweep and recovery messages (nil discards them).
	Logger *slog.Logger
	// Builder tunes segment sizes (zero values mean defaults).
	Builder datasets.BuilderOptions
	// MemoryLimit caps DuckDB's memory, e.g. "256MB" (default "512MB").
	MemoryLimit string
	// DeferMaterialize skips loading pending versions' rows into SQL at
	// open (bulk loads and benchmarks call Materialize themselves).
	DeferMaterialize bool
}

// Store is an open data directory. Its methods are safe for concurrent use;
// version writes are serialised.
type Store struct {
	root   string
	opts   Options
	log    *slog.Logger
	conn   *duckdb.Connector
	db     *sql.DB
	lock   *os.File
	writeM sync.Mutex
	matM   sync.Mutex
}

// Open opens (creating if needed) the data directory root: it takes the
// writer lock, opens and migrates the catalog and sweeps leftovers of
// interrupted writes.
func Open(ctx context.Context, root string, opts Options) (*Store, error) {
	s := &Store{root: root, opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if opts.ReadOnly {
		if _, err := os.Stat(filepath.Join(root, CatalogFile)); err != nil {
			return nil, fmt.Errorf("%w: no catalog in %s (run an ingest first): %v", ErrNotFound, root, err)
		}
	} else {
		if err := os.MkdirAll(root, 0o755); err != nil {
			return nil, err
		}
		if err := s.takeLock(); err != nil {
			return nil, err
		}
	}
	if err := s.openCatalog(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if !opts.ReadOnly {
		if err := s.sweep(ctx); err != nil {
			s.Close()
			return nil, err
		}
		if err := s.materializeAtOpen(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *Store) takeLock() error {
	f, err := os.OpenFile(filepath.Join(s.root, "LOCK"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return fmt.Errorf("%w: %s is locked by another groundtruth process (%v); stop it or use another --data-dir", ErrLocked, s.root, err)
	}
	s.lock = f
	return nil
}

func (s *Store) openCatalog(ctx context.Context) error {
	dsn := filepath.Join(s.root, CatalogFile)
	if s.opts.ReadOnly {
		dsn += "?access_mode=READ_ONLY"
	}
	limit := s.opts.MemoryLimit
	if limit == "" {
		limit = "512MB"
	}
	conn, err := duckdb.NewConnector(dsn, func(ex driver.ExecerContext) error {
		_, err := ex.ExecContext(ctx, "SET memory_limit = '"+limit+"'", nil)
		return err
	})
	if err != nil {
		if strings.Contains(err.Error(), "lock") {
			return fmt.Errorf("%w: catalog %s: %v", ErrLocked, dsn, err)
		}
		return fmt.Errorf("%w: opening %s: %v", ErrCatalog, dsn, err)
	}
	s.conn, s.db = conn, sql.OpenDB(conn)
	if s.opts.ReadOnly {
		return nil
	}
	return migrate(ctx, s.db)
}

// Close releases the catalog and the lock.
func (s *Store) Close() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.conn != nil {
		errs = append(errs, s.conn.Close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close())
	}
	return errors.Join(errs...)
}

// Root returns the data directory.
func (s *Store) Root() string { return s.root }

// DB returns the catalog database, for read queries by other packages.
func (s *Store) DB() *sql.DB { return s.db }

// sweep removes temporary files and files no committed version references.
func (s *Store) sweep(ctx context.Context) error {
	tmp := filepath.Join(s.root, datasets.TmpDir)
	if entries, err := os.ReadDir(tmp); err == nil && len(entries) > 0 {
		s.log.Info("sweeping leftovers of interrupted writes", "dir", tmp, "files", len(entries))
		if err := os.RemoveAll(tmp); err != nil {
			return err
		}
	}
	keep, err := s.referencedFiles(ctx)
	if err != nil {
		return err
	}
	for _, dir := range []string{"segments", "manifests"} {
		err := filepath.WalkDir(filepath.Join(s.root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(s.root, path)
			if !keep[filepath.ToSlash(rel)] {
				s.log.Info("removing unreferenced file", "path", rel)
				return os.Remove(path)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) referencedFiles(ctx context.Context) (map[string]bool, error) {
	keep := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT sha256 FROM gt.segments`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	for rows.Next() {
		var hx string
		if err := rows.Scan(&hx); err != nil {
			return nil, err
		}
		h, err := datasets.ParseHash(hx)
		if err != nil {
			return nil, err
		}
		keep[datasets.SegmentPath(h)], keep[datasets.LeavesPath(h)] = true, true
	}
	mrows, err := s.db.QueryContext(ctx, `SELECT manifest_hash FROM gt.versions`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var hx string
		if err := mrows.Scan(&hx); err != nil {
			return nil, err
		}
		h, err := datasets.ParseHash(hx)
		if err != nil {
			return nil, err
		}
		keep[datasets.ManifestPath(h)] = true
	}
	return keep, mrows.Err()
}

func (s *Store) materializeAtOpen(ctx context.Context) error {
	if s.opts.DeferMaterialize {
		return nil
	}
	return s.Materialize(ctx)
}
