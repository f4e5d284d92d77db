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

// The files of the data directory are the truth; the catalog is an index of
// them. A catalog that does not know a manifest present in manifests/ is
// missing, empty, damaged or older than the files (a restored backup): the
// store then refuses to write (a write would reuse the lost versions'
// numbers) and never deletes the files the catalog does not know.

// rebuildHint is appended to every error about a catalog that does not match
// the files.
const rebuildHint = "nothing was changed; run `groundtruth catalog rebuild` to rebuild the catalog from the files (`groundtruth catalog check` lists the differences)"

// StaleCatalog describes the manifests in the data directory that the
// catalog does not record.
type StaleCatalog struct {
	// CatalogMissing is true when there is no catalog file at all.
	CatalogMissing bool `json:"catalogMissing"`
	// Damaged is the error the catalog file gave when it could not be
	// opened ("" when it opened).
	Damaged string `json:"damaged,omitempty"`
	// Unindexed are the store-relative paths of manifests the catalog lacks.
	Unindexed []string `json:"unindexed"`
	// UnindexedJournal are the store-relative paths of journal entries the
	// catalog lacks.
	UnindexedJournal []string `json:"unindexedJournal,omitempty"`
	// First names the first unindexed version as DATASET@N, when readable.
	First string `json:"first,omitempty"`
	// Foreign counts the versions the catalog records whose manifests are
	// not in the directory: with unindexed manifests, the catalog
	// describes another data directory, and even a read-only open refuses.
	Foreign int `json:"foreign,omitempty"`
}

// Err returns the ErrCatalogStale error describing s.
func (s *StaleCatalog) Err(root string) error {
	what := "the catalog " + filepath.Join(root, CatalogFile)
	switch {
	case s.CatalogMissing:
		what += " is missing (or empty) but"
	case s.Damaged != "":
		what += " cannot be opened (" + s.Damaged + ") and"
	}
	first := ""
	if s.First != "" {
		first = " (first: " + s.First + ")"
	}
	if s.Foreign > 0 && len(s.Unindexed) > 0 {
		return fmt.Errorf("%w: %s records %d version(s) whose manifests are not in %s and does not record %d that are%s: it describes another data directory; %s",
			ErrCatalogStale, what, s.Foreign, filepath.Join(root, "manifests"), len(s.Unindexed), first, rebuildHint)
	}
	return fmt.Errorf("%w: %s does not record %d version(s) whose manifests are in %s%s and %d journal entries in %s: it is missing, empty, damaged or older than the files; %s",
		ErrCatalogStale, what, len(s.Unindexed), filepath.Join(root, "manifests"), first, len(s.UnindexedJournal), filepath.Join(root, "journal"), rebuildHint)
}

// Stale returns what the catalog lacks when the store was opened with a
// catalog that does not match the files (read-only or AllowStale), else nil.
func (s *Store) Stale() *StaleCatalog { return s.stale }

// manifestFiles lists the store-relative paths of the files under
// manifests/ whose names are manifest hashes, mapped to the hash.
func manifestFiles(root string) (map[string]datasets.Hash, error) {
	return hashedFiles(root, "manifests")
}

// journalFiles lists the journal entries under journal/ by path.
func journalFiles(root string) (map[string]datasets.Hash, error) {
	return hashedFiles(root, "journal")
}

// hashedFiles lists the files <dir>/<h[0:2]>/<h>.json, mapped to h.
func hashedFiles(root, dir string) (map[string]datasets.Hash, error) {
	out := map[string]datasets.Hash{}
	err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".json") {
			return nil
		}
		h, err := datasets.ParseHash(strings.TrimSuffix(d.Name(), ".json"))
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		out[filepath.ToSlash(rel)] = h
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: listing %s in %s: %v", ErrCatalog, dir, root, err)
	}
	return out, nil
}

// staleness compares the manifests and journal entries on disk with the
// catalog's versions and journal.
func (s *Store) staleness(ctx context.Context, manifests, entries map[string]datasets.Hash) (*StaleCatalog, error) {
	known, err := s.catalogManifests(ctx)
	if err != nil {
		return nil, err
	}
	knownJ, err := s.catalogJournal(ctx)
	if err != nil {
		return nil, err
	}
	st := &StaleCatalog{CatalogMissing: s.inMemory && s.damaged == "", Damaged: s.damaged}
	for rel, h := range manifests {
		if !known[h] {
			st.Unindexed = append(st.Unindexed, rel)
		}
	}
	for rel, h := range entries {
		if _, ok := knownJ[h]; !ok {
			st.UnindexedJournal = append(st.UnindexedJournal, rel)
		}
	}
	if len(st.Unindexed)+len(st.UnindexedJournal) == 0 {
		return nil, nil
	}
	onDisk := make(map[datasets.Hash]bool, len(manifests))
	for _, h := range manifests {
		onDisk[h] = true
	}
	for h := range known {
		if !onDisk[h] {
			st.Foreign++
		}
	}
	sort.Strings(st.Unindexed)
	sort.Strings(st.UnindexedJournal)
	if len(st.Unindexed) > 0 {
		st.First = describeManifest(s.root, st.Unindexed[0])
	}
	return st, nil
}

// catalogJournal returns the catalog's journal entries by hash.
func (s *Store) catalogJournal(ctx context.Context) (map[datasets.Hash]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT hash, body FROM gt.journal`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	out := map[datasets.Hash]string{}
	for rows.Next() {
		var hx, body string
		if err := rows.Scan(&hx, &body); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		h, err := datasets.ParseHash(hx)
		if err != nil {
			return nil, fmt.Errorf("%w: journal hash %q: %v", ErrCatalog, hx, err)
		}
		out[h] = body
	}
	return out, rows.Err()
}

// catalogManifests returns the manifest hashes of every catalogued version.
func (s *Store) catalogManifests(ctx context.Context) (map[datasets.Hash]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT manifest_hash FROM gt.versions`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	out := map[datasets.Hash]bool{}
	for rows.Next() {
		var hx string
		if err := rows.Scan(&hx); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		h, err := datasets.ParseHash(hx)
		if err != nil {
			return nil, fmt.Errorf("%w: manifest hash %q: %v", ErrCatalog, hx, err)
		}
		out[h] = true
	}
	return out, rows.Err()
}

// describeManifest names a manifest file's version as DATASET@N ("" when
// the file cannot be read or parsed).
func describeManifest(root, rel string) string {
	raw, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		return ""
	}
	m, err := datasets.ParseManifest(raw)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s@%d", m.Dataset, m.Version)
}

// checkFilesAgainstCatalog runs at open: it refuses a catalog that does not
// know the manifests on disk (unless read-only, where it warns, or
// AllowStale), and, for a writer, restores manifest files the catalog
// records but the directory lacks (a crash between the catalog commit and
// the manifest's rename).
func (s *Store) checkFilesAgainstCatalog(ctx context.Context, manifests, entries map[string]datasets.Hash) error {
	st, err := s.staleness(ctx, manifests, entries)
	if err != nil {
		return err
	}
	if st != nil {
		s.stale = st
		if s.opts.ReadOnly && !s.opts.AllowStale {
			if s.journalRevoked, err = s.journalRevocations(st.UnindexedJournal); err != nil {
				return err
			}
		}
		switch {
		case s.opts.AllowStale:
		case s.opts.ReadOnly && st.Foreign > 0 && len(st.Unindexed) > 0:
			return st.Err(s.root) // another directory's catalog: nothing it says is about these files
		case s.opts.ReadOnly:
			s.log.Warn("the catalog does not match the files; reading what it records", "error", st.Err(s.root))
		default:
			return st.Err(s.root)
		}
	}
	if s.opts.ReadOnly || s.inMemory {
		return nil
	}
	if err := s.restoreManifests(ctx, manifests); err != nil {
		return err
	}
	return s.restoreJournal(ctx, entries)
}

// restoreManifests writes the manifest files of catalogued versions that
// are missing from manifests/, from the catalog's copy, after checking the
// copy's hash.
func (s *Store) restoreManifests(ctx context.Context, onDisk map[string]datasets.Hash) error {
	rows, err := s.db.QueryContext(ctx, `SELECT dataset, version, manifest_hash, manifest_json FROM gt.versions`)
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
		h, err := datasets.ParseHash(hx)
		if err != nil {
			return fmt.Errorf("%w: manifest hash of %s@%d: %v", ErrCatalog, ds, v, err)
		}
		rel := datasets.ManifestPath(h)
		if _, ok := onDisk[rel]; ok {
			continue
		}
		if got := datasets.Hash(sha256.Sum256([]byte(mj))); got != h {
			s.log.Error("the catalog's copy of a missing manifest does not match its hash; not restored", "version", fmt.Sprintf("%s@%d", ds, v), "want", h, "got", got)
			continue
		}
		if err := datasets.WriteFileAtomic(s.root, rel, []byte(mj)); err != nil {
			return fmt.Errorf("%w: restoring the manifest of %s@%d: %v", ErrCatalog, ds, v, err)
		}
		s.log.Warn("restored a missing manifest file from the catalog", "version", fmt.Sprintf("%s@%d", ds, v), "path", rel)
	}
	return rows.Err()
}

// stageFile writes data to a new temporary file under tmp/ and makes it
// durable; publishFile later renames it into place.
func stageFile(root string, data []byte) (string, error) {
	return stageFileAs(root, "manifest-*", data)
}

// stageFileAs is stageFile with the temporary file's name pattern.
func stageFileAs(root, pattern string, data []byte) (string, error) {
	f, err := datasets.CreateTemp(root, pattern)
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("staging %s: %w", name, err)
	}
	return name, nil
}

// publishFile renames a staged temporary file to root/rel and fsyncs the
// folder. An existing target (same name, same bytes) is kept and the
// temporary file removed.
func publishFile(root, staged, rel string) error {
	final := filepath.Join(root, rel)
	if _, err := os.Stat(final); err == nil {
		return os.Remove(staged)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		os.Remove(staged)
		return err
	}
	if err := os.Rename(staged, final); err != nil {
		os.Remove(staged)
		return fmt.Errorf("rename into %s: %w", final, err)
	}
	return datasets.SyncDir(dir)
}
