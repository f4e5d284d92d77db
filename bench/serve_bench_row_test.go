//go:build duckdb_arrow

package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// BenchmarkServeRowHandler measures the row-with-proof handler alone, in
// process (no sockets): time and allocations per request over a
// 100,000-row version whose proof tree and row blocks are built, for
// several proof-tree tile levels (serve.Config.TileLevel: the lowest level
// kept in memory; below it a proof recomputes up to 2^level leaves). Its
// allocs/op do not depend on the machine's load; its ns/op do. tree-KiB is
// the heap the first request added (the proof tree, mostly); kept-KiB the
// heap the loop added (the decoded row blocks the server keeps: all 391
// of the version once the loop has asked a row of each).
func BenchmarkServeRowHandler(b *testing.B) {
	dir := b.TempDir()
	const rows = 100_000
	st, _ := sealServeBench(b, dir, rows)
	defer st.Close()
	for _, level := range []uint{2, 4, 6} {
		b.Run(fmt.Sprintf("tile-level-%d", level), func(b *testing.B) {
			srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: filepath.Join(dir, "cache"), TileLevel: level,
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
			before := heapAfterGC()
			if w := get(0); w.Code != http.StatusOK {
				b.Fatalf("row 0: %d %s", w.Code, w.Body)
			}
			tree := heapAfterGC() - before
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if w := get((i * 7919) % rows); w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
			b.StopTimer()
			kept := heapAfterGC() - before - tree
			b.ReportMetric(float64(tree)/1024, "tree-KiB")
			b.ReportMetric(float64(kept)/1024, "kept-KiB")
		})
	}
}

// heapAfterGC is the live heap after a collection.
func heapAfterGC() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
