//go:build duckdb_arrow

package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// BenchmarkServeRowHandler measures the row-with-proof handler alone, in
// process (no sockets): time and allocations per request over a
// 100,000-row version whose proof tree and row blocks are built. Its
// allocs/op do not depend on the machine's load; its ns/op do.
func BenchmarkServeRowHandler(b *testing.B) {
	dir := b.TempDir()
	const rows = 100_000
	st, _ := sealServeBench(b, dir, rows)
	defer st.Close()
	srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: filepath.Join(dir, "cache"),
		Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 1e9, Burst: 1e9}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()
	get := func(i int) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/v1/datasets/votes/versions/1/rows/"+strconv.Itoa(i), nil))
		return w
	}
	if w := get(0); w.Code != http.StatusOK {
		b.Fatalf("row 0: %d %s", w.Code, w.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if w := get((i * 7919) % rows); w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
