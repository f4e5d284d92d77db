//go:build duckdb_arrow

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// envSQLAggQuery is the query the child of BenchmarkSQLAggregateRSS runs.
const envSQLAggQuery = "GROUNDTRUTH_BENCH_SQLAGG_QUERY"

// envSQLAggOnly, when set, runs only the queries that contain it.
const envSQLAggOnly = "GROUNDTRUTH_BENCH_SQLAGG_ONLY"

// sqlAggQueries are the black-box round 2's F103 repros (refused by the
// list/string builder guard) and aggregates over huge inputs, which the
// guard lets DuckDB run under its memory limit and the query timeout.
var sqlAggQueries = []string{
	"select 42",
	"select max(x) from (select list_sort(range(10000000)) x)",
	"select length(repeat('a', 1000000000))",
	"select len(list(x)) from range(100000000) t(x)",
	"select len(array_agg(x)) from range(100000000) t(x)",
	"select length(string_agg(x::varchar, ',')) from range(100000000) t(x)",
	"select len(list(x)) from range(10000000) t(x)",
	"select length(string_agg(x::varchar, ',')) from range(10000000) t(x)",
	"select count(distinct x) from range(100000000) t(x)",
	"select cardinality(histogram(x)) from range(10000000) t(x)",
	"select len(list(repeat('x', 1000))) from range(1000000) t(x)",
	"select length(string_agg(repeat('x', 1000), '')) from range(1000000) t(x)",
	"select len(list(x)) from range(30000000) t(x)",
	"select x, count(*) from range(10000000) t(x) group by x order by 2 desc limit 1",
	"select length(repeat('-', 2000))",
	"select bar(x, 0, 10) as a, bar(x, 0, 10) as b from range(10) t(x)",
	"select format('{:>20} {:>20} {:>10}', 'a', 'b', 'c')",
	"select len(generate_series(date '2024-01-01', date '2024-12-31', interval 1 day))",
	"select lpad(x::varchar, 40) as a, lpad(x::varchar, 40) as b from range(3) t(x)",
	"select length(string_agg('-', '')) from range(2000)",
	"select count(d) from generate_series(timestamp '2024-01-01', timestamp '2024-12-31', interval 1 day) t(d)",
	"select count(*) from range(5000) r(i) join votes v on v._row = r.i",
}

// sqlAggResult is what the child prints.
type sqlAggResult struct {
	Query      string  `json:"query"`
	BaseRSSKB  int64   `json:"baseRssKB"`
	PeakRSSKB  int64   `json:"peakRssKB"`
	Seconds    float64 `json:"seconds"`
	Outcome    string  `json:"outcome"`
	MemoryLimt string  `json:"memoryLimit"`
}

// TestSQLAggRSSChild runs one query through the server's SQL engine (the
// same path as MCP query: guard, fresh DuckDB, default limits) in a process
// of its own and prints the peak resident set the query added.
func TestSQLAggRSSChild(t *testing.T) {
	q := os.Getenv(envSQLAggQuery)
	if q == "" {
		t.Skip("run by BenchmarkSQLAggregateRSS")
	}
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := sealServeBench(t, dir, 1000)
	defer st.Close()
	srv, err := serve.New(ctx, serve.Config{Catalog: st, CacheDir: filepath.Join(dir, "cache"),
		Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 1e6, Burst: 1e6}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p, err := srv.Authenticate(map[string][]string{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Query(ctx, p, "select count(*) from votes"); err != nil { // warm: the view and DuckDB loaded
		t.Fatal(err)
	}
	base := peakRSSKB()
	began := time.Now()
	_, err = srv.Query(ctx, p, q)
	res := sqlAggResult{Query: q, BaseRSSKB: base, Seconds: time.Since(began).Seconds(), Outcome: "ok", MemoryLimt: "256MB (default)"}
	res.PeakRSSKB = peakRSSKB()
	if err != nil {
		res.Outcome = err.Error()
		if len(res.Outcome) > 110 {
			res.Outcome = res.Outcome[:110] + "…"
		}
	}
	b, _ := json.Marshal(res)
	fmt.Println("SQLAGG_RESULT", string(b))
}

// BenchmarkSQLAggregateRSS measures, per query, the server process's peak
// RSS (VmHWM) before and after one query, each in a fresh process, with the
// server's default query limits (256 MB DuckDB memory limit, 10 s timeout,
// one thread). It prints a table for docs/serving.md.
func BenchmarkSQLAggregateRSS(b *testing.B) {
	for range b.N {
		fmt.Printf("\n%-80s %9s %9s %7s  %s\n", "query", "base MB", "peak MB", "s", "outcome")
		for _, q := range sqlAggQueries {
			if only := os.Getenv(envSQLAggOnly); only != "" && !strings.Contains(q, only) {
				continue
			}
			out := childtest.Child{Test: "TestSQLAggRSSChild", Env: []string{envSQLAggQuery + "=" + q}}.Output(b)
			_, line, ok := strings.Cut(out, "SQLAGG_RESULT ")
			if !ok {
				b.Fatalf("%s: no result:\n%s", q, out)
			}
			line, _, _ = strings.Cut(line, "\n")
			var r sqlAggResult
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				b.Fatal(err)
			}
			fmt.Printf("%-80s %9.0f %9.0f %7.2f  %s\n", q, float64(r.BaseRSSKB)/1024, float64(r.PeakRSSKB)/1024, r.Seconds, r.Outcome)
		}
	}
}
