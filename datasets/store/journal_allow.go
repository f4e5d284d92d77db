package store

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrJournalForged means a journal entry holds a statement that is not one
// of the store's own catalog statements: the entry was not written by
// groundtruth (or by a release whose statements differ), and nothing of it
// may be replayed.
var ErrJournalForged = errors.New("journal entry holds a statement the store never writes")

// storeSource is this package's Go source, embedded so the journal's
// allow-list is derived from the very string constants the writers execute
// (the catalog audit test reads the same list), never from a second copy.
//
//go:embed *.go
var storeSource embed.FS

// CatalogStatements returns every SQL statement on gt tables written as a
// string constant in the store's source (not its tests, not the legacy
// list of journal_legacy.go), keyed by
// file:line:column. Statements built with fmt (holding a % verb) or by
// concatenation, and DDL, are left out. The journal's allow-list and the
// catalog audit test both read this list.
func CatalogStatements() (map[string]string, error) {
	return catalogStatementsOnce()
}

var catalogStatementsOnce = sync.OnceValues(func() (map[string]string, error) {
	files, err := fs.Glob(storeSource, "*.go")
	if err != nil {
		return nil, err
	}
	sqlStart := regexp.MustCompile(`(?is)^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b`)
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "journal_legacy.go" {
			continue // tests, and the history of earlier releases
		}
		src, err := storeSource.ReadFile(f)
		if err != nil {
			return nil, err
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			return nil, err
		}
		fragments := map[ast.Node]bool{}
		ast.Inspect(file, func(n ast.Node) bool {
			if b, ok := n.(*ast.BinaryExpr); ok && b.Op == token.ADD {
				fragments[b.X], fragments[b.Y] = true, true
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || fragments[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !strings.Contains(s, "gt.") || !sqlStart.MatchString(s) || strings.Contains(s, "%") {
				return true
			}
			out[fset.Position(lit.Pos()).String()] = s
			return true
		})
	}
	return out, nil
})

// journalAllowed is the set of statement texts a journal entry may hold.
var journalAllowed = sync.OnceValues(func() (map[string]bool, error) {
	stmts, err := CatalogStatements()
	if err != nil {
		return nil, err
	}
	ok := make(map[string]bool, len(stmts)+len(legacyJournalStatements))
	for _, s := range stmts {
		ok[s] = true
	}
	for _, s := range legacyJournalStatements {
		ok[s] = true
	}
	return ok, nil
})

// seedInsert matches the one journaled statement built at run time: the
// INSERT of every column of a fact table that seedTable writes when it
// upgrades a catalog made before the journal.
var seedInsert = regexp.MustCompile(`^INSERT INTO (gt\.[a-z_]+) VALUES \(\?(?:, \?)*\)$`)

// checkJournalStatement reports whether q, a statement of the entry
// written at at (its "at" field), is one the store writes: after the
// entry's own now() literal (see fixNow) is put back, q must be exactly one
// of CatalogStatements, or seedTable's INSERT into one of factTables.
func checkJournalStatement(q, at string) error {
	allowed, err := journalAllowed()
	if err != nil {
		return fmt.Errorf("%w: reading the store's statements: %v", ErrCatalog, err)
	}
	if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
		q = strings.ReplaceAll(q, (&journal{at: t.UTC()}).fixNow("now()"), "now()")
	}
	if allowed[q] {
		return nil
	}
	if m := seedInsert.FindStringSubmatch(q); m != nil {
		for _, t := range factTables {
			if m[1] == t {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: %.80q", ErrJournalForged, q)
}

// checkJournalEntry checks every statement of an entry; rel names its file.
func checkJournalEntry(rel string, e journalEntry) error {
	for i, st := range e.Statements {
		if err := checkJournalStatement(st.SQL, e.At); err != nil {
			return fmt.Errorf("%s: statement %d: %w", rel, i, err)
		}
	}
	return nil
}

// forgedJournal returns the problem of a journal file whose statements are
// not all the store's own (nil when they are, or when the file is not a
// journal entry at all: a hash or format problem is listed elsewhere).
func forgedJournal(rel string, raw []byte) *FileProblem {
	var e journalEntry
	if json.Unmarshal(raw, &e) != nil || e.Format != JournalFormat {
		return nil
	}
	if err := checkJournalEntry(rel, e); err != nil {
		return &FileProblem{Path: rel, Detail: strings.TrimPrefix(err.Error(), rel+": ")}
	}
	return nil
}
