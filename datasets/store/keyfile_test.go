package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

// smallKeyLimits lowers cacheRows and runRows so a few hundred rows take
// the paths of a large dataset: digest files, spilled runs.
func smallKeyLimits(t *testing.T) {
	oldCache, oldRuns := cacheRows, runRows
	cacheRows, runRows = 100, 64
	t.Cleanup(func() { cacheRows, runRows = oldCache, oldRuns })
}

func openKeysStore(t *testing.T, root string) *Store {
	t.Helper()
	s, err := Open(context.Background(), root, Options{Builder: datasets.BuilderOptions{SegmentRows: 300, BatchRows: 64}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// writeParts writes votes rows of each [from, to) range as one version; hook
// runs after Begin.
func writeParts(t *testing.T, s *Store, hook func(*VersionWriter), ranges ...[2]int) (*datasets.Manifest, error) {
	t.Helper()
	return writePartsOpts(t, s, WriteOptions{}, hook, ranges...)
}

func writePartsOpts(t *testing.T, s *Store, opts WriteOptions, hook func(*VersionWriter), ranges ...[2]int) (*datasets.Manifest, error) {
	t.Helper()
	w, err := s.Begin(context.Background(), "votes", datasetstest.VotesSchema(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if hook != nil {
		hook(w)
	}
	for _, r := range ranges {
		for off := r[0]; off < r[1]; off += 100 {
			rec := datasetstest.VotesBatch(nil, off, min(100, r[1]-off))
			err := w.Write(rec)
			rec.Release()
			if err != nil {
				w.Abort()
				return nil, err
			}
		}
	}
	return w.Commit()
}

// readKeyFile reads a whole digest file, checking it.
func readKeyFile(t *testing.T, root string, m *datasets.Manifest) []uint64 {
	t.Helper()
	h, _ := m.Hash()
	r, err := openKeyFile(root, h, m.RowCount)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	var out []uint64
	for {
		d, ok, err := r.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, d)
	}
}

// flip changes one byte of a file at off (from the end when negative).
func flip(t *testing.T, path string, off int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 {
		off += int64(len(b))
	}
	b[off] ^= 0x5a
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestKeyFileAcrossParts checks a dataset above cacheRows appended in
// parts: each version's sorted digests go to keydigests/<manifest hash>.keys
// (the parent's removed), a duplicate of a first-part row is found from
// the file after a reopen, and a missing or damaged file (before Begin or
// while the version is written) is recomputed from the segments with the
// same result (a file removed while the writer holds it open is still read); catalog check never lists the files.
func TestKeyFileAcrossParts(t *testing.T) {
	smallKeyLimits(t)
	bodyByte := int64(keyFileHead + 8*123 + 3)
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
		late   bool // damage after Begin, before Commit
	}{
		{"intact", func(*testing.T, string) {}, false},
		{"missing", func(t *testing.T, p string) { os.Remove(p) }, false},
		{"truncated", func(t *testing.T, p string) { os.Truncate(p, keyFileHead+8*10) }, false},
		{"checksum flipped", func(t *testing.T, p string) { flip(t, p, -1) }, false},
		{"digest flipped", func(t *testing.T, p string) { flip(t, p, bodyByte) }, false},
		{"count flipped", func(t *testing.T, p string) { flip(t, p, 16) }, false},
		{"magic flipped", func(t *testing.T, p string) { flip(t, p, 0) }, false},
		{"digest flipped while writing", func(t *testing.T, p string) { flip(t, p, bodyByte) }, true},
		// The writer holds the file open: removing it changes nothing it
		// reads (the same path as intact), truncating it does (recomputed).
		{"removed while writing", func(t *testing.T, p string) { os.Remove(p) }, true},
		{"truncated while writing", func(t *testing.T, p string) { os.Truncate(p, keyFileHead+8*10) }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			s := openKeysStore(t, root)
			var ms []*datasets.Manifest
			for _, r := range [][2]int{{0, 300}, {300, 600}, {600, 900}} {
				m, err := writeParts(t, s, nil, r)
				if err != nil {
					t.Fatal(err)
				}
				ms = append(ms, m)
			}
			files, _ := filepath.Glob(filepath.Join(root, keysDir, "*"))
			h3, _ := ms[2].Hash()
			path := filepath.Join(root, keyFileRel(h3))
			if len(files) != 1 || files[0] != path {
				t.Fatalf("digest files %v, want only %s", files, path)
			}
			if got := readKeyFile(t, root, ms[2]); len(got) != 900 {
				t.Fatalf("%d digests in the file, want 900", len(got))
			}
			if rep, err := s.Check(ctx); err != nil || !rep.Clean() {
				t.Fatalf("catalog check beside a digest file: %+v, %v", rep, err)
			}
			s.Close()
			s = openKeysStore(t, root) // another seed, no cache
			var hook func(*VersionWriter)
			if tc.late {
				hook = func(*VersionWriter) { tc.damage(t, path) }
			} else {
				tc.damage(t, path)
			}
			_, err := writeParts(t, s, hook, [2]int{900, 950}, [2]int{5, 6})
			want := "row 5 (sealed in votes@3) and row 950 (new)"
			if !errors.Is(err, ErrDuplicateKey) || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want %q", err, want)
			}
			m, err := writeParts(t, s, nil, [2]int{900, 950})
			if err != nil {
				t.Fatal(err)
			}
			if got := readKeyFile(t, root, m); len(got) != 950 {
				t.Fatalf("%d digests in the new file, want 950", len(got))
			}
			if _, err := os.Stat(path); err == nil {
				t.Fatal("the parent's digest file was left")
			}
			// The refused version's segments are orphans to prune; the
			// digest files are not listed.
			rep, err := s.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if js, _ := json.Marshal(rep); strings.Contains(string(js), keysDir+"/") {
				t.Fatalf("catalog check lists a digest file: %s", js)
			}
		})
	}
}

// TestKeyCheckMemoryBounded checks that a writer above cacheRows holds no
// earlier row's digest in memory: the kept digests are streamed from the
// parent's file through one chunk whatever the parent's size, and the
// merged set goes to a file.
func TestKeyCheckMemoryBounded(t *testing.T) {
	smallKeyLimits(t)
	tests := []struct {
		name  string
		parts [][2]int
	}{
		{"300 rows kept", [][2]int{{0, 300}}},
		{"3000 rows kept", [][2]int{{0, 1000}, {1000, 3000}}},
		{"6000 rows kept", [][2]int{{0, 3000}, {3000, 6000}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			s := openKeysStore(t, root)
			for _, r := range tc.parts {
				if _, err := writeParts(t, s, nil, r); err != nil {
					t.Fatal(err)
				}
			}
			var w *VersionWriter
			hook := func(vw *VersionWriter) {
				w = vw
				if vw.keys.kept != nil || vw.keys.keptRuns != nil || vw.keys.keptFile == nil {
					t.Errorf("kept digests not streamed from the file: %d in memory, runs %v", len(vw.keys.kept), vw.keys.keptRuns != nil)
				}
				if vw.keys.keptFile != nil && vw.keys.keptFile.heldBytes() != keyFileChunk {
					t.Errorf("the reader holds %d bytes, want %d", vw.keys.keptFile.heldBytes(), keyFileChunk)
				}
			}
			end := tc.parts[len(tc.parts)-1][1]
			if _, err := writeParts(t, s, hook, [2]int{end, end + 10}); err != nil {
				t.Fatal(err)
			}
			if w.keys.merged != nil || cap(w.keys.kept) != 0 {
				t.Fatalf("the merge held %d digests in memory", cap(w.keys.merged)+cap(w.keys.kept))
			}
		})
	}
}

// TestKeyFileNonAppend checks a non-append version of a dataset above
// cacheRows: the kept prefix's digests come from the segments (the
// parent's file covers rows it drops), a dropped row may come back, a kept
// one may not, and the new version's file holds exactly its rows.
func TestKeyFileNonAppend(t *testing.T) {
	smallKeyLimits(t)
	keep := func(n uint64) *uint64 { return &n }
	tests := []struct {
		name    string
		ranges  [][2]int
		rows    uint64
		wantErr string
	}{
		{"dropped rows re-added", [][2]int{{600, 650}}, 650, ""},
		{"a kept row re-added", [][2]int{{600, 650}, {5, 6}}, 0, "row 5 (sealed in votes@3) and row 650 (new)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			s := openKeysStore(t, root)
			for _, r := range [][2]int{{0, 300}, {300, 600}, {600, 900}} {
				if _, err := writeParts(t, s, nil, r); err != nil {
					t.Fatal(err)
				}
			}
			m, err := writePartsOpts(t, s, WriteOptions{KeepRows: keep(600), Note: "reorg"}, nil, tc.ranges...)
			if tc.wantErr != "" {
				if !errors.Is(err, ErrDuplicateKey) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := readKeyFile(t, root, m); uint64(len(got)) != tc.rows {
				t.Fatalf("%d digests in the file, want %d", len(got), tc.rows)
			}
		})
	}
}
