package store

import (
	"context"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// HasAnchoredEvidence reports whether the catalog holds the evidence of
// version m's (manifest hash mh) anchoring: a document for this exact
// statement with an on-chain receipt, or off-chain EAS evidence. It is the
// rule serve applies before serving a version recorded as attested, and
// query's "D" and datasets export apply the same one (issue #13 F105).
func (s *Store) HasAnchoredEvidence(ctx context.Context, m *datasets.Manifest, mh datasets.Hash) (bool, error) {
	docs, err := s.Attestations(ctx, m.Dataset, m.Version, "")
	if err != nil {
		return false, err
	}
	stmt := attest.StatementOf(m, mh)
	for _, d := range docs {
		ev, err := attest.ParseEvidence(d)
		if err == nil && ev.Statement == stmt && (len(ev.Receipts) > 0 || ev.Target.Backend == attest.KindOffchain) {
			return true, nil
		}
	}
	return false, nil
}

// sqlStatus is the status query's views give version m: the catalog's,
// except that a version recorded as attested without its anchored evidence
// is only sealed (it is not "D", as serve does not serve it), and one a
// journal entry the catalog lacks revokes is revoked.
func (s *Store) sqlStatus(ctx context.Context, m *datasets.Manifest, mh datasets.Hash, status string) (sqlview.Status, error) {
	if s.RevokedInJournal(m.Dataset, m.Version) {
		return sqlview.StatusRevoked, nil // the journal's revocation wins (F104)
	}
	if status != string(sqlview.StatusAttested) {
		return sqlview.Status(status), nil
	}
	ok, err := s.HasAnchoredEvidence(ctx, m, mh)
	if err != nil || !ok {
		return sqlview.StatusSealed, err
	}
	return sqlview.StatusAttested, nil
}
