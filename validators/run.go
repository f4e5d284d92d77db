package validators

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// runResult is what one validator of a run returned.
type runResult struct {
	findings []Finding
	err      error
	panicked any
	ran      bool
}

// runAll calls every validator of the suite on in, up to s.workers at
// once, started in call order, and returns their findings in call order.
// A validator waiting for a value another one is building (Input.Memo, a
// Table column) gives its slot up meanwhile. After a failure no further
// validator starts; the error is that of the first validator, in call
// order, that failed, and a panic in a validator is raised again in the
// caller's goroutine.
func (s *Suite) runAll(ctx context.Context, in *Input) ([][]Finding, error) {
	res := make([]runResult, len(s.validators))
	workers := s.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers == 1 {
		for i, v := range s.validators {
			if ctx.Err() != nil {
				break
			}
			if res[i] = s.runOne(ctx, v, in); res[i].failed() {
				break
			}
		}
		return collect(ctx, in, res)
	}
	slots := make(workerSlots, workers)
	in.memo.slot, in.Table.cache.slot = &slots, &slots
	defer func() { in.memo.slot, in.Table.cache.slot = nil, nil }()
	var failed atomic.Bool
	var wg sync.WaitGroup
	for i, v := range s.validators {
		slots.acquire()
		if failed.Load() || ctx.Err() != nil {
			slots.release()
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer slots.release()
			if res[i] = s.runOne(ctx, v, in); res[i].failed() {
				failed.Store(true)
			}
		}()
	}
	wg.Wait()
	return collect(ctx, in, res)
}

func (r *runResult) failed() bool { return r.err != nil || r.panicked != nil }

// collect returns the findings of res in call order, or the first failure.
func collect(ctx context.Context, in *Input, res []runResult) ([][]Finding, error) {
	out := make([][]Finding, len(res))
	for i, r := range res {
		if r.panicked != nil {
			panic(r.panicked)
		}
		if r.err != nil {
			return nil, r.err
		}
		if !r.ran {
			return nil, fmt.Errorf("validation of %s: %w", in.Dataset, ctx.Err())
		}
		out[i] = r.findings
	}
	return out, nil
}

// runOne calls v and checks its findings against the contract.
func (s *Suite) runOne(ctx context.Context, v Validator, in *Input) (r runResult) {
	r.ran = true
	defer func() {
		if p := recover(); p != nil {
			r.panicked = p
		}
	}()
	start := time.Now()
	fs, err := v.Validate(ctx, in)
	if err != nil {
		r.err = fmt.Errorf("validator %s on %s: %w", v.Name(), in.Dataset, err)
		return r
	}
	if err := CheckFindings(v, in.Rows(), fs); err != nil {
		r.err = err
		return r
	}
	s.log.Debug("validator ran", "validator", v.Name(), "dataset", in.Dataset, "findings", len(fs), "took", time.Since(start))
	r.findings = fs
	return r
}
