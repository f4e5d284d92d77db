package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The attestation stage's catalog access. The documents are JSON produced
// by package attest; the store keeps them as they are. *Store implements
// attest.Catalog with these methods.

// PutSignature records a signer's signature file of a version for a backend
// (purpose "attest"), replacing an earlier one by the same signer.
func (s *Store) PutSignature(ctx context.Context, dataset string, version uint64, backend, signer string, doc []byte) error {
	return s.PutSignatureFor(ctx, dataset, version, backend, signer, "attest", doc)
}

// PutSignatureFor is PutSignature with an explicit purpose ("attest" or "revoke").
func (s *Store) PutSignatureFor(ctx context.Context, dataset string, version uint64, backend, signer, purpose string, doc []byte) error {
	if err := s.versionExists(ctx, dataset, version); err != nil {
		return err
	}
	_, err := s.jexec(ctx, `INSERT OR REPLACE INTO gt.signatures VALUES (?, ?, ?, ?, ?, ?, ?)`,
		dataset, version, backend, signer, purpose, string(doc), time.Now().UTC())
	if err != nil {
		return fmt.Errorf("%w: recording the signature of %s@%d by %s: %v", ErrCatalog, dataset, version, signer, err)
	}
	return nil
}

// Signatures returns the signature files recorded for a version and backend
// (every purpose; backend "" means every backend), oldest first.
func (s *Store) Signatures(ctx context.Context, dataset string, version uint64, backend string) ([][]byte, error) {
	return s.docs(ctx, `SELECT doc FROM gt.signatures WHERE dataset = ? AND version = ? AND (? = '' OR backend = ?) ORDER BY added_at, signer`,
		dataset, version, backend, backend)
}

// PutAttestation records the evidence of an anchored version.
func (s *Store) PutAttestation(ctx context.Context, dataset string, version uint64, backend, ref string, doc []byte) error {
	_, err := s.jexec(ctx, `INSERT OR REPLACE INTO gt.attestations VALUES (?, ?, ?, ?, ?, ?)`,
		dataset, version, backend, ref, string(doc), time.Now().UTC())
	if err != nil {
		return fmt.Errorf("%w: recording the attestation of %s@%d: %v", ErrCatalog, dataset, version, err)
	}
	return nil
}

// Attestations returns the evidence documents of a version, newest first;
// backend "" means every backend.
func (s *Store) Attestations(ctx context.Context, dataset string, version uint64, backend string) ([][]byte, error) {
	return s.docs(ctx, `SELECT doc FROM gt.attestations WHERE dataset = ? AND version = ? AND (? = '' OR backend = ?) ORDER BY attested_at DESC`,
		dataset, version, backend, backend)
}

// RevocationRecord is a recorded revocation.
type RevocationRecord struct {
	Backend   string    `json:"backend"`
	Reason    string    `json:"reason"`
	Ref       string    `json:"ref"`
	RevokedBy string    `json:"revokedBy"`
	RevokedAt time.Time `json:"revokedAt"`
}

// PutRevocation records a revocation and sets the version's status to revoked.
func (s *Store) PutRevocation(ctx context.Context, dataset string, version uint64, r RevocationRecord) error {
	if r.RevokedAt.IsZero() {
		r.RevokedAt = time.Now().UTC()
	}
	if _, err := s.jexec(ctx, `INSERT OR REPLACE INTO gt.revocations VALUES (?, ?, ?, ?, ?, ?, ?)`,
		dataset, version, r.Backend, r.Reason, r.Ref, r.RevokedBy, r.RevokedAt); err != nil {
		return fmt.Errorf("%w: recording the revocation of %s@%d: %v", ErrCatalog, dataset, version, err)
	}
	return s.SetVersionStatus(ctx, dataset, version, "revoked")
}

// Revocations returns the recorded revocations of a version.
func (s *Store) Revocations(ctx context.Context, dataset string, version uint64) ([]RevocationRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT backend, reason, coalesce(ref, ''), revoked_by, revoked_at FROM gt.revocations
		WHERE dataset = ? AND version = ? ORDER BY revoked_at`, dataset, version)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []RevocationRecord
	for rows.Next() {
		var r RevocationRecord
		if err := rows.Scan(&r.Backend, &r.Reason, &r.Ref, &r.RevokedBy, &r.RevokedAt); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetVersionStatus sets a version's status: sealed, pending, attested or
// revoked. A revoked version stays revoked.
func (s *Store) SetVersionStatus(ctx context.Context, dataset string, version uint64, status string) error {
	switch status {
	case "sealed", "pending", "attested", "revoked":
	default:
		return fmt.Errorf("%w: unknown version status %q", ErrCatalog, status)
	}
	res, err := s.jexec(ctx, `UPDATE gt.versions SET status = ? WHERE dataset = ? AND version = ? AND (status <> 'revoked' OR ? = 'revoked')`,
		status, dataset, version, status)
	if err != nil {
		return fmt.Errorf("%w: setting the status of %s@%d: %v", ErrCatalog, dataset, version, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.versionExists(ctx, dataset, version)
	}
	return nil
}

// VersionStatus returns a version's status.
func (s *Store) VersionStatus(ctx context.Context, dataset string, version uint64) (string, error) {
	var st string
	err := s.db.QueryRowContext(ctx, `SELECT status FROM gt.versions WHERE dataset = ? AND version = ?`, dataset, version).Scan(&st)
	if err == sql.ErrNoRows {
		return "", fmt.Errorf("%w: %s@%d", ErrNotFound, dataset, version)
	}
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if s.RevokedInJournal(dataset, version) {
		return "revoked", nil // the journal's revocation wins (F104)
	}
	return st, nil
}

// StewardKey is the public information of a steward key.
type StewardKey struct {
	Address  string    `json:"address"`
	Name     string    `json:"name"`
	Keystore string    `json:"keystore"`
	AddedAt  time.Time `json:"addedAt"`
}

// PutStewardKey records a steward key's public information.
func (s *Store) PutStewardKey(ctx context.Context, k StewardKey) error {
	if k.AddedAt.IsZero() {
		k.AddedAt = time.Now().UTC()
	}
	if _, err := s.jexec(ctx, `INSERT OR REPLACE INTO gt.steward_keys VALUES (?, ?, ?, ?)`, k.Address, k.Name, k.Keystore, k.AddedAt); err != nil {
		return fmt.Errorf("%w: recording steward key %s: %v", ErrCatalog, k.Address, err)
	}
	return nil
}

// StewardKeys lists the recorded steward keys.
func (s *Store) StewardKeys(ctx context.Context) ([]StewardKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT address, name, keystore, added_at FROM gt.steward_keys ORDER BY name, address`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []StewardKey
	for rows.Next() {
		var k StewardKey
		if err := rows.Scan(&k.Address, &k.Name, &k.Keystore, &k.AddedAt); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (s *Store) versionExists(ctx context.Context, dataset string, version uint64) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM gt.versions WHERE dataset = ? AND version = ?`, dataset, version).Scan(&n); err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: %s@%d", ErrNotFound, dataset, version)
	}
	return nil
}

func (s *Store) docs(ctx context.Context, q string, args ...any) ([][]byte, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		out = append(out, []byte(d))
	}
	return out, rows.Err()
}
