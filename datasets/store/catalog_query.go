package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// ErrCatalogQuery means a query on the catalog was refused: it is not
// exactly one statement, or not a read-only SELECT (ATTACH, PRAGMA and
// every write are refused on both backends).
var ErrCatalogQuery = errors.New("catalog query refused")

// sqliteRecursive is SQLITE_RECURSIVE (a recursive CTE), which the driver
// does not export.
const sqliteRecursive = 33

// QueryCatalog runs query, exactly one read-only SELECT naming catalog
// tables as gt.<table>, and hands its rows to fn. A tail after the
// statement (other than a final ";" and comments) is refused with
// ErrCatalogQuery. On SQLite the statement runs on a connection of its own
// with no database attachable (SQLITE_LIMIT_ATTACHED 0), query_only set
// and an authorizer that allows only reads and functions, and it must be
// read-only by sqlite3_stmt_readonly; the connection is discarded after.
// On PostgreSQL it runs in a read-only transaction that is rolled back.
func (s *Store) QueryCatalog(ctx context.Context, query string, fn func(*sql.Rows) error) error {
	if err := oneStatement(query); err != nil {
		return err
	}
	q, err := s.db.Rebind(query)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalogQuery, err)
	}
	conn, err := s.db.SQL().Conn(ctx)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCatalog, s.db.Location(), err)
	}
	defer conn.Close()
	if s.db.Dialect() == catalogdb.Postgres {
		return queryReadOnlyTx(ctx, conn, q, fn)
	}
	// The connection carries the limits set below: never return it to the pool.
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if err := lockDownSQLite(ctx, conn, q); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalogQuery, err)
	}
	defer rows.Close()
	return fn(rows)
}

// queryReadOnlyTx runs q in a read-only PostgreSQL transaction.
func queryReadOnlyTx(ctx context.Context, conn *sql.Conn, q string, fn func(*sql.Rows) error) error {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalogQuery, err)
	}
	defer rows.Close()
	return fn(rows)
}

// lockDownSQLite sets query_only, forbids ATTACH, installs an authorizer
// allowing only reads and checks that q is read-only.
func lockDownSQLite(ctx context.Context, conn *sql.Conn, q string) error {
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("%w: unexpected SQLite driver connection %T", ErrCatalog, dc)
		}
		c.SetLimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
		c.RegisterAuthorizer(func(op int, _, _, _ string) int {
			switch op {
			case sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqliteRecursive:
				return sqlite3.SQLITE_OK
			}
			return sqlite3.SQLITE_DENY
		})
		st, err := c.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCatalogQuery, err)
		}
		defer st.Close()
		if ss, ok := st.(*sqlite3.SQLiteStmt); !ok || !ss.Readonly() {
			return fmt.Errorf("%w: only a read-only SELECT may run on the catalog", ErrCatalogQuery)
		}
		return nil
	})
}

// oneStatement refuses a query that holds no or more than one statement:
// after a ";" outside string literals, quoted identifiers and comments only
// blanks, comments and further ";" may follow.
func oneStatement(q string) error {
	body, end := false, -1
	token := func() error {
		if end >= 0 {
			return fmt.Errorf("%w: exactly one statement may run, found more after the \";\" at byte %d", ErrCatalogQuery, end)
		}
		body = true
		return nil
	}
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			if err := token(); err != nil {
				return err
			}
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := strings.IndexByte(q[i+1:], closer)
			if j < 0 {
				return fmt.Errorf("%w: unterminated %c at byte %d", ErrCatalogQuery, c, i)
			}
			i += j + 2
		case strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			i += j
		case strings.HasPrefix(q[i:], "/*"):
			j := strings.Index(q[i+2:], "*/")
			if j < 0 {
				return fmt.Errorf("%w: unterminated comment at byte %d", ErrCatalogQuery, i)
			}
			i += j + 4
		case c == ';':
			if end < 0 {
				end = i
			}
			i++
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		default:
			if err := token(); err != nil {
				return err
			}
			i++
		}
	}
	if !body {
		return fmt.Errorf("%w: no statement", ErrCatalogQuery)
	}
	return nil
}
