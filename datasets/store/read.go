package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// DatasetInfo summarises a dataset.
type DatasetInfo struct {
	Name          string        `json:"name"`
	LatestVersion uint64        `json:"latestVersion"`
	Rows          uint64        `json:"rows"`
	MerkleRoot    datasets.Hash `json:"merkleRoot"`
	Status        string        `json:"status"`
	Versions      int           `json:"versions"`
	UpdatedAt     time.Time     `json:"updatedAt"`
}

// VersionInfo summarises one version.
type VersionInfo struct {
	Dataset      string        `json:"dataset"`
	Version      uint64        `json:"version"`
	Rows         uint64        `json:"rows"`
	MerkleRoot   datasets.Hash `json:"merkleRoot"`
	ManifestHash datasets.Hash `json:"manifestHash"`
	AppendOnly   bool          `json:"appendOnly"`
	Status       string        `json:"status"`
	Note         string        `json:"note,omitempty"`
	CreatedAt    time.Time     `json:"createdAt"`
}

// Datasets lists every dataset with its latest version.
func (s *Store) Datasets(ctx context.Context) ([]DatasetInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT v.dataset, v.version, v.row_count, v.merkle_root, v.status, v.created_at,
			(SELECT count(*) FROM gt.versions x WHERE x.dataset = v.dataset)
		FROM gt.versions v
		WHERE v.version = (SELECT max(version) FROM gt.versions x WHERE x.dataset = v.dataset)
		ORDER BY v.dataset`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []DatasetInfo
	for rows.Next() {
		var d DatasetInfo
		var root string
		if err := rows.Scan(&d.Name, &d.LatestVersion, &d.Rows, &root, &d.Status, &d.UpdatedAt, &d.Versions); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		d.MerkleRoot, _ = datasets.ParseHash(root)
		if s.RevokedInJournal(d.Name, d.LatestVersion) {
			d.Status = "revoked" // the journal's revocation wins (F104)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Versions lists the versions of a dataset, oldest first.
func (s *Store) Versions(ctx context.Context, dataset string) ([]VersionInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT dataset, version, row_count, merkle_root, manifest_hash, append_only, status, coalesce(note, ''), created_at
		FROM gt.versions WHERE dataset = ? ORDER BY version`, dataset)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []VersionInfo
	for rows.Next() {
		var v VersionInfo
		var root, mh string
		if err := rows.Scan(&v.Dataset, &v.Version, &v.Rows, &root, &mh, &v.AppendOnly, &v.Status, &v.Note, &v.CreatedAt); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		v.MerkleRoot, _ = datasets.ParseHash(root)
		v.ManifestHash, _ = datasets.ParseHash(mh)
		if s.RevokedInJournal(v.Dataset, v.Version) {
			v.Status = "revoked" // the journal's revocation wins (F104)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: dataset %q", ErrNotFound, dataset)
	}
	return out, nil
}

// VersionRecord is a version as the catalog records it.
type VersionRecord struct {
	Manifest     *datasets.Manifest
	ManifestJSON []byte
	ManifestHash datasets.Hash
	Compact      []datasets.Hash
}

// Version returns a version's catalog record; version 0 means the latest.
func (s *Store) Version(ctx context.Context, dataset string, version uint64) (*VersionRecord, error) {
	q := `SELECT manifest_json, manifest_hash, compact_range FROM gt.versions WHERE dataset = ? AND version = ?`
	args := []any{dataset, version}
	if version == 0 {
		q = `SELECT manifest_json, manifest_hash, compact_range FROM gt.versions WHERE dataset = ? ORDER BY version DESC LIMIT 1`
		args = args[:1]
	}
	var mj, mh, cr string
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&mj, &mh, &cr)
	if err == sql.ErrNoRows {
		if version == 0 {
			return nil, fmt.Errorf("%w: dataset %q has no version", ErrNotFound, dataset)
		}
		return nil, fmt.Errorf("%w: %s@%d", ErrNotFound, dataset, version)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	rec := &VersionRecord{ManifestJSON: []byte(mj)}
	if rec.Manifest, err = datasets.ParseManifest(rec.ManifestJSON); err != nil {
		return nil, fmt.Errorf("%w: catalog copy of %s@%d: %v", ErrCatalog, dataset, version, err)
	}
	if rec.ManifestHash, err = datasets.ParseHash(mh); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if err := json.Unmarshal([]byte(cr), &rec.Compact); err != nil {
		return nil, fmt.Errorf("%w: compact range of %s@%d: %v", ErrCatalog, dataset, version, err)
	}
	return rec, nil
}

func (s *Store) latest(ctx context.Context, dataset string) (*parentInfo, error) {
	rec, err := s.Version(ctx, dataset, 0)
	if err != nil {
		return nil, err
	}
	m := rec.Manifest
	return &parentInfo{version: m.Version, manifestHash: rec.ManifestHash, root: m.MerkleRoot, rows: m.RowCount, compact: rec.Compact, manifest: m}, nil
}

// Checkpoint returns a job's committed cursor (nil when it has none).
func (s *Store) Checkpoint(ctx context.Context, job string) ([]byte, error) {
	var cur sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM gt.checkpoints WHERE job = ?`, job).Scan(&cur)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if !cur.Valid {
		return nil, nil
	}
	return []byte(cur.String), nil
}

// Verify recomputes a version from its files and compares the manifest file
// with the catalog's record of it, naming differing manifest fields.
func (s *Store) Verify(ctx context.Context, dataset string, version uint64) (*datasets.Verification, error) {
	rec, err := s.Version(ctx, dataset, version)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(s.manifestFile(rec.ManifestHash))
	if err != nil {
		v := &datasets.Verification{Dataset: dataset, Version: rec.Manifest.Version}
		v.Checks = append(v.Checks, datasets.CheckResult{Check: "manifest.file", Detail: err.Error()})
		return v, nil
	}
	v, err := datasets.VerifyVersion(ctx, s.root, raw, rec.ManifestHash)
	if err != nil {
		return nil, err
	}
	if m, err := datasets.ParseManifest(raw); err == nil {
		datasets.VerifyReport(v, s.root, m) // the signed validation report (F110)
	}
	for _, field := range datasets.DiffManifestJSON(rec.ManifestJSON, raw) {
		v.Checks = append(v.Checks, datasets.CheckResult{Check: "manifest." + field,
			Detail: fmt.Sprintf("field %s of the manifest file differs from the catalog's record", field)})
	}
	return v, nil
}
