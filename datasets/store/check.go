package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// FileProblem is one problem catalog check found with a file.
type FileProblem struct {
	// Path is the store-relative path of the file ("catalog:D@N" for the
	// catalog's copy of a manifest).
	Path string `json:"path"`
	// Version names the version that references the file, as DATASET@N.
	Version string `json:"version,omitempty"`
	// Detail says what is wrong.
	Detail string `json:"detail"`
}

// CheckReport is what Check found; every list is sorted by path.
type CheckReport struct {
	// MissingFiles are files a manifest in manifests/ references that are
	// absent.
	MissingFiles []FileProblem `json:"missingFiles"`
	// CatalogRowsWithoutFiles are catalogued versions whose manifest,
	// segment or leaf-index file is absent.
	CatalogRowsWithoutFiles []FileProblem `json:"catalogRowsWithoutFiles"`
	// HashMismatches are files whose content does not match the hash they
	// are named by (or, for leaf indexes, the size their segment implies).
	HashMismatches []FileProblem `json:"hashMismatches"`
	// UnindexedManifests are manifests the catalog does not record: the
	// catalog is missing, empty or older; `catalog rebuild` indexes them.
	// They are never pruned.
	UnindexedManifests []string `json:"unindexedManifests"`
	// UnindexedJournal are journal entries the catalog does not record (an
	// older catalog); `catalog rebuild` replays them. Never pruned.
	UnindexedJournal []string `json:"unindexedJournal"`
	// ForgedJournal are journal entries holding a statement the store
	// never writes (see ErrJournalForged); `catalog rebuild` refuses them.
	ForgedJournal []FileProblem `json:"forgedJournal"`
	// UnreferencedFiles are segment files no manifest (catalogued or in
	// manifests/) references and leftovers of interrupted writes in tmp/;
	// Prune deletes exactly these.
	UnreferencedFiles []string `json:"unreferencedFiles"`
	// SQLCopies are Parquet copies of catalogued segments (sql/) that are
	// missing, unreadable, stale or of the wrong row count;
	// RepairSQLCopies recreates them from the segments.
	SQLCopies []FileProblem `json:"sqlCopies"`
	// Pruned lists the files Prune deleted.
	Pruned []string `json:"pruned,omitempty"`
	// RepairedCopies lists the Parquet copies RepairSQLCopies recreated.
	RepairedCopies []string `json:"repairedCopies,omitempty"`
}

// Clean reports whether the check found nothing (Pruned files do not count).
func (r *CheckReport) Clean() bool {
	return len(r.MissingFiles)+len(r.CatalogRowsWithoutFiles)+len(r.HashMismatches)+
		len(r.UnindexedManifests)+len(r.UnindexedJournal)+len(r.ForgedJournal)+len(r.UnreferencedFiles)+len(r.SQLCopies) == 0
}

// reference is a file some version references, with the size a leaf index
// must have.
type reference struct {
	version    string
	leavesSize int64 // -1 when not a leaf index
}

// Check compares the data directory's files with the catalog: files a
// version references that are missing, files nothing references, files
// whose content does not match their hash, and manifests the catalog lacks.
// It reads every segment and manifest file once and changes nothing.
func (s *Store) Check(ctx context.Context) (*CheckReport, error) {
	r := &CheckReport{}
	onDisk, err := manifestFiles(s.root)
	if err != nil {
		return nil, err
	}
	refs := map[string]reference{}
	if err := s.checkCatalogVersions(ctx, r, refs); err != nil {
		return nil, err
	}
	known, err := s.catalogManifests(ctx)
	if err != nil {
		return nil, err
	}
	for rel, h := range onDisk {
		if err := s.checkManifestFile(rel, h, known[h], r, refs); err != nil {
			return nil, err
		}
	}
	if err := s.checkStoredFiles(ctx, r, refs); err != nil {
		return nil, err
	}
	if err := s.checkJournal(ctx, r); err != nil {
		return nil, err
	}
	if err := s.checkSQLCopies(ctx, r); err != nil {
		return nil, err
	}
	r.sort()
	return r, nil
}

// checkCatalogVersions checks every catalogued version's files and records
// them as referenced.
func (s *Store) checkCatalogVersions(ctx context.Context, r *CheckReport, refs map[string]reference) error {
	rows, err := s.db.QueryContext(ctx, `SELECT dataset, version, manifest_hash, manifest_json FROM gt.versions ORDER BY dataset, version`)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	for rows.Next() {
		var ds, hx, mj string
		var v uint64
		if err := rows.Scan(&ds, &v, &hx, &mj); err != nil {
			return fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		name := fmt.Sprintf("%s@%d", ds, v)
		h, _ := datasets.ParseHash(hx)
		if got := datasets.Hash(sha256.Sum256([]byte(mj))); got != h {
			r.HashMismatches = append(r.HashMismatches, FileProblem{Path: "catalog:" + name, Version: name,
				Detail: fmt.Sprintf("the catalog's copy of the manifest hashes to %s, recorded %s", got, h)})
		}
		rel := datasets.ManifestPath(h)
		if !exists(filepath.Join(s.root, rel)) {
			r.CatalogRowsWithoutFiles = append(r.CatalogRowsWithoutFiles, FileProblem{Path: rel, Version: name, Detail: "manifest file missing"})
		}
		m, err := datasets.ParseManifest([]byte(mj))
		if err != nil {
			r.HashMismatches = append(r.HashMismatches, FileProblem{Path: "catalog:" + name, Version: name, Detail: err.Error()})
			continue
		}
		for _, p := range addSegmentRefs(m, name, refs) {
			if !exists(filepath.Join(s.root, p)) {
				r.CatalogRowsWithoutFiles = append(r.CatalogRowsWithoutFiles, FileProblem{Path: p, Version: name, Detail: "file missing"})
			}
		}
	}
	return rows.Err()
}

// checkManifestFile checks one manifest file: its hash, and, when the
// catalog does not record it, its segments (which it keeps referenced).
func (s *Store) checkManifestFile(rel string, h datasets.Hash, catalogued bool, r *CheckReport, refs map[string]reference) error {
	raw, err := os.ReadFile(filepath.Join(s.root, rel))
	if err != nil {
		return fmt.Errorf("%w: reading %s: %v", ErrCatalog, rel, err)
	}
	if got := datasets.Hash(sha256.Sum256(raw)); got != h {
		r.HashMismatches = append(r.HashMismatches, FileProblem{Path: rel, Detail: fmt.Sprintf("content hashes to %s", got)})
	}
	if catalogued {
		return nil
	}
	r.UnindexedManifests = append(r.UnindexedManifests, rel)
	m, err := datasets.ParseManifest(raw)
	if err != nil {
		r.HashMismatches = append(r.HashMismatches, FileProblem{Path: rel, Detail: err.Error()})
		return nil
	}
	name := fmt.Sprintf("%s@%d", m.Dataset, m.Version)
	for _, p := range addSegmentRefs(m, name, refs) {
		if !exists(filepath.Join(s.root, p)) {
			r.MissingFiles = append(r.MissingFiles, FileProblem{Path: p, Version: name, Detail: "file missing"})
		}
	}
	return nil
}

// checkJournal compares the journal files with the catalog's gt.journal:
// entries the catalog lacks, entries without their file, damaged files.
func (s *Store) checkJournal(ctx context.Context, r *CheckReport) error {
	files, err := journalFiles(s.root)
	if err != nil {
		return err
	}
	known, err := s.catalogJournal(ctx)
	if err != nil {
		return err
	}
	for rel, h := range files {
		raw, err := os.ReadFile(filepath.Join(s.root, rel))
		if err != nil {
			return fmt.Errorf("%w: reading %s: %v", ErrCatalog, rel, err)
		}
		if got := datasets.Hash(sha256.Sum256(raw)); got != h {
			r.HashMismatches = append(r.HashMismatches, FileProblem{Path: rel, Detail: fmt.Sprintf("content hashes to %s", got)})
		}
		if _, ok := known[h]; !ok {
			r.UnindexedJournal = append(r.UnindexedJournal, rel)
		}
		if p := forgedJournal(rel, raw); p != nil {
			r.ForgedJournal = append(r.ForgedJournal, *p)
		}
	}
	for h := range known {
		if _, ok := files[JournalPath(h)]; !ok {
			r.CatalogRowsWithoutFiles = append(r.CatalogRowsWithoutFiles, FileProblem{Path: JournalPath(h), Detail: "journal entry file missing"})
		}
	}
	return nil
}

// addSegmentRefs records a manifest's segment and leaf-index files as
// referenced and returns their paths.
func addSegmentRefs(m *datasets.Manifest, version string, refs map[string]reference) []string {
	var out []string
	for _, seg := range m.Segments {
		lp := datasets.LeavesPath(seg.SHA256)
		if _, ok := refs[seg.Path]; !ok {
			refs[seg.Path] = reference{version: version, leavesSize: -1}
			refs[lp] = reference{version: version, leavesSize: int64(seg.Rows) * 32}
		}
		out = append(out, seg.Path, lp)
	}
	return out
}

// checkStoredFiles walks segments/ and tmp/: unreferenced files, segment
// hashes and leaf-index sizes. Derived caches outside them (sql/, checked
// by checkSQLCopies; keydigests/, the key digest files a writer checks and
// recomputes itself) are never listed as unreferenced.
func (s *Store) checkStoredFiles(ctx context.Context, r *CheckReport, refs map[string]reference) error {
	for _, dir := range []string{"segments", datasets.TmpDir} {
		err := filepath.WalkDir(filepath.Join(s.root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(s.root, path)
			rel = filepath.ToSlash(rel)
			ref, ok := refs[rel]
			if !ok {
				r.UnreferencedFiles = append(r.UnreferencedFiles, rel)
				return nil
			}
			if p := checkContent(path, rel, ref); p != nil {
				r.HashMismatches = append(r.HashMismatches, *p)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%w: walking %s: %v", ErrCatalog, dir, err)
		}
	}
	return nil
}

// checkContent checks a referenced file: a segment's SHA-256 against its
// name, a leaf index's size against its segment's rows.
func checkContent(path, rel string, ref reference) *FileProblem {
	if ref.leavesSize >= 0 {
		fi, err := os.Stat(path)
		if err != nil || fi.Size() != ref.leavesSize {
			return &FileProblem{Path: rel, Version: ref.version, Detail: fmt.Sprintf("leaf index is %d bytes, want %d (32 per row)", sizeOf(fi), ref.leavesSize)}
		}
		return nil
	}
	want, err := datasets.ParseHash(strings.TrimSuffix(filepath.Base(rel), ".arrow"))
	if err != nil {
		return &FileProblem{Path: rel, Version: ref.version, Detail: "name is not a SHA-256"}
	}
	got, err := datasets.FileSHA256(path)
	if err != nil {
		return &FileProblem{Path: rel, Version: ref.version, Detail: err.Error()}
	}
	if got != want {
		return &FileProblem{Path: rel, Version: ref.version, Detail: fmt.Sprintf("content hashes to %s", got)}
	}
	return nil
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.Size()
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func (r *CheckReport) sort() {
	for _, l := range [][]FileProblem{r.MissingFiles, r.CatalogRowsWithoutFiles, r.HashMismatches, r.ForgedJournal, r.SQLCopies} {
		sort.Slice(l, func(i, j int) bool { return l[i].Path < l[j].Path })
	}
	sort.Strings(r.UnindexedManifests)
	sort.Strings(r.UnindexedJournal)
	sort.Strings(r.UnreferencedFiles)
}

// Prune deletes the unreferenced files a Check listed (and nothing else),
// recording them in r.Pruned. It needs the writer lock, so no version can be
// in the middle of being written.
func (s *Store) Prune(ctx context.Context, r *CheckReport) error {
	if s.opts.ReadOnly {
		return fmt.Errorf("%w: prune needs the store opened for writing", ErrReadOnly)
	}
	for _, rel := range r.UnreferencedFiles {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !strings.HasPrefix(rel, "segments/") && !strings.HasPrefix(rel, datasets.TmpDir+"/") {
			return fmt.Errorf("%w: refusing to prune %s: only segments/ and tmp/ files are pruned", ErrCatalog, rel)
		}
		if err := os.Remove(filepath.Join(s.root, filepath.FromSlash(rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: pruning %s: %v", ErrCatalog, rel, err)
		}
		s.log.Info("pruned unreferenced file", "path", rel)
		r.Pruned = append(r.Pruned, rel)
	}
	return nil
}
