package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
)

// TestDatasetsSQL runs the SQL `datasets sql` prints in a plain DuckDB, as
// the duckdb CLI would, and gets the version's rows from the Parquet files.
func TestDatasetsSQL(t *testing.T) {
	src := shareddata.SharedData(t, "governance/compound_governor_bravo.csv")
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "bravo.csv")
	copyFile(t, src, csvPath)
	data := filepath.Join(dir, "data")
	mustRun(t, "ingest", "--config", bravoConfig(t, dir, csvPath), "--job", "compound-bravo")

	script := mustRun(t, "--data-dir", data, "datasets", "sql", "compound_bravo")
	if !strings.Contains(script, `-- no view "compound_bravo": dataset compound_bravo has no attested, non-revoked version (not attested yet: compound_bravo@1 (sealed))`) {
		t.Errorf("the script does not say why there is no view compound_bravo:\n%.600s", script)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		t.Fatalf("running the script: %v", err)
	}
	for _, tc := range []struct{ query, want string }{
		{`SELECT count(*)::VARCHAR FROM "compound_bravo@1" WHERE event_name = 'VoteCast'`, "7733"},
		{`SELECT max(_row)::VARCHAR FROM "compound_bravo@1"`, "8001"},
		{`SELECT status || ' ' || "rows" FROM versions`, "sealed 8002"},
	} {
		var got string
		if err := db.QueryRow(tc.query).Scan(&got); err != nil || got != tc.want {
			t.Errorf("%s = %q (%v), want %q", tc.query, got, err, tc.want)
		}
	}
	if _, err := db.Query(`SELECT count(*) FROM compound_bravo`); err == nil {
		t.Error("the view compound_bravo exists though no version is attested")
	}
	if _, errOut, code := runCLI(t, nil, "--data-dir", data, "datasets", "sql", "compound_bravo@7"); code == 0 || !strings.Contains(errOut, "no version compound_bravo@7") {
		t.Errorf("datasets sql of a missing version: exit %d, %s", code, errOut)
	}
}
