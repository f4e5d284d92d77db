package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// RebuildReport says what Rebuild read and where the previous catalog went.
type RebuildReport struct {
	Datasets       int `json:"datasets"`
	Versions       int `json:"versions"`
	JournalEntries int `json:"journalEntries"`
	// Skipped are files that could not be used (damaged, or a second
	// manifest for a version no journal entry names).
	Skipped []FileProblem `json:"skipped"`
	// Replaced is where the previous catalog file was moved ("" when there
	// was none); it is never deleted.
	Replaced string `json:"replaced,omitempty"`
}

// Rebuild makes a new catalog from the files alone: every version from its
// manifest (segments, parents, compact range), then every journal entry
// replayed in order (checkpoints, statuses, signatures, attestations,
// revocations, steward keys, validation runs, quarantine and decisions,
// lineage, the run history). The new catalog is built under tmp/ and
// installed only when complete; the previous catalog file is kept as
// catalog.sqlite.replaced-<time>. A PostgreSQL catalog is rebuilt in place
// in one transaction, its previous schema kept (rebuildPostgres). The store must be open for writing with
// AllowStale; afterwards it is an ordinary open store.
func (s *Store) Rebuild(ctx context.Context) (*RebuildReport, error) {
	if s.opts.ReadOnly {
		return nil, fmt.Errorf("%w: rebuild needs the store opened for writing", ErrReadOnly)
	}
	rep := &RebuildReport{Skipped: []FileProblem{}}
	if err := os.MkdirAll(filepath.Join(s.root, datasets.TmpDir), 0o755); err != nil {
		return nil, err
	}
	if catalogdb.IsPostgres(s.location()) {
		return s.rebuildPostgres(ctx)
	}
	path := filepath.Join(s.root, datasets.TmpDir, fmt.Sprintf("catalog-rebuild-%d.sqlite", time.Now().UnixNano()))
	if err := s.buildCatalog(ctx, path, rep); err != nil {
		for _, side := range []string{"", "-wal", "-shm"} {
			removeQuiet(path + side)
		}
		return nil, err
	}
	if err := s.installCatalog(ctx, path, rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// buildCatalog writes the new catalog, an SQLite file, at path.
func (s *Store) buildCatalog(ctx context.Context, path string, rep *RebuildReport) error {
	db, err := catalogdb.Open(ctx, path, catalogdb.Options{})
	if err != nil {
		return fmt.Errorf("%w: creating %s: %v", ErrCatalog, path, err)
	}
	defer db.Close()
	r, err := s.RebuildInto(ctx, db)
	if err != nil {
		return err
	}
	*rep = *r
	return nil
}

// installCatalog moves the old catalog aside, renames the new one into
// place and reopens the store on it.
func (s *Store) installCatalog(ctx context.Context, path string, rep *RebuildReport) error {
	s.db.Close()
	s.db = nil
	final := s.location()
	if _, err := os.Stat(final); err == nil {
		rep.Replaced = final + ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(final, rep.Replaced); err != nil {
			return fmt.Errorf("%w: moving the old catalog aside: %v", ErrCatalog, err)
		}
		for _, side := range []string{"-wal", "-shm"} {
			if err := os.Rename(final+side, rep.Replaced+side); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%w: moving the old catalog's %s aside: %v", ErrCatalog, side, err)
			}
		}
	}
	if err := os.Rename(path, final); err != nil {
		return fmt.Errorf("%w: installing the rebuilt catalog: %v", ErrCatalog, err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		removeQuiet(path + side)
	}
	if err := datasets.SyncDir(filepath.Dir(final)); err != nil {
		return err
	}
	return s.reopenCatalog(ctx)
}

// journalFile is a parsed journal entry.
type journalFile struct {
	hash  datasets.Hash
	body  []byte
	entry journalEntry
}

// readJournal parses every journal entry, oldest first, and returns the
// manifest hashes their version records name.
func (s *Store) readJournal(rep *RebuildReport) ([]journalFile, map[datasets.Hash]bool, error) {
	files, err := journalFiles(s.root)
	if err != nil {
		return nil, nil, err
	}
	var out []journalFile
	named := map[datasets.Hash]bool{}
	for rel, h := range files {
		body, err := os.ReadFile(filepath.Join(s.root, rel))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: reading %s: %v", ErrCatalog, rel, err)
		}
		var e journalEntry
		if datasets.Hash(sha256.Sum256(body)) != h || json.Unmarshal(body, &e) != nil || e.Format != JournalFormat {
			rep.Skipped = append(rep.Skipped, FileProblem{Path: rel, Detail: "damaged journal entry (hash, JSON or format)"})
			continue
		}
		if err := checkJournalEntry(rel, e); err != nil {
			return nil, nil, fmt.Errorf("refusing the journal, nothing replayed: %w", err)
		}
		for _, st := range e.Statements {
			if n := len(st.Args); n > 0 && st.SQL == versionRecordSQL {
				if mh, err := datasets.ParseHash(fmt.Sprint(st.Args[n-1].V)); err == nil {
					named[mh] = true
				}
			}
		}
		out = append(out, journalFile{hash: h, body: body, entry: e})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].entry, out[j].entry
		if a.At != b.At {
			return a.At < b.At
		}
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		return out[i].hash.String() < out[j].hash.String()
	})
	return out, named, nil
}

func replayEntry(ctx context.Context, tx execer, f journalFile) error {
	for i, st := range f.entry.Statements {
		args := make([]any, len(st.Args))
		for k, a := range st.Args {
			v, err := a.value()
			if err != nil {
				return fmt.Errorf("statement %d argument %d: %v", i, k, err)
			}
			args[k] = v
		}
		if _, err := tx.ExecContext(ctx, st.SQL, args...); err != nil {
			return fmt.Errorf("statement %d (%.60s…): %v", i, st.SQL, err)
		}
	}
	at, err := time.Parse(time.RFC3339Nano, f.entry.At)
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO gt.journal VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, f.hash.String(), at, string(f.body)); err != nil {
		return err
	}
	return indexQuarantineInserts(ctx, tx, f.hash, f.entry.Statements)
}
