package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestHostileCatalogNotOfThisDirectory opens a data directory read-only
// (as `datasets list` does) with a catalog that cannot describe it: a
// zero-byte file (a truncated copy) and another directory's catalog are
// refused with ErrCatalogStale (exit 12) naming `catalog rebuild`; an older
// backup of its own catalog is still read, with the staleness reported.
func TestHostileCatalogNotOfThisDirectory(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, root, backup string)
		says   string // "" : the read-only open succeeds
	}{
		{"zero bytes", func(t *testing.T, root, _ string) {
			if err := os.WriteFile(filepath.Join(root, store.CatalogFile), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "is missing (or empty)"},
		{"another directory's catalog", func(t *testing.T, root, _ string) {
			other := t.TempDir()
			s := openStore(t, other)
			seal(t, s, 5000, 5100, store.WriteOptions{Job: "x"})
			s.Close()
			copyFile(t, filepath.Join(other, store.CatalogFile), filepath.Join(root, store.CatalogFile))
		}, "describes another data directory"},
		{"older backup of its own", func(t *testing.T, root, backup string) {
			copyFile(t, backup, filepath.Join(root, store.CatalogFile))
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root, backup := twoVersions(t)
			for _, ext := range []string{"-wal", "-shm", ".wal"} {
				os.Remove(filepath.Join(root, store.CatalogFile+ext))
			}
			tc.damage(t, root, backup)
			ro, err := store.Open(context.Background(), root, store.Options{ReadOnly: true})
			if tc.says == "" {
				if err != nil {
					t.Fatalf("read-only open: %v", err)
				}
				defer ro.Close()
				if ro.Stale() == nil {
					t.Fatal("the older catalog is not reported stale")
				}
				return
			}
			if err == nil {
				ro.Close()
				t.Fatal("a catalog that does not describe the directory was opened")
			}
			if !errors.Is(err, store.ErrCatalogStale) || !strings.Contains(err.Error(), "catalog rebuild") || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("read-only open: %v, want ErrCatalogStale saying %q and naming catalog rebuild", err, tc.says)
			}
		})
	}
}
