package sqlview_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// TestBuiltSizes is finding F103 on the engine (CLI query): scalar list
// and string builders must have constant sizes whose product stays within
// sqlview.MaxBuiltElements; the table functions range and generate_series
// are not counted.
func TestBuiltSizes(t *testing.T) {
	root := t.TempDir()
	e := open(t, root, version(root, "votes", 1, sqlview.StatusAttested, buildSegments(t, root, 0, 50, 50)))
	for _, tc := range []struct {
		q    string
		want string // "" = allowed, else a part of the refusal
	}{
		{`SELECT max(x) FROM (SELECT list_sort(range(10000000)) x)`, "at most 1000"},
		{`SELECT len(range(1e7::BIGINT))`, "at most 1000"},
		{`SELECT len(generate_series(1, 1001))`, "at most 1000"},
		{`SELECT [x FOR x IN range(100000)]`, "at most 1000"},
		{`SELECT len(list_transform(range(100), x -> range(100)))`, "at most 1000"},
		{`SELECT length(repeat('x', 1000000000))`, "at most 1000"},
		{`SELECT length(repeat(repeat('x', 100), 100))`, "at most 1000"},
		{`SELECT len(list_resize([1], 100000000))`, "at most 1000"},
		{`SELECT len(array_resize([1], 100000000))`, "at most 1000"},
		{`SELECT length(lpad('a', 100000000, ' '))`, "at most 1000"},
		{`SELECT length(printf('%0999999999d', 1))`, "at most 1000"},
		{`SELECT length(format('{:>99999999}', 1))`, "at most 1000"},
		{`SELECT length(bar(1, 0, 2, 100000000))`, "at most 1000"},
		{`SELECT len(range(r)) FROM range(3) t(r)`, "constant integer arguments"},
		{`SELECT len(range((SELECT 10)))`, "constant integer arguments"},
		{`SELECT length(repeat('x', _row::INTEGER)) FROM votes`, "constant integer as argument 2"},
		{`SELECT length(printf(CAST(_row AS VARCHAR), 1)) FROM votes`, "constant pattern"},
		{`SELECT len(list_sort(range(1000)))`, ""},
		{`SELECT len(generate_series(1, 10)), length(repeat('-', 10))`, ""},
		{`SELECT count(*) FROM range(10000000)`, ""},
		{`SELECT count(*) FROM generate_series(1, 10000000)`, ""},
		{`SELECT length(lpad('a', 8, ' ')), format('{:>5}', 1)`, ""},
		{`SELECT length(bar(1, 0, 2))`, ""},
		{`SELECT length(lpad('a', 8, ' ')), length(bar(1, 0, 2)), format('{:>5}', 1)`, "at most 1000"}, // 8 × 80 × 5
		{`SELECT count(*) FROM votes`, ""},
	} {
		_, err := queryRows(t, e, tc.q)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want it allowed", tc.q, err)
		case tc.want != "" && (!errors.Is(err, sqlview.ErrQuery) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want ErrQuery with %q", tc.q, err, tc.want)
		}
	}
}
