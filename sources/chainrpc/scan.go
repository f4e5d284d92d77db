package chainrpc

import (
	"context"
	"errors"
	"sync"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// SpanState is the adaptive eth_getLogs range size. It is kept in the
// cursor, so a resumed ingest asks for the same ranges an uninterrupted one
// would have asked for (the rows' raw-response digests then match too).
type SpanState struct {
	// Size is the number of blocks per request.
	Size uint64 `json:"size,omitempty"`
	// Ceiling is the smallest range size the node refused recently (0:
	// none); sizes grow towards it, not past it.
	Ceiling uint64 `json:"ceiling,omitempty"`
	// Clean counts request rounds without a refusal since the last one.
	Clean int `json:"clean,omitempty"`
}

// ceilingDecay is how many clean rounds double the ceiling, so the size can
// grow again when the logs get sparser.
const ceilingDecay = 16

// ScanOptions bound a scan.
type ScanOptions struct {
	// InitialSpan is the first range size; MaxSpan the largest.
	InitialSpan, MaxSpan uint64
	// Concurrency is how many ranges are fetched at once.
	Concurrency int
}

// Piece is one successful eth_getLogs response.
type Piece struct {
	Range Range
	Logs  []Log
	// Body is the raw response body and Digest its SHA-256.
	Body   []byte
	Digest datasets.Hash
}

// FetchFunc fetches the logs of one range.
type FetchFunc func(ctx context.Context, r Range) (*Logs, error)

// scanner state of one round: up to Concurrency ranges fetched at once.
type round struct {
	slots []chan slotResult
}

type slotResult struct {
	pieces  []*Piece
	refused uint64 // smallest refused range size, 0 when none
	minOK   uint64 // smallest successful range size of a refused range
	err     error
}

// Scan reads the logs of [from, to] with fetch. Ranges are fetched
// concurrently (at most opts.Concurrency at a time); a range the node
// refuses (ErrRangeTooLarge, or a timeout that persists through the
// client's retries) is split in two, or where the node suggested a range,
// at its end. prep runs on each piece in the fetching goroutine (hashing,
// keeping the raw body, resolving headers); deliver receives the pieces
// strictly in block order in the calling goroutine. The range size adapts
// round by round: it shrinks to what worked after a refusal and grows
// towards the last refused size after clean rounds; the new state is
// returned. The plan depends only on the state and the node's answers, not
// on timing.
func Scan(ctx context.Context, opts ScanOptions, st SpanState, from, to uint64, fetch FetchFunc,
	prep func(context.Context, *Piece) error, deliver func(*Piece) error) (SpanState, error) {
	if from > to {
		return st, nil
	}
	st = st.clamp(opts)
	parent := ctx
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	rounds := make(chan *round, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	var final SpanState
	go func() {
		defer wg.Done()
		defer close(rounds)
		final = plan(ctx, opts, st, from, to, fetch, prep, rounds)
	}()
	err := drain(ctx, rounds, deliver)
	cancel()
	for range rounds { // let the planner finish
	}
	wg.Wait()
	if err != nil {
		return st, err
	}
	if err := parent.Err(); err != nil {
		return st, err
	}
	return final, nil
}

// drain delivers the pieces of every round in order.
func drain(ctx context.Context, rounds <-chan *round, deliver func(*Piece) error) error {
	for rd := range rounds {
		for _, slot := range rd.slots {
			var res slotResult
			select {
			case res = <-slot:
			case <-ctx.Done():
				return ctx.Err()
			}
			if res.err != nil {
				return res.err
			}
			for _, p := range res.pieces {
				if err := deliver(p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// plan issues rounds of ranges and adapts the size after each round.
func plan(ctx context.Context, opts ScanOptions, st SpanState, from, to uint64, fetch FetchFunc,
	prep func(context.Context, *Piece) error, rounds chan<- *round) SpanState {
	for from <= to && ctx.Err() == nil {
		rd := &round{}
		var results []chan slotResult
		var wg sync.WaitGroup
		for i := 0; i < opts.Concurrency && from <= to; i++ {
			r := Range{From: from, To: min(to, from+st.Size-1)}
			if r.To < r.From { // overflow
				r.To = to
			}
			ch := make(chan slotResult, 1)
			mirror := make(chan slotResult, 1)
			rd.slots = append(rd.slots, mirror)
			results = append(results, ch)
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := fetchSplit(ctx, r, fetch, prep)
				ch <- res
				mirror <- res
			}()
			from = r.To + 1
		}
		select {
		case rounds <- rd:
		case <-ctx.Done():
			wg.Wait()
			return st
		}
		wg.Wait()
		refused, minOK, failed := uint64(0), uint64(0), false
		for _, ch := range results {
			res := <-ch
			failed = failed || res.err != nil
			if res.refused > 0 && (refused == 0 || res.refused < refused) {
				refused = res.refused
			}
			if res.minOK > 0 && (minOK == 0 || res.minOK < minOK) {
				minOK = res.minOK
			}
		}
		if failed {
			return st
		}
		st = st.next(opts, refused, minOK)
	}
	return st
}

// next adapts the size after a round.
func (st SpanState) next(opts ScanOptions, refused, minOK uint64) SpanState {
	if refused > 0 {
		st.Size, st.Ceiling, st.Clean = max(minOK, 1), refused, 0
		return st.clamp(opts)
	}
	st.Clean++
	if st.Ceiling > 0 && st.Clean%ceilingDecay == 0 {
		st.Ceiling *= 2
		if st.Ceiling > opts.MaxSpan {
			st.Ceiling = 0
		}
	}
	grow := st.Size * 2
	if st.Ceiling > 0 {
		grow = min(grow, st.Size+(st.Ceiling-st.Size)/2)
	}
	st.Size = max(grow, st.Size)
	return st.clamp(opts)
}

func (st SpanState) clamp(opts ScanOptions) SpanState {
	if st.Size == 0 {
		st.Size = opts.InitialSpan
	}
	st.Size = max(1, min(st.Size, opts.MaxSpan))
	if st.Ceiling > 0 && st.Size >= st.Ceiling {
		st.Size = max(1, st.Ceiling-1)
	}
	return st
}

// fetchSplit fetches r, splitting it while the node refuses it.
func fetchSplit(ctx context.Context, r Range, fetch FetchFunc, prep func(context.Context, *Piece) error) slotResult {
	logs, err := fetch(ctx, r)
	if err == nil {
		p := &Piece{Range: r, Logs: logs.Logs, Body: logs.Body}
		if err := prep(ctx, p); err != nil {
			return slotResult{err: err}
		}
		return slotResult{pieces: []*Piece{p}}
	}
	if r.From == r.To || !(errors.Is(err, ErrRangeTooLarge) || errors.Is(err, ErrTimeout)) || ctx.Err() != nil {
		return slotResult{err: err}
	}
	mid := r.From + (r.To-r.From)/2
	var re *RPCError
	if errors.As(err, &re) {
		if h, ok := re.Hint(); ok && h.From == r.From && h.To < r.To {
			mid = h.To
		}
	}
	out := slotResult{refused: r.Len()}
	for _, half := range []Range{{r.From, mid}, {mid + 1, r.To}} {
		res := fetchSplit(ctx, half, fetch, prep)
		if res.err != nil {
			return res
		}
		out.pieces = append(out.pieces, res.pieces...)
		if res.refused > 0 && res.refused < out.refused {
			out.refused = res.refused
		}
		ok := res.minOK
		if res.refused == 0 {
			ok = half.Len()
		}
		if out.minOK == 0 || (ok > 0 && ok < out.minOK) {
			out.minOK = ok
		}
	}
	return out
}
