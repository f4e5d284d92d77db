package snapshot

import (
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
