package testpg

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

func TestStartServesQueriesOnLoopback(t *testing.T) {
	c := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, dsn := range []string{c.DSN(), c.NewDatabase(t), c.NewDatabase(t)} {
		if !strings.HasPrefix(dsn, "postgres://postgres@127.0.0.1:") {
			t.Fatalf("dsn %q is not on 127.0.0.1", dsn)
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		var v string
		if err := db.QueryRowContext(ctx, "SHOW server_version").Scan(&v); err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		if !strings.HasPrefix(v, "1") {
			t.Errorf("server_version = %q", v)
		}
		if _, err := db.ExecContext(ctx, "CREATE TABLE t (x int)"); err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		db.Close()
	}
}
