package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// versionRecordSQL is the journaled statement that records what a
// manifest does not say about a version (its job and note); its last
// argument is the manifest hash, which also tells rebuild which manifest
// was committed when two exist for one version.
const versionRecordSQL = `UPDATE gt.versions SET job = ?, note = ? WHERE dataset = ? AND version = ? AND manifest_hash = ?`

// manifestFile is a parsed manifest file.
type manifestFile struct {
	rel  string
	hash datasets.Hash
	raw  []byte
	m    *datasets.Manifest
}

// importVersions records every version from its manifest file: the
// dataset, its segments, the version and its compact range.
func (s *Store) importVersions(ctx context.Context, db execer, named map[datasets.Hash]bool, rep *RebuildReport) error {
	byDataset, err := s.readManifests(named, rep)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(byDataset))
	for ds := range byDataset {
		names = append(names, ds)
	}
	sort.Strings(names)
	segIDs := map[string]int32{} // dataset + sha256 → id
	for _, ds := range names {
		vs := byDataset[ds]
		if err := registerRebuilt(ctx, db, vs[0].m); err != nil {
			return err
		}
		for _, f := range vs {
			if err := s.insertRebuilt(ctx, db, f, segIDs); err != nil {
				return fmt.Errorf("%w: %s@%d from %s: %v", ErrCatalog, ds, f.m.Version, f.rel, err)
			}
			rep.Versions++
		}
		rep.Datasets++
	}
	return nil
}

// readManifests parses every manifest file, grouped by dataset and sorted
// by version; of two manifests for one version the one a journal entry
// names wins, else the rebuild stops naming both.
func (s *Store) readManifests(named map[datasets.Hash]bool, rep *RebuildReport) (map[string][]manifestFile, error) {
	files, err := manifestFiles(s.root)
	if err != nil {
		return nil, err
	}
	byVersion := map[string]manifestFile{}
	for rel, h := range files {
		raw, err := os.ReadFile(filepath.Join(s.root, rel))
		if err != nil {
			return nil, fmt.Errorf("%w: reading %s: %v", ErrCatalog, rel, err)
		}
		m, perr := datasets.ParseManifest(raw)
		if datasets.Hash(sha256.Sum256(raw)) != h || perr != nil {
			rep.Skipped = append(rep.Skipped, FileProblem{Path: rel, Detail: fmt.Sprintf("damaged manifest (hash or content: %v)", perr)})
			continue
		}
		f := manifestFile{rel: rel, hash: h, raw: raw, m: m}
		key := fmt.Sprintf("%s@%d", m.Dataset, m.Version)
		if old, ok := byVersion[key]; ok {
			switch {
			case named[h] && !named[old.hash]:
			case named[old.hash] && !named[h]:
				f = old
			default:
				return nil, fmt.Errorf("%w: two manifests for %s (%s and %s) and no journal entry says which was committed; move the wrong one out of manifests/ and rebuild again", ErrCatalog, key, old.rel, rel)
			}
			loser := rel
			if f.rel == rel {
				loser = old.rel
			}
			rep.Skipped = append(rep.Skipped, FileProblem{Path: loser, Version: key, Detail: "a second manifest for this version; the journal names the other"})
		}
		byVersion[key] = f
	}
	out := map[string][]manifestFile{}
	for _, f := range byVersion {
		out[f.m.Dataset] = append(out[f.m.Dataset], f)
	}
	for _, vs := range out {
		sort.Slice(vs, func(i, j int) bool { return vs[i].m.Version < vs[j].m.Version })
	}
	return out, nil
}

// registerRebuilt records a dataset.
func registerRebuilt(ctx context.Context, db execer, first *datasets.Manifest) error {
	js, err := json.Marshal(&first.Schema)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO gt.datasets VALUES (?, ?, ?)`, first.Dataset, string(js), catalogTime(first.CreatedAt)); err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	return nil
}

// insertRebuilt records one version, reusing the ids of segments earlier
// versions of the dataset recorded.
func (s *Store) insertRebuilt(ctx context.Context, db execer, f manifestFile, segIDs map[string]int32) error {
	m := f.m
	acc, err := datasets.AccumulatorFromLeaves(datasets.NewVersionLeaves(s.root, m), m.RowCount)
	if err != nil {
		return fmt.Errorf("reading the leaf indexes: %w", err)
	}
	if acc.Root() != m.MerkleRoot {
		return fmt.Errorf("%w: the leaf indexes give root %s, the manifest says %s", datasets.ErrIntegrity, acc.Root(), m.MerkleRoot)
	}
	var first uint64
	for i, seg := range m.Segments {
		key := m.Dataset + "/" + seg.SHA256.String()
		id, ok := segIDs[key]
		if !ok {
			id = int32(len(segIDs) + 1)
			segIDs[key] = id
			if _, err := db.ExecContext(ctx, `INSERT INTO gt.segments VALUES (?, ?, ?, ?, ?, ?, false)`,
				id, m.Dataset, seg.SHA256.String(), seg.Path, seg.Rows, seg.Bytes); err != nil {
				return err
			}
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO gt.version_segments VALUES (?, ?, ?, ?, ?)`, m.Dataset, m.Version, i, id, first); err != nil {
			return err
		}
		first += seg.Rows
	}
	compact, _ := json.Marshal(acc.Hashes())
	var parent any
	if m.Parent != nil {
		parent = m.Parent.Version
	}
	_, err = db.ExecContext(ctx, `INSERT INTO gt.versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sealed', false, NULL, NULL, ?)`,
		m.Dataset, m.Version, f.hash.String(), string(f.raw), m.MerkleRoot.String(), m.RowCount, parent,
		m.AppendOnly, string(compact), catalogTime(m.CreatedAt))
	return err
}
