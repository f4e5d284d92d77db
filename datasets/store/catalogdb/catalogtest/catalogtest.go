// Package catalogtest is the conformance suite every catalog backend
// passes: Run opens catalogs through catalogdb.Open at the locations a
// backend hands out and checks types, rebinding, upserts, transactions,
// concurrent readers and writers, and write leases.
package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// Location returns the location of a fresh, empty catalog (a file path or
// a postgres:// URL of a new database).
type Location func(t testing.TB) string

// schema is a small catalog in canonical DDL, shaped like the store's.
var schema = []string{
	`CREATE SCHEMA IF NOT EXISTS gt`,
	`CREATE SCHEMA IF NOT EXISTS data`,
	`CREATE TABLE IF NOT EXISTS gt.meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.versions (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL, rows UBIGINT NOT NULL,
		parent_version UBIGINT, append_only BOOLEAN NOT NULL, score DOUBLE, body BLOB,
		created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (dataset, version))`,
	`ALTER TABLE gt.versions ADD COLUMN IF NOT EXISTS note VARCHAR`,
	`CREATE INDEX IF NOT EXISTS versions_created ON gt.versions (created_at)`,
}

// Run runs the conformance suite against the backend behind loc.
func Run(t *testing.T, loc Location) {
	tests := []struct {
		name string
		fn   func(t *testing.T, loc string)
	}{
		{"MigrateIsIdempotent", testMigrate},
		{"TypesRoundTrip", testTypes},
		{"UnsignedOutOfRange", testOutOfRange},
		{"InsertOrReplace", testUpsert},
		{"LiteralsAreNotRebound", testLiterals},
		{"TransactionsAndConnBegin", testTransactions},
		{"ReaderNotBlockedByWriter", testReaderNotBlocked},
		{"ReadOnlyOpen", testReadOnly},
		{"ConcurrentWritersWait", testConcurrentWriters},
		{"LeaseHeldNamesHolder", testLeaseHeld},
		{"LeaseExpiredIsTakenOver", testLeaseTakeover},
		{"LeaseKeepRenews", testLeaseKeep},
		{"LeaseRaceHasOneWinner", testLeaseRace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, loc(t)) })
	}
}

func open(t *testing.T, loc string) *catalogdb.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := catalogdb.Open(ctx, loc, catalogdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, schema); err != nil {
		t.Fatal(err)
	}
	return db
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func count(t *testing.T, db *catalogdb.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(ctxT(t), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func testMigrate(t *testing.T, loc string) {
	db := open(t, loc)
	if err := db.Migrate(ctxT(t), schema); err != nil {
		t.Fatalf("second migration: %v", err)
	}
	db2 := open(t, loc) // a second process migrating the same catalog
	if _, err := db2.ExecContext(ctxT(t), `INSERT INTO gt.meta VALUES (?, ?)`, "catalog_version", "1"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM gt.meta WHERE key = ?`, "catalog_version"); n != 1 {
		t.Fatalf("meta rows = %d", n)
	}
	if n := count(t, db, `SELECT count(*) FROM gt.versions WHERE note IS NULL`); n != 0 {
		t.Fatalf("versions = %d", n)
	}
}

func testTypes(t *testing.T, loc string) {
	db := open(t, loc)
	ctx := ctxT(t)
	at := time.Date(2026, 12, 6, 21, 58, 31, 123456000, time.FixedZone("CET", 3600))
	parent := uint64(6)
	if _, err := db.ExecContext(ctx, `INSERT INTO gt.versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"d", uint64(7), uint64(math.MaxInt64), &parent, true, 0.25, []byte{0, 1, 255}, at, "n"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO gt.versions VALUES (?, ?, ?, NULL, false, NULL, NULL, now(), NULL)`, "d", uint64(8), uint64(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO gt.versions VALUES ('d', 9, 0, NULL, false, NULL, NULL, TIMESTAMPTZ '2026-12-06 20:58:31.123456+00', NULL)`); err != nil {
		t.Fatal(err)
	}
	var (
		version, rows uint64
		p             *uint64
		ao            bool
		score         float64
		body          []byte
		created       time.Time
	)
	err := db.QueryRowContext(ctx, `SELECT version, rows, parent_version, append_only, score, body, created_at FROM gt.versions
		WHERE dataset = ? AND version = ? AND append_only`, "d", uint64(7)).Scan(&version, &rows, &p, &ao, &score, &body, &created)
	if err != nil {
		t.Fatal(err)
	}
	if version != 7 || rows != math.MaxInt64 || p == nil || *p != 6 || !ao || score != 0.25 || string(body) != "\x00\x01\xff" || !created.Equal(at) {
		t.Fatalf("round trip: %d %d %v %v %v %x %v", version, rows, p, ao, score, body, created)
	}
	var lit time.Time
	if err := db.QueryRowContext(ctx, `SELECT created_at FROM gt.versions WHERE version = 9`).Scan(&lit); err != nil || !lit.Equal(at) {
		t.Fatalf("TIMESTAMPTZ literal read back as %v (%v), want %v", lit, err, at)
	}
	var now time.Time
	if err := db.QueryRowContext(ctx, `SELECT created_at FROM gt.versions WHERE version = 8 AND NOT append_only`).Scan(&now); err != nil || time.Since(now).Abs() > time.Minute {
		t.Fatalf("now() read back as %v (%v)", now, err)
	}
	if n := count(t, db, `SELECT count(*) FROM gt.versions WHERE created_at > ? AND created_at < now()`, at.Add(-time.Second)); n != 3 {
		t.Fatalf("time range matched %d rows, want 3", n)
	}
	var order []uint64
	rs, err := db.QueryContext(ctx, `SELECT version FROM gt.versions ORDER BY created_at, version`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var v uint64
		rs.Scan(&v)
		order = append(order, v)
	}
	rs.Close()
	if len(order) != 3 || order[2] != 8 {
		t.Fatalf("ORDER BY created_at = %v, want 8 last", order)
	}
}

func testOutOfRange(t *testing.T, loc string) {
	db := open(t, loc)
	_, err := db.ExecContext(ctxT(t), `INSERT INTO gt.versions (dataset, version, rows, append_only, created_at) VALUES (?, ?, ?, ?, ?)`,
		"d", uint64(1), uint64(math.MaxInt64)+1, false, time.Now())
	if !errors.Is(err, catalogdb.ErrOutOfRange) {
		t.Fatalf("err = %v, want ErrOutOfRange", err)
	}
}

func testUpsert(t *testing.T, loc string) {
	db := open(t, loc)
	ctx := ctxT(t)
	for _, v := range []string{"a", "b"} {
		if _, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO gt.meta VALUES (?, ?)`, "k", v); err != nil {
			t.Fatal(err)
		}
	}
	for _, note := range []string{"first", "second"} {
		if _, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO gt.versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			"d", uint64(1), uint64(5), nil, false, nil, nil, time.Now(), note); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO gt.meta VALUES (?, ?) ON CONFLICT DO NOTHING`, "k", "c"); err != nil {
		t.Fatal(err)
	}
	var v, note string
	if err := db.QueryRowContext(ctx, `SELECT value FROM gt.meta WHERE key = 'k'`).Scan(&v); err != nil || v != "b" {
		t.Fatalf("meta k = %q (%v), want b", v, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT note FROM gt.versions WHERE dataset = 'd' AND version = 1`).Scan(&note); err != nil || note != "second" {
		t.Fatalf("note = %q (%v), want second", note, err)
	}
	if n := count(t, db, `SELECT count(*) FROM gt.versions`); n != 1 {
		t.Fatalf("%d versions after two replaces", n)
	}
}

func testLiterals(t *testing.T, loc string) {
	db := open(t, loc)
	var a, b string
	err := db.QueryRowContext(ctxT(t), `SELECT 'is gt.meta? now() ''?''', ?`, "x").Scan(&a, &b)
	if err != nil || a != "is gt.meta? now() '?'" || b != "x" {
		t.Fatalf("got %q %q (%v)", a, b, err)
	}
}

func testTransactions(t *testing.T, loc string) {
	db := open(t, loc)
	ctx := ctxT(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gt.meta VALUES (?, ?)`, "rolled", "back"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"BEGIN TRANSACTION", `INSERT INTO gt.meta VALUES ('kept', 'yes')`, "COMMIT",
		"BEGIN TRANSACTION", `INSERT INTO gt.meta VALUES ('dropped', 'no')`, "ROLLBACK"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM gt.meta`); n != 1 {
		t.Fatalf("%d meta rows, want only 'kept'", n)
	}
}

// testReaderNotBlocked: a second handle (another process) reads the last
// committed state while a write transaction is open.
func testReaderNotBlocked(t *testing.T, loc string) {
	w, r := open(t, loc), open(t, loc)
	ctx := ctxT(t)
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO gt.meta VALUES ('pending', 'x')`); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var n int
	if err := r.QueryRowContext(rctx, `SELECT count(*) FROM gt.meta`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("reader during a write: n=%d err=%v", n, err)
	}
}

// testReadOnly: a read-only handle reads what a writer committed, also
// while the writer holds a transaction open, and cannot write.
func testReadOnly(t *testing.T, loc string) {
	w := open(t, loc)
	ctx := ctxT(t)
	if _, err := w.ExecContext(ctx, `INSERT INTO gt.meta VALUES ('a', 'b')`); err != nil {
		t.Fatal(err)
	}
	ro, err := catalogdb.Open(ctx, loc, catalogdb.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO gt.meta VALUES ('c', 'd')`); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ro, `SELECT count(*) FROM gt.meta`); n != 1 {
		t.Fatalf("read-only handle sees %d rows, want 1", n)
	}
	if _, err := ro.ExecContext(ctx, `INSERT INTO gt.meta VALUES ('e', 'f')`); err == nil {
		t.Fatal("a read-only handle wrote")
	}
}

// testConcurrentWriters: writers from several handles (processes) all
// succeed, each waiting for the others' short transactions.
func testConcurrentWriters(t *testing.T, loc string) {
	const writers, each = 4, 25
	dbs := make([]*catalogdb.DB, writers)
	for i := range dbs {
		dbs[i] = open(t, loc)
	}
	ctx := ctxT(t)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range dbs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < each; j++ {
				if err := writeOne(ctx, dbs[i], fmt.Sprint("d", i), uint64(j)); err != nil {
					errs <- err
					return
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := count(t, dbs[0], `SELECT count(*) FROM gt.versions`); n != writers*each {
		t.Fatalf("%d versions written, want %d", n, writers*each)
	}
}

func writeOne(ctx context.Context, db *catalogdb.DB, dataset string, version uint64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM gt.versions WHERE dataset = ?`, dataset).Scan(&n); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gt.versions (dataset, version, rows, append_only, created_at) VALUES (?, ?, ?, ?, now())`,
		dataset, version, uint64(n), false); err != nil {
		return err
	}
	return tx.Commit()
}
