package serve

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

func TestParseRows(t *testing.T) {
	for _, tc := range []struct {
		in         string
		total      uint64
		begin, end uint64
		ok         bool
	}{
		{"", 10, 0, 10, true}, {"0-", 10, 0, 10, true}, {"3-5", 10, 3, 6, true}, {"3-99", 10, 3, 10, true}, {"9-9", 10, 9, 10, true},
		{"10-", 10, 0, 0, false}, {"5-3", 10, 0, 0, false}, {"-3", 10, 0, 0, false}, {"03-4", 10, 0, 0, false}, {"1", 10, 0, 0, false},
		{"0-", 0, 0, 0, false}, {"1-2-3", 10, 0, 0, false}, {" 1-2", 10, 0, 0, false}, {"18446744073709551616-", 10, 0, 0, false},
	} {
		b, e, err := parseRows(tc.in, tc.total)
		if (err == nil) != tc.ok || (tc.ok && (b != tc.begin || e != tc.end)) {
			t.Errorf("parseRows(%q, %d) = %d, %d, %v", tc.in, tc.total, b, e, err)
		}
	}
}

func TestParseByteRange(t *testing.T) {
	for _, tc := range []struct {
		in         string
		size       int64
		start, end int64
		ok         bool
	}{
		{"bytes=0-9", 100, 0, 10, true}, {"bytes=90-", 100, 90, 100, true}, {"bytes=-10", 100, 90, 100, true}, {"bytes=-1000", 100, 0, 100, true},
		{"bytes=99-200", 100, 99, 100, true}, {"bytes=100-", 100, 0, 0, false}, {"bytes=-0", 100, 0, 0, false}, {"bytes=5-4", 100, 0, 0, false},
		{"bytes=0-1,3-4", 100, 0, 0, false}, {"items=0-1", 100, 0, 0, false}, {"bytes=", 100, 0, 0, false}, {"bytes=a-b", 100, 0, 0, false},
	} {
		s, e, err := parseByteRange(tc.in, tc.size)
		if (err == nil) != tc.ok || (tc.ok && (s != tc.start || e != tc.end)) || (err != nil && !errors.Is(err, ErrRange)) {
			t.Errorf("parseByteRange(%q, %d) = %d, %d, %v", tc.in, tc.size, s, e, err)
		}
	}
}

func FuzzParseRows(f *testing.F) {
	for _, s := range []string{"", "0-", "3-5", "5-3", "-1", "1-2-3"} {
		f.Add(s, uint64(10))
	}
	f.Fuzz(func(t *testing.T, s string, total uint64) {
		b, e, err := parseRows(s, total)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("%q: %v is not a bad request", s, err)
			}
			return
		}
		if b > e || e > total || (s != "" && b == e) {
			t.Fatalf("parseRows(%q, %d) = [%d, %d)", s, total, b, e)
		}
	})
}

func FuzzParseByteRange(f *testing.F) {
	for _, s := range []string{"bytes=0-9", "bytes=-5", "bytes=5-", "bytes=0-1,2-3", "bytes=x"} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, s string, size int64) {
		if size <= 0 {
			return
		}
		a, b, err := parseByteRange(s, size)
		if err != nil {
			if !errors.Is(err, ErrRange) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if a < 0 || a >= b || b > size {
			t.Fatalf("parseByteRange(%q, %d) = [%d, %d)", s, size, a, b)
		}
	})
}

func FuzzParseColumns(f *testing.F) {
	for _, s := range []string{"", "voter", "_row,voter,weight", "voter,voter", ",", "nope"} {
		f.Add(s)
	}
	sch := datasetstest.VotesSchema()
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := parseColumns(s, sch)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		seen := map[int]bool{}
		for _, c := range sel.cols {
			if c < 0 || c >= len(sch.Columns) || seen[c] {
				t.Fatalf("%q: column %d", s, c)
			}
			seen[c] = true
		}
		if sel.rowPos > len(sel.cols) || (sel.rowPos >= 0) != strings.Contains(s, RowColumn) && s != "" {
			t.Fatalf("%q: row position %d", s, sel.rowPos)
		}
	})
}

func FuzzParseKey(f *testing.F) {
	f.Add("chain_id=1&tx_hash=0x" + strings.Repeat("ab", 32) + "&log_index=3")
	f.Add("chain_id=1&chain_id=2")
	f.Add("voter=0x00&chain_id=-1")
	sch := datasetstest.VotesSchema()
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		key, err := parseKey(q, sch)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("%q: %v", raw, err)
			}
			return
		}
		if len(key) != len(sch.Key) {
			t.Fatalf("%q: %d values", raw, len(key))
		}
		for i, k := range sch.Key {
			c := sch.Columns[sch.Index(k)]
			cond, arg := keyCondition(c, key[i])
			if !strings.Contains(cond, `"`+k+`"`) || arg == nil {
				t.Fatalf("%q: condition %q %v", raw, cond, arg)
			}
		}
	})
}
