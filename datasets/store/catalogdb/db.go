// Package catalogdb is the store's catalog database behind one interface
// and two backends: SQLite in WAL mode (one file in the data directory, no
// server; readers are never blocked, writers wait up to a busy timeout)
// and PostgreSQL (a postgres:// URL, for processes on several machines).
//
// Callers write canonical SQL, the DuckDB-flavoured subset the store and
// its journal have always used: tables named gt.<name>, ? placeholders,
// now(), TIMESTAMPTZ '<time>' literals, INSERT OR REPLACE, ON CONFLICT DO
// NOTHING, and in DDL the types VARCHAR, UBIGINT, INTEGER, BIGINT,
// BOOLEAN, DOUBLE, BLOB and TIMESTAMPTZ. Every statement is rebound for
// the backend: gt.versions is gt_versions in SQLite (no schemas) and the
// table versions of the schema gt in PostgreSQL; placeholders become $n on
// PostgreSQL; timestamps are UTC (TEXT in SQLite, TIMESTAMPTZ in
// PostgreSQL, microseconds); unsigned 64-bit values are stored as signed 64-bit integers
// and a value above 2^63-1 is refused with ErrOutOfRange. Journal entries
// keep the canonical text, so a replay works on either backend.
package catalogdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "github.com/mattn/go-sqlite3"    // database/sql driver "sqlite3"
)

// Sentinel errors of the catalog database.
var (
	// ErrOpen means the catalog database could not be opened.
	ErrOpen = errors.New("catalog database cannot be opened")
	// ErrUnsupported means a statement or location is outside what the
	// catalog supports.
	ErrUnsupported = errors.New("unsupported by the catalog")
	// ErrOutOfRange means an unsigned argument does not fit a signed
	// 64-bit column.
	ErrOutOfRange = errors.New("value out of the catalog's integer range")
)

// BusyTimeout is how long an SQLite writer waits for another process's
// write transaction before failing.
const BusyTimeout = 10 * time.Second

// Options configure Open.
type Options struct {
	// ReadOnly opens the catalog read-only: an SQLite file in mode=ro, a
	// PostgreSQL session with default_transaction_read_only; writes fail.
	ReadOnly bool
}

// DB is an open catalog database. It is safe for concurrent use.
type DB struct {
	db      *sql.DB
	dialect Dialect
	where   string
	tables  tables
	// now is the clock of now() and of leases (tests replace it).
	now func() time.Time
}

// IsPostgres reports whether location is a PostgreSQL URL.
func IsPostgres(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// Open opens the catalog at location: a postgres:// URL, or else the path
// of an SQLite file (created if missing, unless read-only).
func Open(ctx context.Context, location string, opts Options) (*DB, error) {
	if location == "" {
		return nil, fmt.Errorf("%w: no catalog location", ErrOpen)
	}
	d := &DB{dialect: SQLite, where: location, now: time.Now}
	var err error
	if IsPostgres(location) {
		d.dialect = Postgres
		d.where = redact(location)
		d.db, err = sql.Open("pgx", pgDSN(location, opts.ReadOnly))
	} else {
		d.db, err = sql.Open("sqlite3", sqliteDSN(location, opts.ReadOnly))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrOpen, d.where, err)
	}
	_, statErr := os.Stat(location)
	creating := d.dialect == SQLite && !opts.ReadOnly && errors.Is(statErr, fs.ErrNotExist)
	if err := d.db.PingContext(ctx); err != nil {
		d.db.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrOpen, d.where, err)
	}
	if !opts.ReadOnly {
		if err := d.Migrate(ctx, LeaseDDL); err != nil {
			d.db.Close()
			return nil, err
		}
	}
	if creating {
		if err := makePrivate(location); err != nil {
			d.db.Close()
			return nil, fmt.Errorf("%w: %s: %v", ErrOpen, d.where, err)
		}
	}
	return d, nil
}

// makePrivate gives a catalog file this process created, and its WAL and
// shared-memory files, mode 0600 like the journal: the catalog holds the
// run history and quarantined rows, which other local users need not read.
// (SQLite creates files with mode 0644 less the umask; it creates later
// WAL and shared-memory files with the database file's mode.)
func makePrivate(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(BusyTimeout.Milliseconds()))
	q.Set("_txlock", "immediate")
	q.Set("_foreign_keys", "0")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
	}
	return "file:" + path + "?" + q.Encode()
}

// pgDSN adds the read-only session setting to a PostgreSQL URL.
func pgDSN(location string, readOnly bool) string {
	if !readOnly {
		return location
	}
	sep := "?"
	if strings.Contains(location, "?") {
		sep = "&"
	}
	return location + sep + "default_transaction_read_only=on"
}

// redact drops the password from a URL for messages.
func redact(location string) string {
	u, err := url.Parse(location)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Dialect is the backend's dialect.
func (d *DB) Dialect() Dialect { return d.dialect }

// Location names the catalog (a path, or a URL without its password).
func (d *DB) Location() string { return d.where }

// SQL returns the underlying database, for statements already in the
// backend's dialect.
func (d *DB) SQL() *sql.DB { return d.db }

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Rebind translates a canonical statement into the backend's dialect.
func (d *DB) Rebind(q string) (string, error) {
	if d.dialect == SQLite && beginRE.MatchString(q) {
		return "BEGIN IMMEDIATE", nil
	}
	if d.dialect == Postgres && insertReplRE.MatchString(q) {
		var err error
		if q, err = d.tables.upsert(q); err != nil {
			return "", err
		}
	}
	return d.dialect.rewrite(q, d.now())
}

// args converts arguments to portable types: uint64 to int64 (refusing
// values above 2^63-1) and times to UTC microseconds (the precision of
// PostgreSQL and DuckDB, so every backend holds the same value).
func args(in []any) ([]any, error) {
	out, copied := in, false
	for i, a := range in {
		var v any
		switch x := a.(type) {
		case uint64:
			if x > math.MaxInt64 {
				return nil, fmt.Errorf("%w: argument %d is %d", ErrOutOfRange, i+1, x)
			}
			v = int64(x)
		case *uint64:
			if x == nil {
				v = nil
			} else if *x > math.MaxInt64 {
				return nil, fmt.Errorf("%w: argument %d is %d", ErrOutOfRange, i+1, *x)
			} else {
				v = int64(*x)
			}
		case uint:
			v = int64(x)
		case time.Time:
			v = x.UTC().Truncate(time.Microsecond)
		default:
			continue
		}
		if !copied {
			out, copied = append([]any(nil), in...), true
		}
		out[i] = v
	}
	return out, nil
}

// querier is what *sql.DB, *sql.Tx and *sql.Conn have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (d *DB) exec(ctx context.Context, q querier, query string, a []any) (sql.Result, error) {
	query, a, err := d.prepare(query, a)
	if err != nil {
		return nil, err
	}
	return q.ExecContext(ctx, query, a...)
}

func (d *DB) query(ctx context.Context, q querier, query string, a []any) (*sql.Rows, error) {
	query, a, err := d.prepare(query, a)
	if err != nil {
		return nil, err
	}
	return q.QueryContext(ctx, query, a...)
}

// queryRow rebinds and runs a one-row query; a statement that cannot be
// rebound is run as written, so its error surfaces at Scan.
func (d *DB) queryRow(ctx context.Context, q querier, query string, a []any) *sql.Row {
	if rq, ra, err := d.prepare(query, a); err == nil {
		query, a = rq, ra
	}
	return q.QueryRowContext(ctx, query, a...)
}

func (d *DB) prepare(query string, a []any) (string, []any, error) {
	rq, err := d.Rebind(query)
	if err != nil {
		return "", nil, err
	}
	ra, err := args(a)
	if err != nil {
		return "", nil, fmt.Errorf("%w (in %q)", err, query)
	}
	return rq, ra, nil
}

// ExecContext runs a canonical statement.
func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.exec(ctx, d.db, query, args)
}

// QueryContext runs a canonical query.
func (d *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.query(ctx, d.db, query, args)
}

// QueryRowContext runs a canonical query that returns at most one row.
func (d *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.queryRow(ctx, d.db, query, args)
}

// Tx is a catalog transaction. On SQLite every transaction takes the
// write lock at BEGIN (BEGIN IMMEDIATE), so it never fails half-way on a
// lock upgrade; read with plain queries, which never wait, and keep write
// transactions short: other writers wait up to BusyTimeout.
type Tx struct {
	d  *DB
	tx *sql.Tx
}

// BeginTx starts a transaction.
func (d *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := d.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{d: d, tx: tx}, nil
}

// ExecContext runs a canonical statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.d.exec(ctx, t.tx, query, args)
}

// QueryContext runs a canonical query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.d.query(ctx, t.tx, query, args)
}

// QueryRowContext runs a canonical one-row query in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.d.queryRow(ctx, t.tx, query, args)
}

// Commit commits the transaction.
func (t *Tx) Commit() error { return t.tx.Commit() }

// Rollback aborts the transaction.
func (t *Tx) Rollback() error { return t.tx.Rollback() }

// Conn is one dedicated connection (for BEGIN/COMMIT issued as
// statements, as the store's version writer does).
type Conn struct {
	d *DB
	c *sql.Conn
}

// Conn reserves a connection.
func (d *DB) Conn(ctx context.Context) (*Conn, error) {
	c, err := d.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &Conn{d: d, c: c}, nil
}

// ExecContext runs a canonical statement on the connection.
func (c *Conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.d.exec(ctx, c.c, query, args)
}

// QueryContext runs a canonical query on the connection.
func (c *Conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.d.query(ctx, c.c, query, args)
}

// QueryRowContext runs a canonical one-row query on the connection.
func (c *Conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.d.queryRow(ctx, c.c, query, args)
}

// Close returns the connection to the pool.
func (c *Conn) Close() error { return c.c.Close() }
