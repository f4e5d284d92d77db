package serve_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileHeavyQueriesOnEverySlot is the black-box attack F103's slot
// part: an allowed heavy query (count(*) over range(1e11), stopped only by
// the query timeout) held a SQL slot until its timeout, so with every slot
// taken by one token another token's select 42 waited that long. One
// token now holds at most query_slots−1 slots: while token a runs heavy
// queries on every slot it may hold (and queues more), token b's select 42
// is answered well before a heavy query's timeout, and a's own extra
// queries wait for a's slots rather than taking the last one.
func TestHostileHeavyQueriesOnEverySlot(t *testing.T) {
	const timeout = 6 * time.Second
	h := newHostile(t, 100, serve.Limits{QuerySlots: 2, QueriesPerToken: 4, QueryMaxWait: 3 * timeout}, serve.QueryLimits{Timeout: timeout})
	a, b := h.mcpSession(t, "a"), h.mcpSession(t, "b")
	const heavy = "select count(*) as n from range(100000000000)"
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstEnd time.Time     // when a's first heavy query ended
	texts := make([]string, 2) // one runs, one waits for a's slot
	for i := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			texts[i], _ = query(t, a, heavy)
			mu.Lock()
			if firstEnd.IsZero() {
				firstEnd = time.Now()
			}
			mu.Unlock()
		}()
	}
	defer wg.Wait()
	time.Sleep(500 * time.Millisecond) // a's queries hold their slot and queue
	start := time.Now()
	text, failed := query(t, b, "select 42 as answer")
	answered := time.Now()
	if failed || !strings.Contains(text, "42") {
		t.Fatalf("select 42 while a's heavy queries run: %s", text)
	}
	wg.Wait()
	// Without the cap, a's two heavy queries hold both slots and b's query
	// starts only when one of them ends at its timeout.
	if !answered.Before(firstEnd) || answered.Sub(start) > timeout/2 {
		t.Fatalf("select 42 took %s and was answered %s after a's first heavy query ended (timeout %s); want it answered meanwhile",
			answered.Sub(start), answered.Sub(firstEnd), timeout)
	}
	for i, text := range texts {
		if !strings.Contains(text, "ran longer than "+timeout.String()) {
			t.Errorf("heavy query %d: %q, want it stopped by the timeout", i, text)
		}
	}
}
