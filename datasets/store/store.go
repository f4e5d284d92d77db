package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// CatalogFile is the SQLite catalog's file name inside the data directory
// (used unless Options.Catalog names a PostgreSQL database).
const CatalogFile = "catalog.sqlite"

// DuckDBCatalogFile is the file name of the catalog of earlier releases;
// Open migrates it into the catalog when found.
const DuckDBCatalogFile = "catalog.duckdb"

// Options configure Open.
type Options struct {
	// ReadOnly opens the catalog read-only and takes no writer lock.
	ReadOnly bool
	// Catalog is the catalog's location: a postgres:// URL, or else the
	// path of an SQLite file (default DATA/catalog.sqlite).
	Catalog string
	// JobRunner takes the data directory's runner locks (flocks): with
	// Jobs, DATA/LOCK shared and one lock per job exclusively, so that
	// processes running disjoint jobs (ingest, run, backfill, the daemon)
	// share the directory while two never read one job's cursor at once;
	// without Jobs, DATA/LOCK exclusively (no job runs meanwhile). Other
	// writers (attest, sign, quarantine decisions) and readers take
	// nothing; the write leases keep writers of one dataset apart.
	JobRunner bool
	// Jobs names the jobs a JobRunner runs (see JobRunner).
	Jobs []string
	// Logger receives recovery messages and warnings (nil discards them).
	Logger *slog.Logger
	// Builder tunes segment sizes (zero values mean defaults).
	Builder datasets.BuilderOptions
	// MemoryLimit caps DuckDB's memory, e.g. "256MB" (default "512MB"),
	// where DuckDB is used (reading a catalog of earlier releases).
	MemoryLimit string
	// AllowStale opens a catalog that does not record every manifest in
	// the directory without failing (catalog check and rebuild); Stale
	// reports the difference and nothing is materialized.
	AllowStale bool
	// DeferMaterialize skips loading pending versions' rows into SQL at
	// open (bulk loads and benchmarks call Materialize themselves).
	DeferMaterialize bool
}

// Store is an open data directory. Its methods are safe for concurrent use;
// the version writers of one dataset are serialised, writers of different
// datasets proceed at once (their catalog commits are serialised).
type Store struct {
	root string
	opts Options
	log  *slog.Logger
	db   *catalogdb.DB
	// closed is set by Close (which keeps db, closed, for racing readers).
	closed bool
	// tmpCatalog is the temporary directory of an empty catalog opened
	// under AllowStale (removed at Close).
	tmpCatalog string
	lock       *os.File   // DATA/LOCK (runnerlock.go)
	jobLocks   []*os.File // DATA/locks/job-NAME.lock
	// migrated is what Open carried over from catalog.duckdb, if anything.
	migrated *MigrateReport
	stale    *StaleCatalog
	// journalRevoked are the versions revoked by journal entries the
	// catalog does not record (journal_revoked.go).
	journalRevoked map[versionKey]bool
	// inMemory is set when there is no catalog file and AllowStale opened
	// an empty in-memory catalog instead of creating one.
	inMemory bool
	// damaged is the error that opening a damaged catalog file gave.
	damaged string
	// writers holds one writer lock per dataset; commitM serialises the
	// catalog transactions that record versions (segment ids are allocated
	// in them).
	writers writerLocks
	commitM sync.Mutex
	// keySeed and keys (guarded by keysM) serve key enforcement: the
	// sorted key digests of each dataset's latest version.
	keySeed uint64
	keysM   sync.Mutex
	keys    map[string]*keySet
	// checked holds, per dataset, the schema value CheckSchema last passed.
	checked map[string]*datasets.Schema
	// seq orders the journal entries this process writes.
	seq  atomic.Uint64
	matM sync.Mutex
}

// Open opens (creating if needed) the data directory root: it takes the
// writer lock (unless read-only) and opens and migrates the catalog. A
// catalog that does not record every manifest in the directory (missing,
// empty, damaged or an older backup) makes a writing Open fail with
// ErrCatalogStale and a read-only Open log a warning; no file is deleted.
func Open(ctx context.Context, root string, opts Options) (*Store, error) {
	s := &Store{root: root, opts: opts, log: opts.Logger, keySeed: rand.Uint64(), keys: map[string]*keySet{}, checked: map[string]*datasets.Schema{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(root, 0o755); err != nil {
			return nil, err
		}
		if opts.JobRunner {
			if err := s.takeRunnerLock(); err != nil {
				return nil, err
			}
		}
	}
	if err := s.open(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context) error {
	onDisk, err := manifestFiles(s.root)
	if err != nil {
		return err
	}
	entries, err := journalFiles(s.root)
	if err != nil {
		return err
	}
	if err := s.migrateDuckDB(ctx); err != nil {
		return err
	}
	if s.catalogMissing() {
		switch {
		case s.opts.AllowStale:
			// catalog check and rebuild work on an empty in-memory catalog.
			s.inMemory = true
		case len(onDisk)+len(entries) > 0:
			st := &StaleCatalog{CatalogMissing: true}
			for rel := range onDisk {
				st.Unindexed = append(st.Unindexed, rel)
			}
			for rel := range entries {
				st.UnindexedJournal = append(st.UnindexedJournal, rel)
			}
			return st.Err(s.root)
		case s.opts.ReadOnly:
			return fmt.Errorf("%w: no catalog in %s (run an ingest first)", ErrNotFound, s.root)
		}
	}
	if err := s.openCatalogOrEmpty(ctx, len(onDisk)+len(entries) > 0); err != nil {
		return s.notYet(err, len(onDisk)+len(entries))
	}
	if err := s.checkFilesAgainstCatalog(ctx, onDisk, entries); err != nil {
		return s.notYet(err, len(onDisk)+len(entries))
	}
	if s.opts.ReadOnly || s.stale != nil || s.inMemory {
		return nil
	}
	if err := s.seedJournal(ctx); err != nil {
		return err
	}
	return s.materializeAtOpen(ctx)
}

// notYet turns a reader's failure to open the catalog of a directory that
// holds no files yet (a first writer still creating its tables, or a new,
// empty PostgreSQL database) into ErrNotFound, as for no catalog at all.
func (s *Store) notYet(err error, files int) error {
	if !s.opts.ReadOnly || files > 0 || errors.Is(err, ErrLocked) {
		return err
	}
	return fmt.Errorf("%w: no catalog in %s yet (run an ingest first): %v", ErrNotFound, s.root, err)
}

// openCatalogOrEmpty opens the catalog. A catalog that cannot be opened
// (damaged) is replaced by an empty in-memory one under AllowStale, so
// check and rebuild can read the files alone; otherwise, when the directory
// holds manifests, the error names `catalog rebuild`.
func (s *Store) openCatalogOrEmpty(ctx context.Context, haveManifests bool) error {
	err := s.openCatalog(ctx)
	if err == nil || errors.Is(err, ErrLocked) {
		return err
	}
	if s.opts.AllowStale && !s.inMemory {
		s.log.Warn("the catalog cannot be opened; reading the files alone", "error", err)
		s.damaged, s.inMemory = err.Error(), true
		return s.openCatalog(ctx)
	}
	if haveManifests {
		return fmt.Errorf("%w: %w; if the catalog is damaged, %s", ErrCatalogStale, err, rebuildHint)
	}
	return err
}

// CatalogLocation is where the catalog of root is: opts.Catalog, or else
// root/catalog.sqlite.
func CatalogLocation(root, catalog string) string {
	if catalog != "" {
		return catalog
	}
	return filepath.Join(root, CatalogFile)
}

// location is the catalog's location.
func (s *Store) location() string { return CatalogLocation(s.root, s.opts.Catalog) }

// catalogMissing reports whether the catalog has not been created: its
// SQLite file is absent (a PostgreSQL catalog is always taken to exist;
// an empty one is created by migration and found stale if files exist).
func (s *Store) catalogMissing() bool {
	loc := s.location()
	if catalogdb.IsPostgres(loc) {
		return false
	}
	fi, err := os.Stat(loc)
	// A zero-byte file (a truncated copy, a full disk) holds no catalog.
	return errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode().IsRegular() && fi.Size() == 0)
}

func (s *Store) openCatalog(ctx context.Context) error {
	loc := s.location()
	if s.inMemory {
		dir, err := os.MkdirTemp("", "groundtruth-catalog-")
		if err != nil {
			return err
		}
		s.tmpCatalog, loc = dir, filepath.Join(dir, CatalogFile)
	}
	ro := s.opts.ReadOnly && !s.inMemory
	db, err := catalogdb.Open(ctx, loc, catalogdb.Options{ReadOnly: ro})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	s.db = db
	if ro {
		return nil
	}
	return migrate(ctx, s.db)
}

// Close releases the catalog and the lock.
func (s *Store) Close() error {
	var errs []error
	if s.db != nil && !s.closed {
		// s.db stays set: a reader racing with Close gets the database's
		// "closed" error, not a nil pointer.
		errs = append(errs, s.db.Close())
	}
	s.closed = true
	if s.tmpCatalog != "" {
		errs = append(errs, os.RemoveAll(s.tmpCatalog))
		s.tmpCatalog = ""
	}
	errs = append(errs, s.releaseRunnerLocks())
	return errors.Join(errs...)
}

// Root returns the data directory.
func (s *Store) Root() string { return s.root }

// DB returns the catalog database, for read queries of the gt tables by
// other packages (rows are queried through datasets/sqlview).
func (s *Store) DB() *catalogdb.DB { return s.db }

func (s *Store) materializeAtOpen(ctx context.Context) error {
	if s.opts.DeferMaterialize {
		return nil
	}
	return s.Materialize(ctx)
}
