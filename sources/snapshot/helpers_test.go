package snapshot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// fastHTTP is an HTTP configuration with short timeouts and backoffs.
func fastHTTP() httpfetch.Config {
	c := httpfetch.DefaultConfig(0)
	c.Timeout = 2 * time.Second
	c.Attempts = 4
	c.BackoffMin = 5 * time.Millisecond
	c.BackoffMax = 20 * time.Millisecond
	c.MaxRetryAfter = 2 * time.Second
	return c
}

func testConfig(url, table, space string, pageSize int) Config {
	c := DefaultConfig()
	c.URL, c.Table, c.Space, c.PageSize, c.HTTP = url, table, space, pageSize, fastHTTP()
	return c
}

// testDeps returns deps whose HTTP client's idle connections are closed
// when the test ends.
func testDeps(t testing.TB, raw sources.RawStore) sources.Deps {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return sources.Deps{HTTP: &http.Client{Transport: tr}, Raw: raw}
}

func mustNew(t testing.TB, id string, cfg Config, deps sources.Deps) *Source {
	t.Helper()
	s, err := New(id, cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// row is one row rendered by column name (nulls are absent).
type row map[string]string

func rowsOf(rec arrow.RecordBatch) []row {
	out := make([]row, rec.NumRows())
	for i := range out {
		out[i] = row{}
		for c, f := range rec.Schema().Fields() {
			if rec.Column(c).IsValid(i) {
				out[i][f.Name] = rec.Column(c).ValueStr(i)
			}
		}
	}
	return out
}

// fetchAll runs one fetch and collects its rows.
func fetchAll(t testing.TB, s sources.Source, cur sources.Cursor) ([]row, sources.Result, error) {
	t.Helper()
	var out []row
	res, err := s.Fetch(context.Background(), cur, func(rec arrow.RecordBatch) error {
		out = append(out, rowsOf(rec)...)
		return nil
	})
	return out, res, err
}

// drain fetches until a fetch returns no rows; it returns all rows.
func drain(t testing.TB, s sources.Source, cur sources.Cursor) ([]row, sources.Cursor) {
	t.Helper()
	var all []row
	for {
		rows, res, err := fetchAll(t, s, cur)
		if err != nil {
			t.Fatal(err)
		}
		all, cur = append(all, rows...), res.Cursor
		if len(rows) == 0 {
			return all, cur
		}
	}
}

// storedRows reads the latest version of dataset.
func storedRows(t testing.TB, st *store.Store, dataset string) ([]row, *datasets.Manifest) {
	t.Helper()
	rec, err := st.Version(context.Background(), dataset, 0)
	if err != nil {
		t.Fatal(err)
	}
	vr, err := datasets.NewVersionReader(st.Root(), rec.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	defer vr.Release()
	var out []row
	for vr.Next() {
		out = append(out, rowsOf(vr.RecordBatch())...)
	}
	if err := vr.Err(); err != nil {
		t.Fatal(err)
	}
	return out, rec.Manifest
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// recorded loads the recorded hub answers in ../../internal/fakeapi/testdata.
func recorded(t testing.TB) fakeapi.HubData {
	t.Helper()
	dir := filepath.Join("..", "..", "internal", "fakeapi", "testdata", "snapshot")
	d, err := fakeapi.LoadHubResponses(filepath.Join(dir, "spaces.json"), filepath.Join(dir, "proposals.json"), filepath.Join(dir, "votes.json"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// finalIDs returns the ids of the final items, in the hub's order
// (created, then id); with stateField "" (spaces) every item is final.
func finalIDs(items []fakeapi.Item, stateField string) []string {
	type kv struct {
		created int64
		id      string
	}
	var list []kv
	for _, it := range items {
		var state, id string
		var created int64
		json.Unmarshal(it[stateField], &state)
		json.Unmarshal(it["id"], &id)
		json.Unmarshal(it["created"], &created)
		if stateField == "" || state == "final" {
			list = append(list, kv{created, id})
		}
	}
	sortKV := func(i, j int) bool {
		if list[i].created != list[j].created {
			return list[i].created < list[j].created
		}
		return list[i].id < list[j].id
	}
	for i := 1; i < len(list); i++ { // insertion sort keeps the helper dependency-free
		for j := i; j > 0 && sortKV(j, j-1); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.id
	}
	return out
}

// checkIDs checks that rows hold exactly ids, in order, once each.
func checkIDs(t testing.TB, rows []row, ids []string) {
	t.Helper()
	if len(rows) != len(ids) {
		t.Fatalf("%d rows, want %d", len(rows), len(ids))
	}
	for i, id := range ids {
		if rows[i]["id"] != id {
			t.Fatalf("row %d is %s, want %s", i, rows[i]["id"], id)
		}
	}
}

func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
