package config_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// TestCatalogField resolves the catalog: field: a relative SQLite path
// from the file's folder, an absolute path and a PostgreSQL URL as given,
// nothing when absent.
func TestCatalogField(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, value, want string
	}{
		{"absent", "", ""},
		{"relative file", "cat/catalog.sqlite", filepath.Join(dir, "cat/catalog.sqlite")},
		{"absolute file", "/srv/gt/catalog.sqlite", "/srv/gt/catalog.sqlite"},
		{"postgres", "postgres://gt@127.0.0.1:5432/gt?sslmode=disable", "postgres://gt@127.0.0.1:5432/gt?sslmode=disable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := goodConfig
			if tc.value != "" {
				text = strings.Replace(text, "version: 1\n", "version: 1\ncatalog: \""+tc.value+"\"\n", 1)
			}
			cfg, _, err := config.ParseWithSources(filepath.Join(dir, "groundtruth.yaml"), []byte(text), getenv, fakeRegistry(t), sources.Deps{})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Catalog != tc.want {
				t.Errorf("Catalog = %q, want %q", cfg.Catalog, tc.want)
			}
		})
	}
}
