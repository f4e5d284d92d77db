package httpprices

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestFetchLocatorsAndBadValues checks that every emitted row is located
// by the page's URL after redirects and its item index, and that a cell
// that does not parse is reported as a bad value of its row (with column,
// raw value and locator) instead of failing the fetch.
func TestFetchLocatorsAndBadValues(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/prices?"+r.URL.RawQuery, http.StatusFound)
			return
		}
		ms := t0.UnixMilli()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"prices":[[` + itoa(ms) + `,1.5],[` + itoa(ms+3_600_000) + `,"abc"],[` + itoa(ms+7_200_000) + `,2.5]],"total_volumes":[]}`))
	}))
	defer srv.Close()
	src := mustNew(t, "p", cgConfig(srv.URL+"/old", 24*time.Hour, t0.Add(24*time.Hour)), testDeps(t, nil))
	var rows int
	res, err := src.Fetch(context.Background(), nil, func(rec arrow.RecordBatch) error { rows += int(rec.NumRows()); return nil })
	if err != nil {
		t.Fatalf("a bad cell failed the fetch: %v", err)
	}
	if rows != 3 || len(res.Pages) != 1 || len(res.Pages[0].Items) != 3 {
		t.Fatalf("rows %d, pages %+v", rows, res.Pages)
	}
	pg := res.Pages[0]
	if !strings.HasPrefix(pg.URL, srv.URL+"/prices?") || pg.FirstRow != 0 {
		t.Fatalf("page URL %q (want the URL after the redirect), first row %d", pg.URL, pg.FirstRow)
	}
	for i := range 3 {
		if want := pg.URL + " item " + itoa(int64(i)); pg.Locator(i) != want {
			t.Fatalf("locator of row %d: %q, want %q", i, pg.Locator(i), want)
		}
	}
	if len(res.BadValues) != 1 {
		t.Fatalf("bad values %+v, want one", res.BadValues)
	}
	b := res.BadValues[0]
	if b.Row != 1 || b.Column != ColPrice || b.Raw != "abc" || b.Locator != pg.URL+" item 1" || !strings.Contains(b.Problem, "want a finite number") {
		t.Fatalf("bad value %+v", b)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
