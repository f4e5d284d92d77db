package snapshot

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
)

// TestFetchLocators checks that every emitted row is located by its
// answer (the hub's URL and the page's query) and its index in the
// answer's list, pages covering the rows in order.
func TestFetchLocators(t *testing.T) {
	data := fakeapi.Generate(fakeapi.GenOptions{Votes: 40, Burst: 2})
	hub := fakeapi.StartHub(data, fakeapi.HubOptions{})
	defer hub.Close()
	cfg := testConfig(hub.URL, TableVotes, "groundtruth.eth", 7)
	s := mustNew(t, "snap", cfg, testDeps(t, nil))
	rows, res, err := fetchAll(t, s, nil)
	if err != nil || len(rows) == 0 {
		t.Fatalf("rows %d, %v", len(rows), err)
	}
	next := 0
	for _, pg := range res.Pages {
		if pg.FirstRow != next || !strings.HasPrefix(pg.URL, hub.URL) || !strings.Contains(pg.URL, "(votes page ") || !strings.Contains(pg.URL, "skip=") {
			t.Fatalf("page %+v after %d rows", pg, next)
		}
		for i, item := range pg.Items {
			if item < 0 || item >= cfg.PageSize || (i > 0 && item <= pg.Items[i-1]) {
				t.Fatalf("page %+v: item %d", pg, item)
			}
			if !strings.HasSuffix(pg.Locator(i), " item "+itoa(item)) {
				t.Fatalf("locator %q", pg.Locator(i))
			}
		}
		next += len(pg.Items)
	}
	if next != len(rows) {
		t.Fatalf("pages locate %d rows of %d", next, len(rows))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestFetchBadVoteValue checks that a vote whose vp or choice does not
// convert is emitted with a placeholder and reported as a bad value of its
// row (column, raw value, locator), the other votes as they are.
func TestFetchBadVoteValue(t *testing.T) {
	body := `{"data":{"votes":[` +
		`{"id":"0xa1","voter":"0x01","created":1700000000,"space":{"id":"sp"},"proposal":{"id":"0xp"},"choice":1,"vp":12.5,"vp_state":"final"},` +
		`{"id":"0xa2","voter":"0x02","created":1700000001,"space":{"id":"sp"},"proposal":{"id":"0xp"},"choice":2,"vp":"lots","vp_state":"final"},` +
		`{"id":"0xa3","voter":"0x03","created":1700000002,"space":{"id":"sp"},"proposal":{"id":"0xp"},"vp":3,"vp_state":"final"}]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	s := mustNew(t, "snap", testConfig(srv.URL, TableVotes, "sp", 10), testDeps(t, nil))
	rows, res, err := fetchAll(t, s, nil)
	if err != nil {
		t.Fatalf("a bad cell failed the fetch: %v", err)
	}
	if len(rows) != 3 || len(res.BadValues) != 2 {
		t.Fatalf("rows %d, bad values %+v; want 3 rows, 2 bad values", len(rows), res.BadValues)
	}
	want := []struct {
		row       int
		col, raw  string
		locSuffix string
	}{{1, "vp", `"lots"`, " item 1"}, {2, "choice", "", " item 2"}}
	for i, w := range want {
		b := res.BadValues[i]
		if b.Row != w.row || b.Column != w.col || b.Raw != w.raw || !strings.HasPrefix(b.Locator, srv.URL) || !strings.HasSuffix(b.Locator, w.locSuffix) {
			t.Errorf("bad value %d: %+v, want row %d column %s raw %s locator …%s", i, b, w.row, w.col, w.raw, w.locSuffix)
		}
	}
}
