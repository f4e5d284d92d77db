package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// listFiles returns every file under root except the catalog and its WAL,
// with its size, so a test can tell that nothing was deleted or changed.
func listFiles(t *testing.T, root string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), store.CatalogFile) || d.Name() == "LOCK" {
			return nil
		}
		fi, _ := d.Info()
		rel, _ := filepath.Rel(root, path)
		out[rel] = fi.Size()
		return nil
	})
	return out
}

func sameFiles(t *testing.T, before, after map[string]int64) {
	t.Helper()
	for p, n := range before {
		if m, ok := after[p]; !ok || m != n {
			t.Errorf("file %s: %d bytes before, %d after (present %v)", p, n, m, ok)
		}
	}
	if len(after) != len(before) {
		var extra []string
		for p := range after {
			if _, ok := before[p]; !ok {
				extra = append(extra, p)
			}
		}
		sort.Strings(extra)
		t.Errorf("%d files before, %d after; new: %v", len(before), len(after), extra)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// twoVersions seals votes@1 and votes@2 into a new directory; it returns the
// directory and a copy of the catalog as it was after votes@1.
func twoVersions(t *testing.T) (root, backup string) {
	t.Helper()
	root = t.TempDir()
	backup = filepath.Join(t.TempDir(), "catalog-v1.duckdb")
	s := openStore(t, root)
	seal(t, s, 0, 500, store.WriteOptions{Job: "j", Checkpoint: []byte("500")})
	s.Close()
	copyFile(t, filepath.Join(root, store.CatalogFile), backup)
	s = openStore(t, root)
	seal(t, s, 500, 900, store.WriteOptions{Job: "j", Checkpoint: []byte("900")})
	s.Close()
	return root, backup
}

// TestCatalogLossNeverDeletesFiles replaces the catalog by nothing, an empty
// file, a damaged file, a new empty catalog and an older backup: a writing
// open refuses with ErrCatalogStale naming `catalog rebuild`, a read-only
// open refuses or warns, and not one file changes.
func TestCatalogLossNeverDeletesFiles(t *testing.T) {
	cases := []struct {
		name     string
		damage   func(t *testing.T, root, backup string)
		readable bool // a read-only open succeeds (and reports Stale)
	}{
		{"removed", func(t *testing.T, root, _ string) {
			os.Remove(filepath.Join(root, store.CatalogFile))
		}, false},
		{"truncated to zero", func(t *testing.T, root, _ string) {
			os.Truncate(filepath.Join(root, store.CatalogFile), 0)
		}, true},
		{"truncated", func(t *testing.T, root, _ string) {
			os.Truncate(filepath.Join(root, store.CatalogFile), 4096)
		}, false},
		{"new empty catalog", func(t *testing.T, root, _ string) {
			empty := t.TempDir()
			s := openStore(t, empty)
			s.Close()
			copyFile(t, filepath.Join(empty, store.CatalogFile), filepath.Join(root, store.CatalogFile))
		}, true},
		{"older backup", func(t *testing.T, root, backup string) {
			copyFile(t, backup, filepath.Join(root, store.CatalogFile))
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			root, backup := twoVersions(t)
			os.Remove(filepath.Join(root, store.CatalogFile+".wal"))
			tc.damage(t, root, backup)
			before := listFiles(t, root)
			if len(before) < 5 {
				t.Fatalf("only %d files sealed", len(before))
			}
			_, err := store.Open(ctx, root, store.Options{})
			if !errors.Is(err, store.ErrCatalogStale) || !strings.Contains(err.Error(), "groundtruth catalog rebuild") {
				t.Fatalf("writing open: %v", err)
			}
			ro, err := store.Open(ctx, root, store.Options{ReadOnly: true})
			switch {
			case tc.readable && err == nil:
				if ro.Stale() == nil || len(ro.Stale().Unindexed) == 0 {
					t.Errorf("read-only open does not report the stale catalog")
				}
				ro.Close()
			case tc.readable:
				// DuckDB may refuse a damaged file read-only; then it must say so.
				if !errors.Is(err, store.ErrCatalogStale) {
					t.Fatalf("read-only open: %v", err)
				}
			case !errors.Is(err, store.ErrCatalogStale) || !strings.Contains(err.Error(), "catalog rebuild"):
				t.Fatalf("read-only open: %v", err)
			}
			sameFiles(t, before, listFiles(t, root))
		})
	}
}

// TestNewDirectoryInitialises checks that a directory without manifests
// (new, or holding only segments of a write that never committed) opens.
func TestNewDirectoryInitialises(t *testing.T) {
	root := t.TempDir()
	orphan := filepath.Join(root, "segments", "ab", strings.Repeat("ab", 32)+".arrow")
	os.MkdirAll(filepath.Dir(orphan), 0o755)
	os.WriteFile(orphan, []byte("partial"), 0o644)
	s := openStore(t, root)
	seal(t, s, 0, 10, store.WriteOptions{})
	if _, err := os.Stat(orphan); err != nil {
		t.Fatalf("orphan deleted: %v", err)
	}
}

// TestMissingManifestRestored removes the manifest file of a committed
// version (a crash between the catalog commit and the file's rename): a
// writing open restores it from the catalog's copy and the version
// verifies; Check reports it until then.
func TestMissingManifestRestored(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	s := openStore(t, root)
	m := seal(t, s, 0, 100, store.WriteOptions{})
	s.Close()
	h, _ := m.Hash()
	path := filepath.Join(root, datasets.ManifestPath(h))
	os.Remove(path)
	ro, err := store.Open(ctx, root, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ro.Check(ctx)
	ro.Close()
	if err != nil || len(rep.CatalogRowsWithoutFiles) != 1 || rep.CatalogRowsWithoutFiles[0].Version != "votes@1" {
		t.Fatalf("check: %+v %v", rep, err)
	}
	s = openStore(t, root)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("manifest not restored: %v", err)
	}
	if v, err := s.Verify(ctx, "votes", 1); err != nil || v.Err() != nil {
		t.Fatalf("verify: %v %v", err, v.Err())
	}
}

// TestCheckDamagedDirectory damages a sealed directory in every way Check
// knows and expects each problem listed once; Prune deletes only the
// unreferenced files.
func TestCheckDamagedDirectory(t *testing.T) {
	ctx := context.Background()
	root, backup := twoVersions(t)
	s := openStore(t, root)
	rec1, _ := s.Version(ctx, "votes", 1)
	rec2, _ := s.Version(ctx, "votes", 2)
	if rep, err := s.Check(ctx); err != nil || !rep.Clean() {
		t.Fatalf("clean directory: %+v %v", rep, err)
	}
	s.Close()
	seg0 := rec1.Manifest.Segments[0]
	os.WriteFile(filepath.Join(root, seg0.Path), []byte("tampered"), 0o644)
	last := rec2.Manifest.Segments[len(rec2.Manifest.Segments)-1]
	os.Remove(filepath.Join(root, last.Path))
	os.MkdirAll(filepath.Join(root, "tmp"), 0o755)
	os.WriteFile(filepath.Join(root, "tmp", "segment-1.arrow"), []byte("left over"), 0o644)
	copyFile(t, backup, filepath.Join(root, store.CatalogFile)) // forgets votes@2
	os.Remove(filepath.Join(root, store.CatalogFile+".wal"))

	s, err := store.Open(ctx, root, store.Options{AllowStale: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want2 := datasets.ManifestPath(rec2.ManifestHash)
	checks := []struct {
		what string
		ok   bool
	}{
		{"unindexed votes@2", len(rep.UnindexedManifests) == 1 && rep.UnindexedManifests[0] == want2},
		{"missing segment of votes@2", len(rep.MissingFiles) == 1 && rep.MissingFiles[0].Path == last.Path && rep.MissingFiles[0].Version == "votes@2"},
		{"tampered segment", len(rep.HashMismatches) == 1 && rep.HashMismatches[0].Path == seg0.Path},
		{"tmp leftover only unreferenced", len(rep.UnreferencedFiles) == 1 && rep.UnreferencedFiles[0] == "tmp/segment-1.arrow"},
		{"not clean", !rep.Clean()},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %+v", c.what, rep)
		}
	}
	before := listFiles(t, root)
	if err := s.Prune(ctx, rep); err != nil {
		t.Fatal(err)
	}
	delete(before, filepath.FromSlash("tmp/segment-1.arrow"))
	sameFiles(t, before, listFiles(t, root))
}
