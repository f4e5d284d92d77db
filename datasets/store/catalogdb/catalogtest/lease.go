package catalogtest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

var (
	daemon = catalogdb.Holder{Host: "host-a", PID: 101, Command: "groundtruth daemon"}
	ingest = catalogdb.Holder{Host: "host-b", PID: 202, Command: "groundtruth ingest"}
)

// testLeaseHeld: a second holder of one dataset is refused with the first
// holder named; another dataset is free; after Release it is free again.
func testLeaseHeld(t *testing.T, loc string) {
	a, b := open(t, loc), open(t, loc)
	ctx := ctxT(t)
	l, err := a.AcquireLease(ctx, "prices", daemon, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.AcquireLease(ctx, "prices", ingest, time.Minute)
	if !errors.Is(err, catalogdb.ErrLeaseHeld) {
		t.Fatalf("second writer: err = %v, want ErrLeaseHeld", err)
	}
	for _, want := range []string{"prices", "groundtruth daemon", "pid 101", "host-a"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not name %q", err, want)
		}
	}
	other, err := b.AcquireLease(ctx, "votes", ingest, time.Minute)
	if err != nil {
		t.Fatalf("a writer of another dataset: %v", err)
	}
	leases, err := b.Leases(ctx)
	if err != nil || len(leases) != 2 || leases[0].Dataset != "prices" || leases[0].Holder != daemon {
		t.Fatalf("leases = %+v (%v)", leases, err)
	}
	if err := l.Renew(ctx); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := b.AcquireLease(ctx, "prices", ingest, time.Minute)
	if err != nil || again.TookOver != nil {
		t.Fatalf("after release: %v (took over %v)", err, again)
	}
	if err := l.Renew(ctx); !errors.Is(err, catalogdb.ErrLeaseLost) {
		t.Fatalf("renewing a released lease: %v, want ErrLeaseLost", err)
	}
	other.Release(ctx)
	again.Release(ctx)
}

// testLeaseTakeover: an expired lease (a holder that died) is taken over,
// and the old holder's renewal then fails with ErrLeaseLost.
func testLeaseTakeover(t *testing.T, loc string) {
	a, b := open(t, loc), open(t, loc)
	ctx := ctxT(t)
	dead, err := a.AcquireLease(ctx, "prices", daemon, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(250 * time.Millisecond)
	l, err := b.AcquireLease(ctx, "prices", ingest, time.Minute)
	if err != nil {
		t.Fatalf("taking over an expired lease: %v", err)
	}
	if l.TookOver == nil || *l.TookOver != daemon {
		t.Fatalf("TookOver = %v, want %v", l.TookOver, daemon)
	}
	if err := dead.Renew(ctx); !errors.Is(err, catalogdb.ErrLeaseLost) {
		t.Fatalf("old holder's renewal: %v, want ErrLeaseLost", err)
	}
	if err := dead.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AcquireLease(ctx, "prices", daemon, time.Minute); !errors.Is(err, catalogdb.ErrLeaseHeld) {
		t.Fatalf("the old holder's release must not free the new lease: %v", err)
	}
}

// testLeaseKeep: Keep renews a short lease past its ttl; stop ends the
// renewals with no error.
func testLeaseKeep(t *testing.T, loc string) {
	a, b := open(t, loc), open(t, loc)
	ctx := ctxT(t)
	l, err := a.AcquireLease(ctx, "prices", daemon, 1500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	stop := l.Keep(100 * time.Millisecond)
	time.Sleep(2500 * time.Millisecond)
	_, err = b.AcquireLease(ctx, "prices", ingest, time.Minute)
	if serr := stop(); serr != nil {
		t.Fatalf("stop: %v", serr)
	}
	if !errors.Is(err, catalogdb.ErrLeaseHeld) {
		t.Fatalf("a kept lease was taken: %v", err)
	}
	l.Release(ctx)
}

// testLeaseRace: writers racing for one free dataset: exactly one wins.
func testLeaseRace(t *testing.T, loc string) {
	const n = 6
	dbs := make([]*catalogdb.DB, n)
	for i := range dbs {
		dbs[i] = open(t, loc)
	}
	ctx := ctxT(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, held := 0, 0
	var other []error
	for i := range dbs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			h := catalogdb.Holder{Host: "h", PID: i, Command: fmt.Sprint("writer ", i)}
			_, err := dbs[i].AcquireLease(ctx, "prices", h, time.Minute)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, catalogdb.ErrLeaseHeld):
				held++
			default:
				other = append(other, err)
			}
		}(i)
	}
	wg.Wait()
	if len(other) > 0 || won != 1 || held != n-1 {
		t.Fatalf("won %d, refused %d, errors %v", won, held, other)
	}
}
