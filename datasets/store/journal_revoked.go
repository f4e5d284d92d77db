package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// versionKey names one version.
type versionKey struct {
	dataset string
	version uint64
}

// journalRevocations reads the journal entries the catalog does not record
// (a catalog restored from a backup older than the files) and returns the
// versions they revoke. A revocation in the journal wins over the catalog's
// older status: every reading command treats such a version as revoked
// (issue #13 F104), while catalog check lists the entries and writing
// commands refuse until catalog rebuild. An entry that cannot be read is
// an error naming it.
func (s *Store) journalRevocations(rels []string) (map[versionKey]bool, error) {
	out := map[versionKey]bool{}
	for _, rel := range rels {
		raw, err := os.ReadFile(filepath.Join(s.root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("%w: reading journal entry %s: %v", ErrCatalog, rel, err)
		}
		var e journalEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("%w: journal entry %s: %v", ErrCatalog, rel, err)
		}
		for _, st := range e.Statements {
			if k, ok := revokes(st); ok {
				out[k] = true
			}
		}
	}
	return out, nil
}

// revokes reports the version a journal statement revokes: a row of
// gt.revocations, or a version's status set to revoked.
func revokes(st journalStmt) (versionKey, bool) {
	q := strings.TrimSpace(st.SQL)
	var ds, v, status int
	switch {
	// Fragments, not whole statements: a string literal starting with an
	// SQL keyword would join the journal's allow-list (journal_allow.go).
	case strings.Contains(q, "INTO gt.revocations VALUES"):
		ds, v, status = 0, 1, -1
	case strings.Contains(q, "gt.versions SET status = ? WHERE dataset = ? AND version = ?"):
		ds, v, status = 1, 2, 0
	default:
		return versionKey{}, false
	}
	arg := func(i int) any {
		if i < 0 || i >= len(st.Args) {
			return nil
		}
		x, err := st.Args[i].value()
		if err != nil {
			return nil
		}
		return x
	}
	if status >= 0 && arg(status) != "revoked" {
		return versionKey{}, false
	}
	name, ok1 := arg(ds).(string)
	n, ok2 := arg(v).(uint64)
	if !ok2 {
		if i, ok := arg(v).(int64); ok && i >= 0 {
			n, ok2 = uint64(i), true
		}
	}
	if !ok1 || !ok2 {
		return versionKey{}, false
	}
	return versionKey{name, n}, true
}

// RevokedInJournal reports whether a journal entry the catalog does not
// record revokes dataset@version: such a version is revoked whatever the
// catalog says.
func (s *Store) RevokedInJournal(dataset string, version uint64) bool {
	return s.journalRevoked[versionKey{dataset, version}]
}
