package pipeline

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// RunOnce runs every spec one time (at most concurrency at once; 0: one
// at a time) without retries, as `groundtruth run --once` does for an
// external cron, and returns the results in the order of specs. The error
// wraps ErrRunsFailed when any run failed, naming them.
func (r *Runner) RunOnce(ctx context.Context, specs []*Spec, concurrency int) ([]*RunResult, error) {
	if err := r.Recover(ctx, specs); err != nil {
		return nil, err
	}
	concurrency = max(concurrency, 1)
	out := make([]*RunResult, len(specs))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = r.Run(ctx, spec, TriggerOnce, 1)
		}()
	}
	wg.Wait()
	var failed []string
	for _, res := range out {
		if res.Err != nil {
			failed = append(failed, fmt.Sprintf("%s (%s): %v", res.Record.Job, res.Record.Outcome, res.Err))
		}
	}
	if len(failed) > 0 {
		return out, fmt.Errorf("%w: %d of %d: %s", ErrRunsFailed, len(failed), len(specs), strings.Join(failed, "; "))
	}
	return out, nil
}
