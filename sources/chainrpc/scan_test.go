package chainrpc

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeNode serves synthetic logs (density(b) per block) and refuses ranges
// with more than limit logs.
type fakeNode struct {
	density func(b uint64) int
	limit   int
	hint    bool // suggest a range in refusals, like Alchemy
	failAt  uint64
	mu      *sync.Mutex
	asked   []Range
	jitter  bool
}

func (f *fakeNode) fetch(ctx context.Context, r Range) (*Logs, error) {
	if f.mu == nil {
		panic("fakeNode without a mutex")
	}
	f.mu.Lock()
	f.asked = append(f.asked, r)
	f.mu.Unlock()
	if f.jitter {
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.failAt != 0 && r.From <= f.failAt && f.failAt <= r.To {
		return nil, errors.New("boom")
	}
	var logs []Log
	for b := r.From; b <= r.To; b++ {
		for i := 0; i < f.density(b); i++ {
			logs = append(logs, Log{BlockNumber: b, LogIndex: uint32(i)})
		}
	}
	if len(logs) > f.limit {
		e := &RPCError{Code: -32005, Message: fmt.Sprintf("query returned more than %d results", f.limit)}
		if f.hint {
			// Suggest the longest prefix that fits.
			n, to := 0, r.From
			for b := r.From; b <= r.To && n+f.density(b) <= f.limit; b++ {
				n, to = n+f.density(b), b
			}
			e.Message += fmt.Sprintf(". Try with this block range [0x%x, 0x%x].", r.From, to)
		}
		e.classify("eth_getLogs")
		return nil, e
	}
	return &Logs{Logs: logs, Body: []byte("x")}, nil
}

func (f *fakeNode) total(from, to uint64) int {
	n := 0
	for b := from; b <= to; b++ {
		n += f.density(b)
	}
	return n
}

func scan(t *testing.T, f *fakeNode, opts ScanOptions, st SpanState, from, to uint64) ([]Range, int, SpanState, error) {
	t.Helper()
	var got []Range
	n := 0
	st, err := Scan(context.Background(), opts, st, from, to, f.fetch,
		func(context.Context, *Piece) error { return nil },
		func(p *Piece) error {
			got = append(got, p.Range)
			n += len(p.Logs)
			return nil
		})
	return got, n, st, err
}

func TestScanInOrderAndComplete(t *testing.T) {
	noLeaks(t)
	dense := func(b uint64) int { return int(b%7) * 3 }
	tests := []struct {
		name  string
		node  fakeNode
		opts  ScanOptions
		from  uint64
		to    uint64
		check func(t *testing.T, st SpanState)
	}{
		{"no refusals", fakeNode{density: dense, limit: 1 << 30}, ScanOptions{InitialSpan: 10, MaxSpan: 100, Concurrency: 4}, 5, 1000,
			func(t *testing.T, st SpanState) {
				if st.Size != 100 {
					t.Errorf("size %d, want it grown to the maximum", st.Size)
				}
			}},
		{"refusals", fakeNode{density: dense, limit: 40}, ScanOptions{InitialSpan: 64, MaxSpan: 1000, Concurrency: 3}, 0, 2000,
			func(t *testing.T, st SpanState) {
				if st.Size > 64 || st.Ceiling == 0 {
					t.Errorf("state %+v, want a size below the refused sizes and a ceiling", st)
				}
			}},
		{"hints", fakeNode{density: dense, limit: 40, hint: true}, ScanOptions{InitialSpan: 500, MaxSpan: 500, Concurrency: 2}, 0, 1000, nil},
		{"single", fakeNode{density: dense, limit: 40}, ScanOptions{InitialSpan: 1, MaxSpan: 1, Concurrency: 1}, 7, 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.node
			f.jitter, f.mu = true, &sync.Mutex{}
			got, n, st, err := scan(t, &f, tt.opts, SpanState{}, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			next := tt.from
			for _, r := range got {
				if r.From != next || r.To < r.From {
					t.Fatalf("pieces %v: %v does not continue at %d", got, r, next)
				}
				next = r.To + 1
			}
			if next != tt.to+1 || n != f.total(tt.from, tt.to) {
				t.Fatalf("pieces end at %d with %d logs, want %d and %d", next-1, n, tt.to, f.total(tt.from, tt.to))
			}
			if tt.check != nil {
				tt.check(t, st)
			}
		})
	}
}

// TestScanDeterministic: the same state and answers give the same
// requests and the same new state, whatever the timing.
func TestScanDeterministic(t *testing.T) {
	noLeaks(t)
	var first []Range
	var firstSt SpanState
	for i := 0; i < 5; i++ {
		f := &fakeNode{density: func(b uint64) int { return int(b*b%11) + 1 }, limit: 50, jitter: true, mu: &sync.Mutex{}}
		_, _, st, err := scan(t, f, ScanOptions{InitialSpan: 40, MaxSpan: 400, Concurrency: 4}, SpanState{}, 0, 1500)
		if err != nil {
			t.Fatal(err)
		}
		asked := slices.Clone(f.asked)
		slices.SortFunc(asked, func(a, b Range) int {
			if a.From != b.From {
				return int(a.From) - int(b.From)
			}
			return int(a.To) - int(b.To)
		})
		if i == 0 {
			first, firstSt = asked, st
			continue
		}
		if !slices.Equal(asked, first) || st != firstSt {
			t.Fatalf("run %d asked %d ranges ending in state %+v; run 0 asked %d ending in %+v", i, len(asked), st, len(first), firstSt)
		}
	}
}

func TestScanErrors(t *testing.T) {
	noLeaks(t)
	f := &fakeNode{density: func(uint64) int { return 1 }, limit: 1 << 30, failAt: 500, jitter: true, mu: &sync.Mutex{}}
	got, _, _, err := scan(t, f, ScanOptions{InitialSpan: 10, MaxSpan: 10, Concurrency: 4}, SpanState{}, 0, 1000)
	if err == nil || err.Error() != "boom" {
		t.Fatalf("error %v, want boom", err)
	}
	if len(got) == 0 || got[len(got)-1].To >= 500 {
		t.Errorf("delivered up to %v; want pieces before block 500 only", got[len(got)-1])
	}
	// A single block over the limit cannot be split.
	f = &fakeNode{density: func(uint64) int { return 100 }, limit: 10, mu: &sync.Mutex{}}
	if _, _, _, err := scan(t, f, ScanOptions{InitialSpan: 4, MaxSpan: 4, Concurrency: 2}, SpanState{}, 0, 3); !errors.Is(err, ErrRangeTooLarge) {
		t.Errorf("error %v, want ErrRangeTooLarge", err)
	}
	// Cancellation stops the scan.
	ctx, cancel := context.WithCancel(context.Background())
	f = &fakeNode{density: func(uint64) int { return 1 }, limit: 1 << 30, mu: &sync.Mutex{}}
	n := 0
	_, err = Scan(ctx, ScanOptions{InitialSpan: 1, MaxSpan: 1, Concurrency: 2}, SpanState{}, 0, 1_000_000, f.fetch,
		func(context.Context, *Piece) error { return nil },
		func(*Piece) error {
			if n++; n == 3 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestSpanState(t *testing.T) {
	opts := ScanOptions{InitialSpan: 100, MaxSpan: 1000, Concurrency: 1}
	st := SpanState{}.clamp(opts)
	if st.Size != 100 {
		t.Fatalf("initial %+v", st)
	}
	st = st.next(opts, 100, 50) // refused 100, 50 worked
	if st.Size != 50 || st.Ceiling != 100 {
		t.Fatalf("after a refusal %+v", st)
	}
	st = st.next(opts, 0, 0)
	if st.Size != 75 {
		t.Fatalf("after a clean round %+v, want halfway to the ceiling", st)
	}
	for range ceilingDecay * 5 {
		st = st.next(opts, 0, 0)
	}
	if st.Size != 1000 || st.Ceiling != 0 {
		t.Fatalf("after many clean rounds %+v, want the maximum and no ceiling", st)
	}
}
