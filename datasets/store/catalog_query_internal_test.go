package store

import (
	"errors"
	"testing"
)

// TestOneStatement checks the statement splitter of QueryCatalog.
func TestOneStatement(t *testing.T) {
	for _, tc := range []struct {
		q  string
		ok bool
	}{
		{"select 1", true},
		{"select 1;", true},
		{"select 1 ; ;\n-- done\n/* c */ ", true},
		{"select ';' , \"a;b\", [x;y], `p;q` from t -- ; x", true},
		{"select 1; select 2", false},
		{"select 1;attach 'x' as w", false},
		{"select 1; /* c */ delete from t", false},
		{"select 'it''s'; delete from t", false},
		{"", false},
		{" ; ", false},
		{"-- only a comment", false},
		{"select 'open", false},
		{"select 1 /* open", false},
	} {
		err := oneStatement(tc.q)
		if (err == nil) != tc.ok {
			t.Errorf("oneStatement(%q) = %v, want ok=%v", tc.q, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrCatalogQuery) {
			t.Errorf("oneStatement(%q) = %v, not ErrCatalogQuery", tc.q, err)
		}
	}
}
