package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// forgeJournal writes a journal entry holding stmts (SQL texts without
// arguments unless args is given), named by its own SHA-256 as a writer
// names it, and returns its store-relative path.
func forgeJournal(t *testing.T, root string, stmts []string, args [][]map[string]any) string {
	t.Helper()
	type st struct {
		SQL  string           `json:"sql"`
		Args []map[string]any `json:"args"`
	}
	var ss []st
	for i, q := range stmts {
		a := []map[string]any{}
		if args != nil {
			a = args[i]
		}
		ss = append(ss, st{SQL: q, Args: a})
	}
	body, err := json.Marshal(map[string]any{"format": store.JournalFormat, "at": "2099-12-07T00:59:59Z", "seq": 999, "statements": ss})
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(body)
	rel := filepath.ToSlash(filepath.Join("journal", hex.EncodeToString(h[:1]), hex.EncodeToString(h[:])+".json"))
	must(t, os.MkdirAll(filepath.Join(root, filepath.Dir(rel)), 0o755))
	must(t, os.WriteFile(filepath.Join(root, rel), body, 0o644))
	return rel
}

// TestHostileForgedJournal is the black-box attack F5: a journal entry
// written by someone who can write the data directory, holding statements
// the store never writes (ATTACH of a file outside the directory, deleting
// the quarantine, flipping a status, a genuine statement with more SQL
// after it). catalog check lists it; catalog rebuild refuses it, naming
// the file, replays nothing and leaves the old catalog as it was.
func TestHostileForgedJournal(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "pwned.sqlite")
	cases := []struct {
		name  string
		stmts []string
		args  [][]map[string]any
	}{
		{"attach", []string{"ATTACH DATABASE '" + outside + "' AS pw", "CREATE TABLE pw.owned(a TEXT)"}, nil},
		{"delete quarantine", []string{"DELETE FROM gt.quarantine"}, nil},
		{"status flip", []string{"UPDATE gt.versions SET status = 'attested'"}, nil},
		{"genuine then more", []string{"UPDATE gt.versions SET status = ? WHERE dataset = ? AND version = ?; DELETE FROM gt.quarantine"},
			[][]map[string]any{{{"t": "s", "v": "attested"}, {"t": "s", "v": "votes"}, {"t": "u", "v": "2"}}}},
		{"seed insert into a non-fact table", []string{"INSERT INTO gt.journal VALUES (?, ?, ?)"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			s := openStore(t, root)
			fillCatalog(t, s, func() {})
			s.Close()
			rel := forgeJournal(t, root, c.stmts, c.args)

			s, err := store.Open(ctx, root, store.Options{AllowStale: true})
			must(t, err)
			defer s.Close()
			rep, err := s.Check(ctx)
			must(t, err)
			if len(rep.ForgedJournal) != 1 || rep.ForgedJournal[0].Path != rel || rep.Clean() {
				t.Fatalf("check: forged %+v, clean %v", rep.ForgedJournal, rep.Clean())
			}
			catalogBefore, err := os.ReadFile(filepath.Join(root, store.CatalogFile))
			must(t, err)
			before := dumpCatalog(t, s.DB())

			_, err = s.Rebuild(ctx)
			if !errors.Is(err, store.ErrJournalForged) || !strings.Contains(err.Error(), rel) {
				t.Fatalf("rebuild: %v, want ErrJournalForged naming %s", err, rel)
			}
			if _, err := os.Stat(outside); err == nil {
				t.Fatalf("the forged ATTACH created %s", outside)
			}
			if after := dumpCatalog(t, s.DB()); !equalDumps(before, after) {
				t.Fatal("the refused rebuild changed the open catalog")
			}
			s.Close()
			catalogAfter, err := os.ReadFile(filepath.Join(root, store.CatalogFile))
			must(t, err)
			if !bytes.Equal(catalogBefore, catalogAfter) {
				t.Fatal("the refused rebuild replaced or changed catalog.sqlite")
			}
			if matches, _ := filepath.Glob(filepath.Join(root, store.CatalogFile+".replaced-*")); len(matches) != 0 {
				t.Fatalf("the refused rebuild moved the catalog aside: %v", matches)
			}

			// Without the forged entry, the genuine journal rebuilds.
			must(t, os.Remove(filepath.Join(root, rel)))
			s, err = store.Open(ctx, root, store.Options{AllowStale: true})
			must(t, err)
			defer s.Close()
			if _, err := s.Rebuild(ctx); err != nil {
				t.Fatalf("rebuild of the genuine journal: %v", err)
			}
		})
	}
}

func equalDumps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestLegacyStatementsAreNotCurrent: the legacy list holds only statements
// the current source no longer has (history, not a second copy).
func TestLegacyStatementsAreNotCurrent(t *testing.T) {
	cur, err := store.CatalogStatements()
	must(t, err)
	for _, l := range store.LegacyJournalStatements() {
		for at, c := range cur {
			if c == l {
				t.Errorf("legacy statement %q is current (%s): remove it from the legacy list", l, at)
			}
		}
	}
}
