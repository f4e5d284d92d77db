package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/gaps"
)

// blocks is a chain-like source: block b holds 2 rows (rows 2b, 2b+1 of
// the votes table); the head is at block head; the cursor is the next block.
type blocks struct {
	start, end, step, head uint64
}

func (b *blocks) ID() string               { return "blocks" }
func (b *blocks) Schema() *datasets.Schema { return datasetstest.VotesSchema() }

func (b *blocks) NextBlock(cur sources.Cursor) (uint64, error) {
	if cur == nil {
		return b.start, nil
	}
	return strconv.ParseUint(string(cur), 10, 64)
}

func (b *blocks) WithBlockRange(r sources.BlockRange) (sources.Source, error) {
	c := *b
	if r.Start != nil {
		c.start = *r.Start
	}
	c.end, c.step = r.End, r.Step
	return &c, nil
}

func (b *blocks) Fetch(_ context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	next, _ := b.NextBlock(cur)
	to := b.head
	if b.end > 0 {
		to = min(to, b.end)
	}
	if b.step > 0 {
		to = min(to, next+b.step-1)
	}
	if to >= next {
		rec := datasetstest.VotesBatch(nil, int(2*next), int(2*(to-next+1)))
		defer rec.Release()
		if err := emit(rec); err != nil {
			return sources.Result{}, err
		}
		next = to + 1
	}
	return sources.Result{Cursor: sources.Cursor(strconv.FormatUint(next, 10))}, nil
}

func TestBackfill(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	runner, _ := newRunner(t, st)
	src := &blocks{start: 0, head: 1000}
	sp := spec("chain", src, nil)
	var out bytes.Buffer
	res, err := runner.Backfill(ctx, sp, pipeline.BackfillOptions{From: 100, To: 199, Step: 30, Progress: pipeline.NewProgress(&out, false, "chain", "blocks")})
	if err != nil || !res.Complete || len(res.Runs) != 4 || res.Next != 200 {
		t.Fatalf("backfill: %+v %v", res, err)
	}
	if !strings.Contains(out.String(), "chain: 30/100 blocks (30.0%), chain@1, 60 rows") || !strings.Contains(out.String(), "100/100 blocks (100.0%), chain@4") {
		t.Fatalf("progress:\n%s", out.String())
	}
	m, _ := st.Version(ctx, "chain", 0)
	if m.Manifest.RowCount != 200 {
		t.Fatalf("rows: %d", m.Manifest.RowCount)
	}
	for _, tc := range []struct {
		from, to uint64
		want     error
	}{{250, 300, pipeline.ErrBadRange}, {10, 5, pipeline.ErrBadRange}} {
		if _, err := runner.Backfill(ctx, sp, pipeline.BackfillOptions{From: tc.from, To: tc.to}); !errors.Is(err, tc.want) {
			t.Errorf("%d-%d: %v", tc.from, tc.to, err)
		}
	}
	if res, err := runner.Backfill(ctx, sp, pipeline.BackfillOptions{From: 150, To: 180}); err != nil || !res.Skipped {
		t.Errorf("an ingested range: %+v %v", res, err)
	}
	// Overlapping the end: continues from block 200; the head (1000) stops a
	// range that reaches beyond it.
	src.head = 260
	res, err = runner.Backfill(ctx, sp, pipeline.BackfillOptions{From: 150, To: 400})
	if err != nil || res.Complete || res.Next != 261 {
		t.Fatalf("beyond the head: %+v %v", res, err)
	}
	if _, err := runner.Backfill(ctx, spec("plain", &counter{id: "c", per: 1, total: 1}, nil), pipeline.BackfillOptions{To: 5}); !errors.Is(err, pipeline.ErrNoRange) {
		t.Fatalf("a source without ranges: %v", err)
	}
	var bar bytes.Buffer
	p := pipeline.NewProgress(&bar, true, "x", "blocks")
	p.Update(5, 10, "x@1")
	p.Finish()
	if !strings.Contains(bar.String(), "\r\033[Kx [==============>               ]  50.0% 5/10 blocks  x@1\n") {
		t.Fatalf("bar: %q", bar.String())
	}
}

// TestBackfillFreshnessAtDataTime checks that a backfill measures
// gaps.freshness at the data's own newest time (the check's mode: backfill),
// while an ordinary run of the same configuration finds the 2021 data stale.
func TestBackfillFreshnessAtDataTime(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	runner, _ := newRunner(t, st)
	suite := func() *validators.Suite {
		f, err := gaps.NewFreshness("", gaps.FreshnessConfig{Time: "block_time", Heartbeat: validators.Duration(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		s, err := validators.NewSuite([]validators.Validator{f}, nil, validators.SuiteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	stale := func(res *pipeline.RunResult) (failed, seen bool) {
		t.Helper()
		if res.Err != nil || res.Ingest == nil || res.Ingest.Validation == nil {
			t.Fatalf("run: %+v", res)
		}
		for _, f := range res.Ingest.Validation.Report.Findings {
			if f.Code == gaps.CodeStale {
				seen, failed = true, failed || !f.Passed
			}
		}
		return failed, seen
	}
	live := spec("live", &blocks{start: 100, head: 129}, nil)
	live.Job.Validation = suite()
	if failed, seen := stale(runner.Run(ctx, live, pipeline.TriggerOnce, 1)); !seen || !failed {
		t.Fatalf("an ordinary run of 2021 data: gaps.stale seen %v, failed %v; want a failure", seen, failed)
	}
	hist := spec("hist", &blocks{start: 0, head: 1000}, nil)
	hist.Job.Validation = suite()
	res, err := runner.Backfill(ctx, hist, pipeline.BackfillOptions{From: 100, To: 159, Step: 30})
	if err != nil || !res.Complete || len(res.Runs) != 2 {
		t.Fatalf("backfill: %+v %v", res, err)
	}
	for i, r := range res.Runs {
		if failed, seen := stale(r); !seen || failed {
			t.Fatalf("backfill run %d: gaps.stale seen %v, failed %v; want it measured at the data's time (passed)", i, seen, failed)
		}
	}
	if hist.Job.Backfill {
		t.Fatal("Backfill changed the caller's spec")
	}
}
