package serve_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestQueryHidesHomeDirectory (attack J): neither DuckDB's settings nor
// its errors name the server's home directory (extension and secret
// directories live under it by default).
func TestQueryHidesHomeDirectory(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil || len(home) < 2 {
		t.Fatalf("no home directory to look for: %q %v", home, err)
	}
	f := newFixture(t, serve.Config{})
	for _, sql := range []string{
		`SELECT current_setting('home_directory') AS h, current_setting('extension_directory') AS e, current_setting('secret_directory') AS s`,
		`SELECT name, value FROM duckdb_settings() WHERE value LIKE '%/%'`,
		`SELECT * FROM duckdb_extensions()`,
		`SELECT st_point(1, 2)`,
		`SELECT * FROM which_secret('s3://bucket/x', 's3')`,
	} {
		res, err := f.srv.Query(context.Background(), serve.LocalPrincipal(), sql)
		text := ""
		if err != nil {
			text = f.srv.PublicError(err).Error()
		} else {
			b, _ := json.Marshal(res)
			text = string(b)
		}
		if strings.Contains(text, home+"/") || strings.Contains(text, ".duckdb/") {
			t.Fatalf("%s names the home directory %s: %s", sql, home, text)
		}
	}
}
