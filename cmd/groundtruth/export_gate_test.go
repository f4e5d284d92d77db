package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestExportGate: datasets export refuses versions that are not attested
// unless --allow-unattested, which the output and a Parquet file's
// metadata then state; -o - writes the rows to stdout. A version the
// catalog says is attested but whose attestation evidence it lacks (the
// black-box attack F14: the status column flipped) is refused.
func TestExportGate(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	sealNotesVersion(t, data, []string{"a", "b"})
	setStatus := func(status string) {
		st, err := store.Open(context.Background(), data, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.SetVersionStatus(context.Background(), "notes", 1, status); err != nil {
			t.Fatal(err)
		}
	}
	// In this order: a revoked version stays revoked.
	for i, tc := range []struct {
		name, status string
		args         []string
		code         int
		stdout       string // in stdout
		stderr       string // in stderr
		meta         string // groundtruth.status in the Parquet file
		record       bool   // record the version's attestation evidence first
	}{
		{"sealed refused", attest.StatusSealed, nil, exitAttest, "", "notes@1 is sealed: only attested versions are exported; attest it first, or pass --allow-unattested", "", false},
		{"pending refused", attest.StatusPending, nil, exitPending, "", "notes@1 is pending", "", false},
		{"stdout unattested", attest.StatusPending, []string{"--format", "jsonl", "-o", "-", "--allow-unattested"}, 0, `"note":"b"`, "NOT ATTESTED: notes@1 is pending", "", false},
		{"attested without evidence refused", attest.StatusAttested, nil, exitAttest, "", "notes@1 is recorded attested but attestation check failed: the catalog holds no attestation evidence of notes@1", "", false},
		{"attested", attest.StatusAttested, nil, 0, "notes@1: 3 rows written to", "", "attested", true},
		{"stdout csv", attest.StatusAttested, []string{"--format", "csv", "-o", "-"}, 0, "_row,id,note,amount\n0,0,a,-1\n", "notes@1: 3 rows written to stdout", "", false},
		{"revoked refused", attest.StatusRevoked, nil, exitAttest, "", "its attestation was withdrawn", "", false},
		{"revoked allowed", attest.StatusRevoked, []string{"--allow-unattested"}, 0, "NOT ATTESTED: notes@1 is revoked", "", "revoked", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setStatus(tc.status)
			if tc.record {
				recordEvidence(t, data, "notes", 1)
			}
			out := filepath.Join(dir, fmt.Sprintf("out-%d.parquet", i))
			args := append([]string{"--data-dir", data, "datasets", "export", "notes@1", "-o", out}, tc.args...)
			stdout, stderr, code := runCLI(t, nil, args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if tc.meta != "" {
				if got := parquetMeta(t, out, "groundtruth.status"); got != tc.meta {
					t.Fatalf("groundtruth.status %q, want %q", got, tc.meta)
				}
			}
		})
	}
}

// parquetMeta reads one key of a Parquet file's key-value metadata.
func parquetMeta(t *testing.T, path, key string) string {
	t.Helper()
	c, err := duckdb.NewConnector("", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	db := sql.OpenDB(c)
	defer db.Close()
	var v string
	q := fmt.Sprintf("SELECT decode(value) FROM parquet_kv_metadata('%s') WHERE decode(key) = ?", path)
	if err := db.QueryRowContext(context.Background(), q, key).Scan(&v); err != nil {
		t.Fatalf("%s metadata %s: %v", path, key, err)
	}
	return v
}

// parquetType is the physical type of a column of a Parquet file.
func parquetType(t *testing.T, path, column string) string {
	t.Helper()
	c, err := duckdb.NewConnector("", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	db := sql.OpenDB(c)
	defer db.Close()
	var v string
	q := fmt.Sprintf("SELECT type FROM parquet_schema('%s') WHERE name = ?", path)
	if err := db.QueryRowContext(context.Background(), q, column).Scan(&v); err != nil {
		t.Fatalf("%s column %s: %v", path, column, err)
	}
	return v
}

// recordEvidence records registry attestation evidence of dataset@version
// (a receipt, no signatures), as an attest run leaves in the catalog.
func recordEvidence(t *testing.T, data, dataset string, version uint64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.Version(ctx, dataset, version)
	if err != nil {
		t.Fatal(err)
	}
	ev := attest.NewEvidence(attest.Target{Backend: attest.KindRegistry, ChainID: 31337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}, attest.StatementOf(rec.Manifest, rec.ManifestHash))
	ev.Receipts = append(ev.Receipts, &attest.Receipt{Backend: attest.KindRegistry, TxHash: common.Hash(rec.ManifestHash), Block: 1})
	doc, err := ev.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutAttestation(ctx, dataset, version, attest.KindRegistry, common.Hash(rec.ManifestHash).Hex(), doc); err != nil {
		t.Fatal(err)
	}
}
