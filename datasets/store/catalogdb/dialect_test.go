package catalogdb

import (
	"errors"
	"testing"
	"time"
)

func TestRebind(t *testing.T) {
	now := time.Date(2026, 12, 6, 22, 0, 0, 500000000, time.UTC)
	ddl := []string{`CREATE TABLE IF NOT EXISTS gt.signatures (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL, signer VARCHAR NOT NULL, sig VARCHAR,
		PRIMARY KEY (dataset, version, signer))`, `CREATE TABLE IF NOT EXISTS gt.keys (k VARCHAR PRIMARY KEY)`}
	tests := []struct {
		name, in string
		d        Dialect
		want     string
	}{
		{"sqlite table names", `SELECT * FROM gt.versions v JOIN gt.segments s ON s.id = v.x`, SQLite,
			`SELECT * FROM gt_versions v JOIN gt_segments s ON s.id = v.x`},
		{"postgres keeps the schema", `SELECT * FROM gt.versions`, Postgres, `SELECT * FROM gt.versions`},
		{"postgres placeholders", `UPDATE gt.runs SET a = ?, b = ? WHERE id = ?`, Postgres, `UPDATE gt.runs SET a = $1, b = $2 WHERE id = $3`},
		{"quoted text untouched", `SELECT 'gt.x ? now()', "gt.y" FROM gt.z WHERE a = ?`, Postgres, `SELECT 'gt.x ? now()', "gt.y" FROM gt.z WHERE a = $1`},
		{"not a prefix of a longer name", `SELECT agt.x, gt.y FROM t`, SQLite, `SELECT agt.x, gt_y FROM t`},
		{"now() sqlite", `UPDATE gt.r SET at = now()`, SQLite, `UPDATE gt_r SET at = '2026-12-06 22:00:00.5+00:00'`},
		{"now() postgres", `UPDATE gt.r SET at = now()`, Postgres, `UPDATE gt.r SET at = TIMESTAMPTZ '2026-12-06 22:00:00.5+00:00'`},
		{"journal literal sqlite", `UPDATE gt.r SET at = TIMESTAMPTZ '2026-12-06 23:00:00.25+01'`, SQLite, `UPDATE gt_r SET at = '2026-12-06 22:00:00.25+00:00'`},
		{"begin sqlite", `BEGIN TRANSACTION`, SQLite, `BEGIN IMMEDIATE`},
		{"begin postgres", `BEGIN TRANSACTION`, Postgres, `BEGIN TRANSACTION`},
		{"replace sqlite", `INSERT OR REPLACE INTO gt.signatures VALUES (?, ?, ?, ?)`, SQLite, `INSERT OR REPLACE INTO gt_signatures VALUES (?, ?, ?, ?)`},
		{"replace postgres", `INSERT OR REPLACE INTO gt.signatures VALUES (?, ?, ?, ?)`, Postgres,
			`INSERT INTO gt.signatures VALUES ($1, $2, $3, $4) ON CONFLICT (dataset, version, signer) DO UPDATE SET sig = EXCLUDED.sig`},
		{"replace key-only postgres", `INSERT OR REPLACE INTO gt.keys VALUES (?)`, Postgres, `INSERT INTO gt.keys VALUES ($1) ON CONFLICT (k) DO NOTHING`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &DB{dialect: tc.d, now: func() time.Time { return now }}
			for _, s := range ddl {
				m := createTableRE.FindStringSubmatch(s)
				d.tables.register(m[1], m[2])
			}
			got, err := d.Rebind(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("Rebind(%q)\n got %q (%v)\nwant %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestRebindErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"upsert into an unknown table", `INSERT OR REPLACE INTO gt.nope VALUES (?)`, ErrUnsupported},
		{"bad timestamp literal", `SELECT TIMESTAMPTZ 'yesterday'`, ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &DB{dialect: Postgres, now: time.Now}
			if _, err := d.Rebind(tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	big := uint64(1) << 63
	if _, err := args([]any{big}); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("uint64 2^63: %v", err)
	}
	if _, err := args([]any{&big}); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("*uint64 2^63: %v", err)
	}
	in := []any{uint64(5), time.Date(2026, 1, 1, 1, 0, 0, 0, time.FixedZone("X", 3600)), "s"}
	out, err := args(in)
	if err != nil || out[0] != int64(5) || out[1].(time.Time).Location() != time.UTC || in[0] != uint64(5) {
		t.Fatalf("args = %v (%v); input changed: %v", out, err, in)
	}
}
