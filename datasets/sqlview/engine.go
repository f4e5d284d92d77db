package sqlview

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"

	"github.com/duckdb/duckdb-go/v2"
)

// Options configure an Engine.
type Options struct {
	// Dir is the folder holding the Parquet copies (DATA/sql); queries may
	// read no other file, and every version's copies must lie in it.
	Dir string
	// MemoryLimit is DuckDB's memory limit (default "1GB").
	MemoryLimit string
	// Threads is DuckDB's thread count (0: DuckDB's default, the CPUs).
	Threads int
	// Logger receives refreshes (default: discard).
	Logger *slog.Logger
	// Verifier, when set, proves the copies of every version a query
	// names before the query reads them (see CopyVerifier); a copy that
	// does not match its segment fails the query with ErrCopyMismatch.
	Verifier *CopyVerifier
}

// Engine is an in-memory DuckDB database with views over the Parquet
// copies of versions. It is safe for concurrent use; Refresh waits for the
// queries running.
type Engine struct {
	mu        sync.RWMutex
	connector *duckdb.Connector
	db        *sql.DB
	dir       string
	plan      *plan
	log       *slog.Logger
	closed    bool
	// infos caches the footers of the copies (immutable files, named by
	// their segment's SHA-256), so a Refresh reads only new ones.
	infoMu sync.Mutex
	infos  map[string]CopyInfo
	// verifier proves copies before a query reads them (nil: no proof).
	verifier *CopyVerifier
}

// Open creates the engine's database, locks it down and creates the views
// of versions.
func Open(ctx context.Context, versions []Version, opts Options) (*Engine, error) {
	if opts.Dir == "" || !filepath.IsAbs(opts.Dir) {
		return nil, fmt.Errorf("%w: Options.Dir %q: want the absolute folder of the Parquet copies", ErrInput, opts.Dir)
	}
	if opts.MemoryLimit == "" {
		opts.MemoryLimit = "1GB"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir := filepath.Clean(opts.Dir)
	e := &Engine{dir: dir, log: opts.Logger, infos: map[string]CopyInfo{}, verifier: opts.Verifier}
	p, err := newPlan(versions, dir, e.copyInfo)
	if err != nil {
		return nil, err
	}
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("%w: opening DuckDB: %v", ErrQuery, err)
	}
	e.connector, e.db = connector, sql.OpenDB(connector)
	if err := e.lockDown(ctx, opts); err != nil {
		e.Close()
		return nil, err
	}
	if err := e.apply(ctx, p); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// lockDown applies the settings (global to the database) and locks them.
func (e *Engine) lockDown(ctx context.Context, opts Options) error {
	settings := []string{
		"SET temp_directory = ''",
		"SET memory_limit = " + quoteString(opts.MemoryLimit),
		"SET allowed_directories = [" + quoteString(e.dir+string(filepath.Separator)) + "]",
		"SET enable_external_access = false",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET allow_community_extensions = false",
	}
	if opts.Threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", opts.Threads))
	}
	settings = append(settings, "SET lock_configuration = true")
	for _, st := range settings {
		if _, err := e.db.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrInput, st, err)
		}
	}
	return nil
}

// Refresh replaces the views with those of versions (a new version, a
// status change); it waits for running queries and blocks new ones.
func (e *Engine) Refresh(ctx context.Context, versions []Version) error {
	p, err := newPlan(versions, e.dir, e.copyInfo)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	return e.apply(ctx, p)
}

// apply creates p's views in one transaction and drops the views of the
// previous plan that p lacks. The caller holds mu (or owns e).
func (e *Engine) apply(ctx context.Context, p *plan) error {
	tx, err := e.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	defer tx.Rollback()
	keep := map[string]bool{}
	for _, n := range p.viewNames() {
		keep[n] = true
	}
	if e.plan != nil {
		for _, n := range e.plan.viewNames() {
			if !keep[n] {
				if _, err := tx.ExecContext(ctx, "DROP VIEW IF EXISTS "+quoteIdent(n)); err != nil {
					return fmt.Errorf("%w: dropping view %s: %v", ErrQuery, n, err)
				}
			}
		}
	}
	for _, st := range p.statements(true) {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("%w: creating a view: %v", ErrQuery, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	e.plan = p
	e.log.Debug("sql views refreshed", "versions", len(p.versions), "latest", len(p.latest))
	return nil
}

// Query runs one read-only SELECT and hands its rows to fn; the rows are
// closed when fn returns. A query naming a dataset without an attested,
// non-revoked version fails with ErrNotQueryable saying why.
func (e *Engine) Query(ctx context.Context, text string, fn func(*sql.Rows) error) error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return ErrClosed
	}
	conn, err := e.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	defer conn.Close()
	tables := map[string]bool{}
	rules := engineRules
	rules.Statement = func(stmt json.RawMessage) error {
		if err := engineRules.Statement(stmt); err != nil {
			return err
		}
		return collectTables(stmt, tables)
	}
	if err := CheckSelect(ctx, conn, text, rules); err != nil {
		return e.explain(err)
	}
	if err := e.proveCopies(ctx, tables); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, text)
	if err != nil {
		return e.explain(fmt.Errorf("%w: %v", ErrQuery, err))
	}
	defer rows.Close()
	if err := fn(rows); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return e.explain(fmt.Errorf("%w: %v", ErrQuery, err))
	}
	return nil
}

// explain turns DuckDB's "table does not exist" for a dataset's "D" view
// into ErrNotQueryable with the reason.
func (e *Engine) explain(err error) error {
	msg := err.Error()
	if !strings.Contains(msg, "does not exist") {
		return err
	}
	for ds, why := range e.plan.missing {
		if strings.Contains(msg, "name "+ds+" does not exist") {
			return fmt.Errorf("%w: %s", ErrNotQueryable, why)
		}
	}
	return err
}

// Versions returns the versions the engine serves, sorted by dataset and
// version.
func (e *Engine) Versions() []Version {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.plan == nil {
		return nil
	}
	return append([]Version(nil), e.plan.versions...)
}

// copyInfo is ReadCopyInfo, cached for the copies read well.
func (e *Engine) copyInfo(path string) (CopyInfo, error) {
	e.infoMu.Lock()
	ci, ok := e.infos[path]
	e.infoMu.Unlock()
	if ok {
		return ci, nil
	}
	ci, err := ReadCopyInfo(path)
	if err != nil {
		return ci, err
	}
	e.infoMu.Lock()
	e.infos[path] = ci
	e.infoMu.Unlock()
	return ci, nil
}

// Close releases the database.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	err := e.db.Close()
	if cerr := e.connector.Close(); err == nil {
		err = cerr
	}
	return err
}
