package serve_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileListBuilders is the black-box attack F103: list functions
// escaped DuckDB's memory limit and the query deadline
// (list_sort(range(10000000)) took 1.6 GB and ran a minute, and held the
// only SQL slot, so another tenant's select 42 got "server busy"). The
// guard now refuses list- and string-building calls of non-constant or
// large size before DuckDB runs anything: each attack is refused at once,
// with the bound in the message, and another token's select 42 answers
// meanwhile; small lists still run.
func TestHostileListBuilders(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{QuerySlots: 1, QueriesPerToken: 8, QueryMaxWait: 2 * time.Second}, serve.QueryLimits{Timeout: 2 * time.Second})
	a, b := h.mcpSession(t, "a"), h.mcpSession(t, "b")
	attacks := []string{
		"select max(x) from (select list_sort(range(3000000)) x)",
		"select max(len(x)) from (select [i for i in range(3000000)] x)",
		"select length(repeat('x', 300000000))",
		"select len(list_transform(range(2000), x -> range(2000)))",
		"select len(range(r)) from range(3000000) t(r)",
	}
	var wg sync.WaitGroup
	texts := make([]string, len(attacks))
	took := make([]time.Duration, len(attacks))
	for i, sql := range attacks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			texts[i], _ = query(t, a, sql)
			took[i] = time.Since(start)
		}()
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	text, failed := query(t, b, "select 42 as answer")
	took42 := time.Since(start)
	wg.Wait()
	if failed || !strings.Contains(text, "42") {
		t.Errorf("select 42 while the attacks run: %s", text)
	}
	if took42 > 4*time.Second { // generous: the machine is loaded; before the fix it was "server busy"
		t.Errorf("select 42 took %s", took42)
	}
	for i, sql := range attacks {
		if !strings.Contains(texts[i], "query refused") || !(strings.Contains(texts[i], "at most 1000 per query") || strings.Contains(texts[i], "needs constant integer arguments")) {
			t.Errorf("%s: %q, want a refusal naming the bound", sql, texts[i])
		}
		if took[i] > 4*time.Second { // before the fix: 6 s and more (past the 2 s timeout)
			t.Errorf("%s: answered after %s, want a refusal before it runs", sql, took[i])
		}
	}
	for _, sql := range []string{
		"select len(list_sort(range(1000))) as n",
		"select count(*) as n from range(10000000)",
		"select len(generate_series(1, 10)) as n, length(repeat('-', 20)) as m",
	} {
		if text, failed := query(t, a, sql); failed {
			t.Errorf("%s: refused: %s", sql, text)
		}
	}
}
