package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve/api"
	"github.com/groundtruth-dao/groundtruth/serve/croissant"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExportCroissant exports an attested version for training and checks
// the Croissant metadata against the Croissant 1.0 required fields, every
// file against its SHA-256, and the Parquet rows against the Merkle root.
func TestExportCroissant(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	m := sealAttested(t, data, 500)
	out := filepath.Join(dir, "export")
	so, se, code := runCLI(t, nil, "--data-dir", data, "datasets", "export", "votes@1", "--croissant", out, "--license", "https://spdx.org/licenses/CC-BY-4.0.html")
	if code != 0 {
		t.Fatalf("export: %d %s %s", code, so, se)
	}
	raw, err := os.ReadFile(filepath.Join(out, "croissant.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	checkCroissant(t, doc, out)
	if doc["gt:merkleRoot"] != m.MerkleRoot.String() {
		t.Fatalf("gt:merkleRoot %v", doc["gt:merkleRoot"])
	}
	if root := parquetRoot(t, filepath.Join(out, "votes@1.parquet"), &m.Schema); root != m.MerkleRoot {
		t.Fatalf("the Parquet rows hash to %s, the version's root is %s", root, m.MerkleRoot)
	}
	if typ := parquetType(t, filepath.Join(out, "votes@1.parquet"), "_row"); typ != "INT64" {
		t.Fatalf("_row is %s in Parquet; croissant.json declares an integer", typ)
	}
	// Golden: the metadata with the Parquet file's hash and size masked
	// (they depend on DuckDB's Parquet writer).
	masked := regexp.MustCompile(`("contentSize": ")\d+ B(",\s*"contentUrl": "votes@1.parquet",[^}]*"sha256": ")[0-9a-f]{64}`).ReplaceAll(raw, []byte("${1}N B${2}PARQUET"))
	golden := filepath.Join("testdata", "croissant.golden.json")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, masked, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil || !bytes.Equal(masked, want) {
		t.Fatalf("croissant.json differs from %s (go test -run TestExportCroissant -update):\n%s", golden, masked)
	}
	if _, se, code := runCLI(t, nil, "--data-dir", data, "datasets", "export", "votes@1", "--croissant", out); code != exitUsage || !strings.Contains(se, "not empty") {
		t.Fatalf("export into a non-empty folder: %d %s", code, se)
	}
	// An unattested version is not exported for training.
	st, err := store.Open(context.Background(), data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := st.Begin(context.Background(), "votes", datasetstest.VotesSchema(), store.WriteOptions{})
	rec := datasetstest.VotesBatch(nil, 500, 10)
	w.Write(rec)
	rec.Release()
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, se, code := runCLI(t, nil, "--data-dir", data, "datasets", "export", "votes@2", "--croissant", filepath.Join(dir, "v2")); code != exitAttest || !strings.Contains(se, "only attested versions") {
		t.Fatalf("export of an unattested version: %d %s", code, se)
	}
}

// checkCroissant checks the Croissant 1.0 required properties.
func checkCroissant(t *testing.T, doc map[string]any, dir string) {
	t.Helper()
	ctx, _ := doc["@context"].(map[string]any)
	for _, term := range []string{"@vocab", "sc", "cr", "dct", "conformsTo", "field", "recordSet", "source", "extract", "column", "fileObject", "dataType", "key"} {
		if ctx[term] == nil {
			t.Errorf("@context lacks %q", term)
		}
	}
	for _, p := range []string{"name", "description", "license", "url", "datePublished", "version", "citeAs"} {
		if s, _ := doc[p].(string); s == "" {
			t.Errorf("dataset property %q is missing", p)
		}
	}
	if doc["@type"] != "sc:Dataset" || doc["conformsTo"] != croissant.ConformsTo {
		t.Errorf("@type %v, conformsTo %v", doc["@type"], doc["conformsTo"])
	}
	if c, _ := doc["creator"].(map[string]any); c == nil || c["name"] == "" {
		t.Error("creator is missing")
	}
	ids := map[string]bool{}
	dist, _ := doc["distribution"].([]any)
	if len(dist) != 3 {
		t.Fatalf("distribution: %v", dist)
	}
	for _, d := range dist {
		fo := d.(map[string]any)
		for _, p := range []string{"@id", "name", "contentUrl", "encodingFormat", "sha256"} {
			if s, _ := fo[p].(string); s == "" || fo["@type"] != "cr:FileObject" {
				t.Fatalf("file object %v lacks %s", fo, p)
			}
		}
		b, err := os.ReadFile(filepath.Join(dir, fo["contentUrl"].(string)))
		if sum := sha256.Sum256(b); err != nil || hex.EncodeToString(sum[:]) != fo["sha256"] {
			t.Fatalf("%s: sha256 does not match the file (%v)", fo["name"], err)
		}
		ids[fo["@id"].(string)] = true
	}
	sets, _ := doc["recordSet"].([]any)
	if len(sets) != 1 {
		t.Fatalf("recordSet: %v", sets)
	}
	rs := sets[0].(map[string]any)
	fields, _ := rs["field"].([]any)
	if rs["@type"] != "cr:RecordSet" || rs["@id"] == nil || len(fields) != 11 || rs["key"] == nil {
		t.Fatalf("record set %v", rs)
	}
	for _, f := range fields {
		fd := f.(map[string]any)
		src, _ := fd["source"].(map[string]any)
		fo, _ := src["fileObject"].(map[string]any)
		ex, _ := src["extract"].(map[string]any)
		if fd["@type"] != "cr:Field" || fd["@id"] == nil || !strings.HasPrefix(fd["dataType"].(string), "sc:") || fo == nil || !ids[fo["@id"].(string)] || ex["column"] == nil {
			t.Fatalf("field %v", fd)
		}
	}
}

// parquetRoot loads a training export's Parquet rows as a training
// pipeline would and recomputes the Merkle root from them.
func parquetRoot(t *testing.T, path string, s *datasets.Schema) datasets.Hash {
	t.Helper()
	c, err := duckdb.NewConnector("", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	db := sql.OpenDB(c)
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), fmt.Sprintf("SELECT * EXCLUDE (_row) FROM read_parquet('%s') ORDER BY _row", path))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	vals := make([]any, len(s.Columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	acc := datasets.NewAccumulator(0)
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make(api.Values, len(s.Columns))
		for i, col := range s.Columns {
			row[i] = api.Field{Name: col.Name, Value: valueForm(col.Type, vals[i])}
		}
		leaves, err := api.Leaves(s, []api.Values{row})
		if err != nil {
			t.Fatal(err)
		}
		acc.Add(leaves[0])
	}
	return acc.Root()
}

// valueForm turns a Parquet value read by DuckDB into its value form.
func valueForm(t datasets.Type, v any) any {
	switch x := v.(type) {
	case nil, bool, string:
		return x
	case time.Time:
		return fmt.Sprint(x.UnixMicro())
	case float64:
		return fmt.Sprintf("0x%016x", math.Float64bits(x))
	}
	return fmt.Sprint(v)
}
