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

// The journal files are the only source of journal entries. The catalog's
// gt.journal table indexes them and keeps a copy of each body, but a
// catalog row is never turned into a journal file: anyone who can write the
// catalog alone could plant a hash-valid body there. A writer whose commit
// was not followed by the file's rename (a crash, a failed rename) leaves
// the entry staged in tmp/ (journal-*, fsynced before the commit); the next
// writing open renames that staged file into place. A catalog row with
// neither file nor staged copy makes a writing open fail with
// ErrJournalUnproven; `catalog check` lists it and `catalog rebuild` (which
// replays the files only) drops it.

// ErrJournalUnproven means the catalog records a journal entry for which
// the data directory holds no file and no staged copy: the row proves
// nothing (a catalog writer can plant one), so it is not restored. It wraps
// ErrCatalogStale (exit 12, `catalog rebuild`).
var ErrJournalUnproven = errors.New("journal entry recorded only in the catalog")

// stagedJournalPattern names the temporary files of journal entries in tmp/.
const stagedJournalPattern = "journal-*"

// publishStaged renames a staged journal entry to root/rel and fsyncs the
// folder. An existing target (same name, same bytes) is kept and the staged
// file removed, and so is a staged file another process renamed into place
// first (the writer and a writing open may publish the same entry at once).
// When the rename fails otherwise the staged file is kept: it is the proof
// the next writing open restores the entry from.
func publishStaged(root, staged, rel string) error {
	final := filepath.Join(root, rel)
	if _, err := os.Stat(final); err == nil {
		if err := os.Remove(staged); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return publishRenamed(root, staged, rel)
}

// publishRenamed is publishStaged after its check for an entry in place:
// it renames staged to root/rel and fsyncs the folder.
func publishRenamed(root, staged, rel string) error {
	final := filepath.Join(root, rel)
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.Rename(staged, final); err != nil {
		// Another process (the entry's writer, or a writing open restoring
		// it) renamed the same staged file first: the entry is in place.
		if _, serr := os.Stat(final); errors.Is(err, fs.ErrNotExist) && serr == nil {
			return nil
		}
		return fmt.Errorf("rename into %s: %w", final, err)
	}
	return datasets.SyncDir(dir)
}

// stagedJournals hashes the staged journal entries in tmp/ and returns the
// path of each one whose hash is in want.
func stagedJournals(root string, want map[datasets.Hash]bool) (map[datasets.Hash]string, error) {
	matches, err := filepath.Glob(filepath.Join(root, datasets.TmpDir, stagedJournalPattern))
	if err != nil {
		return nil, err
	}
	out := map[datasets.Hash]string{}
	for _, p := range matches {
		raw, err := os.ReadFile(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // published meanwhile by its writer
				continue
			}
			return nil, fmt.Errorf("%w: reading staged journal entry %s: %v", ErrCatalog, p, err)
		}
		if h := datasets.Hash(sha256.Sum256(raw)); want[h] {
			out[h] = p
		}
	}
	return out, nil
}

// restoreJournal puts into journal/ the entries the catalog records but the
// directory lacks, from their staged copies in tmp/. Entries with no staged
// copy are not written: a writing open then fails with ErrJournalUnproven
// naming them.
func (s *Store) restoreJournal(ctx context.Context, entries map[string]datasets.Hash) error {
	known, err := s.catalogJournal(ctx)
	if err != nil {
		return err
	}
	missing := map[datasets.Hash]bool{}
	for h := range known {
		if _, ok := entries[JournalPath(h)]; !ok {
			missing[h] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	staged, err := stagedJournals(s.root, missing)
	if err != nil {
		return err
	}
	var unproven []string
	for h := range missing {
		rel := JournalPath(h)
		if p, ok := staged[h]; ok {
			if err := publishStaged(s.root, p, rel); err != nil {
				return fmt.Errorf("%w: restoring journal entry %s from %s: %v", ErrCatalog, rel, p, err)
			}
			s.log.Warn("restored a journal entry from its staged copy", "path", rel, "staged", p)
			continue
		}
		if fileHashes(s.root, rel, h) { // its writer published it after we listed journal/
			continue
		}
		unproven = append(unproven, rel)
	}
	if len(unproven) == 0 {
		return nil
	}
	sort.Strings(unproven)
	if s.opts.AllowStale { // catalog check lists them; catalog rebuild drops them
		s.log.Warn("the catalog records journal entries that are not in the directory; not restored", "entries", unproven)
		return nil
	}
	return fmt.Errorf("%w: %w: the catalog records %d journal entries that are neither in %s nor staged in %s (%s): a catalog row is never restored as a journal file; %s",
		ErrJournalUnproven, ErrCatalogStale, len(unproven), filepath.Join(s.root, "journal"), filepath.Join(s.root, datasets.TmpDir), strings.Join(unproven, ", "), rebuildHint)
}

// fileHashes reports whether root/rel exists and hashes to h.
func fileHashes(root, rel string, h datasets.Hash) bool {
	raw, err := os.ReadFile(filepath.Join(root, rel))
	return err == nil && datasets.Hash(sha256.Sum256(raw)) == h
}
