package store

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// catalogStatements returns every SQL statement on gt tables written as a
// string constant in the store's source (not tests), by file and line.
// Statements built with fmt (holding a % verb) or by concatenation, and
// DDL, are left out.
func catalogStatements(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	sqlStart := regexp.MustCompile(`(?is)^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b`)
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		fragments := map[ast.Node]bool{}
		ast.Inspect(file, func(n ast.Node) bool {
			if b, ok := n.(*ast.BinaryExpr); ok && b.Op == token.ADD {
				fragments[b.X], fragments[b.Y] = true, true
			}
			lit, ok := n.(*ast.BasicLit)
			if ok && fragments[lit] {
				return true
			}
			if !ok || lit.Kind != token.STRING {
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
	return out
}

// TestCatalogStatementsPrepareOnSQLiteAndPostgres is the portability audit
// of the move off DuckDB: every catalog statement of the store, rebound
// by catalogdb, must compile (tables, columns, syntax, types) on a
// migrated SQLite and PostgreSQL catalog.
func TestCatalogStatementsPrepareOnSQLiteAndPostgres(t *testing.T) {
	stmts := catalogStatements(t)
	if len(stmts) < 40 {
		t.Fatalf("found only %d catalog statements in the source", len(stmts))
	}
	t.Logf("%d catalog statements", len(stmts))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg := testpg.Start(t)
	for _, loc := range []string{filepath.Join(t.TempDir(), "catalog.sqlite"), pg.NewDatabase(t)} {
		db, err := catalogdb.Open(ctx, loc, catalogdb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(ctx, CatalogDDL()); err != nil {
			t.Fatal(err)
		}
		var where []string
		for w := range stmts {
			where = append(where, w)
		}
		sort.Strings(where)
		for _, w := range where {
			q, err := db.Rebind(stmts[w])
			if err == nil {
				var st interface{ Close() error }
				if st, err = db.SQL().PrepareContext(ctx, q); err == nil {
					st.Close()
				}
			}
			if err != nil {
				t.Errorf("%s: %s: %v\n%s", db.Dialect(), w, err, stmts[w])
			}
		}
	}
}
