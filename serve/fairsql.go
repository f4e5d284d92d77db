package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// fairSlots hands out a fixed number of SQL slots. When none is free,
// waiters queue per principal and a freed slot goes to the next principal
// in round-robin order (first come, first served within one principal), so
// one tenant's queue of heavy queries cannot starve another's `select 42`.
// A waiter gives up after a bounded wait. One principal holds at most
// perToken slots at once (query_slots − 1 when there are two or more), so
// one tenant's heavy queries never hold every slot: another tenant's query
// starts as soon as it arrives, not after a heavy query's timeout. Invariant:
// while a slot is free, every principal with waiters holds its cap.
type fairSlots struct {
	mu       sync.Mutex
	total    int
	free     int
	perToken int
	held     map[*Principal]int
	queues   map[*Principal][]*slotWaiter
	ring     []*Principal // principals with waiters, next one first
}

type slotWaiter struct {
	ready   chan struct{}
	granted bool
}

func newFairSlots(n int) *fairSlots {
	return &fairSlots{total: n, free: n, perToken: slotsPerToken(n), held: map[*Principal]int{}, queues: map[*Principal][]*slotWaiter{}}
}

// slotsPerToken is the most of n SQL slots one token holds at once: all
// but one, or the only one.
func slotsPerToken(n int) int { return max(1, n-1) }

// acquire takes a slot for p, waiting at most maxWait; the error wraps
// ErrBusy (with a retry delay) when the wait runs out, or is ctx's error.
func (f *fairSlots) acquire(ctx context.Context, p *Principal, maxWait time.Duration) (func(), error) {
	f.mu.Lock()
	if f.free > 0 && f.held[p] < f.perToken { // waiters, if any, are all at their cap
		f.free--
		f.held[p]++
		f.mu.Unlock()
		return f.releaser(p), nil
	}
	w := &slotWaiter{ready: make(chan struct{})}
	if len(f.queues[p]) == 0 {
		f.ring = append(f.ring, p)
	}
	f.queues[p] = append(f.queues[p], w)
	f.mu.Unlock()

	t := time.NewTimer(maxWait)
	defer t.Stop()
	var err error
	select {
	case <-w.ready:
		return f.releaser(p), nil
	case <-t.C:
		err = &retryError{after: maxWait, err: fmt.Errorf("%w: no SQL slot became free within %s (serve.limits.query_max_wait; query_slots %d, shared round-robin by token among SQL queries and verify_version, at most %d per token); retry later",
			ErrBusy, maxWait, f.total, f.perToken)}
	case <-ctx.Done():
		err = ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if w.granted { // granted while giving up: pass the slot on
		f.drop(p)
		f.handOff()
		return nil, err
	}
	f.remove(p, w)
	return nil, err
}

func (f *fairSlots) releaser(p *Principal) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.drop(p)
			f.handOff()
			f.mu.Unlock()
		})
	}
}

// drop counts a slot p held as given back. f.mu is held.
func (f *fairSlots) drop(p *Principal) {
	if f.held[p]--; f.held[p] <= 0 {
		delete(f.held, p)
	}
}

// handOff gives a freed slot to the first waiter of the next principal in
// the ring that holds fewer slots than its cap (skipped principals keep
// their place), or returns it to the pool. f.mu is held.
func (f *fairSlots) handOff() {
	for i, p := range f.ring {
		if f.held[p] >= f.perToken {
			continue
		}
		q := f.queues[p]
		w := q[0]
		f.ring = append(f.ring[:i:i], f.ring[i+1:]...)
		if len(q) > 1 {
			f.queues[p] = q[1:]
			f.ring = append(f.ring, p) // to the back of the ring
		} else {
			delete(f.queues, p)
		}
		f.held[p]++
		w.granted = true
		close(w.ready)
		return
	}
	f.free++
}

// remove takes a waiter that gave up out of its queue. f.mu is held.
func (f *fairSlots) remove(p *Principal, w *slotWaiter) {
	q := f.queues[p]
	for i, x := range q {
		if x == w {
			q = append(q[:i:i], q[i+1:]...)
			break
		}
	}
	if len(q) > 0 {
		f.queues[p] = q
		return
	}
	delete(f.queues, p)
	for i, x := range f.ring {
		if x == p {
			f.ring = append(f.ring[:i:i], f.ring[i+1:]...)
			break
		}
	}
}

// admit applies the per-token query cap, then waits (bounded) for a SQL
// slot; the returned function gives both back.
func (q *QueryEngine) admit(ctx context.Context, p *Principal) (func(), error) {
	lim := q.s.lim
	release, err := hold(p, &q.s.tenants.of(p).queries, lim.QueriesPerToken, "queries (SQL or verify_version)", "queries_per_token")
	if err != nil {
		q.s.cfg.Metrics.limited("queries")
		return nil, err
	}
	free, err := q.slots.acquire(ctx, p, lim.QueryMaxWait)
	if err != nil {
		release()
		if errors.Is(err, ErrBusy) {
			q.s.cfg.Metrics.limited("query_wait")
		}
		return nil, err
	}
	return func() { free(); release() }, nil
}

// resultSize adds up the JSON size of a result's rows as they are read and
// stops the query when it passes the limit.
type resultSize struct {
	limit, n int64
}

func (r *resultSize) add(row []any) error {
	for _, v := range row {
		r.n += jsonSize(v) + 1
	}
	if r.n > r.limit {
		return errTooLarge(r.limit)
	}
	return nil
}

// jsonSize is about the size of v in JSON (exact for plain strings).
func jsonSize(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 4
	case string:
		return int64(len(x)) + 2
	case bool:
		return 5
	case int64, int32, int16, int8, uint64, uint32, uint16, uint8, int, uint, float64, float32:
		return 20
	}
	b, err := json.Marshal(v)
	if err != nil {
		return 16
	}
	return int64(len(b))
}
