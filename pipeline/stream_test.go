package pipeline_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// gated emits batches of the votes table from its cursor, each allocated
// from a checked allocator and released right after emit, and records the
// most the allocator still held after a release: what the pipeline kept of
// the fetched records. After its first batch it can wait on proceed, and
// it can fail after failAfter batches.
type gated struct {
	id             string
	batches, per   int
	mem            *memory.CheckedAllocator
	held           atomic.Int64
	first, proceed chan struct{}
	failAfter      int
}

func newGated(id string, batches, per int) *gated {
	return &gated{id: id, batches: batches, per: per, mem: memory.NewCheckedAllocator(memory.NewGoAllocator())}
}

func (g *gated) ID() string               { return g.id }
func (g *gated) Schema() *datasets.Schema { return datasetstest.VotesSchema() }

func (g *gated) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	from := 0
	if cur != nil {
		from, _ = strconv.Atoi(string(cur))
	}
	for i := range g.batches {
		if g.failAfter > 0 && i == g.failAfter {
			return sources.Result{}, errors.New("origin closed the connection")
		}
		rec := datasetstest.VotesBatch(g.mem, from+i*g.per, g.per)
		err := emit(rec)
		rec.Release()
		if errors.Is(err, sources.ErrEnough) {
			return sources.Result{Cursor: sources.Cursor(strconv.Itoa(from + (i+1)*g.per)), Provenance: datasets.Provenance{Sources: []string{g.id}}}, nil
		}
		if err != nil {
			return sources.Result{}, err
		}
		if n := int64(g.mem.CurrentAlloc()); n > g.held.Load() {
			g.held.Store(n)
		}
		if i == 0 && g.first != nil {
			close(g.first)
		}
		if i == 0 && g.proceed != nil {
			select {
			case <-g.proceed:
			case <-ctx.Done():
				return sources.Result{}, ctx.Err()
			}
		}
	}
	to := from + g.batches*g.per
	return sources.Result{Cursor: sources.Cursor(strconv.Itoa(to)), Provenance: datasets.Provenance{Sources: []string{g.id}}}, nil
}

// batchBytes is what one batch of per votes rows takes in the allocator.
func batchBytes(per int) int64 {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	rec := datasetstest.VotesBatch(mem, 0, per)
	defer rec.Release()
	return int64(mem.CurrentAlloc())
}

// TestDaemonRunStreamsIntoTheSeal runs a 48-batch fetch through the
// Runner (the daemon's path) into a store that writes IPC batches of 4
// source batches: the pipeline holds at most a few fetched batches at any
// moment (the segment writer's pending batch and its queues; a prefetch
// would hold all 48), and the version holds every row.
func TestDaemonRunStreamsIntoTheSeal(t *testing.T) {
	const batches, per = 48, 1024
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{MemoryLimit: "128MB", Builder: datasets.BuilderOptions{BatchRows: 4 * per}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runner, _ := newRunner(t, st)
	src := newGated("big", batches, per)
	res := runner.Run(ctx, spec("big", src, nil), pipeline.TriggerSchedule, 1)
	if res.Err != nil || res.Record.Outcome != store.RunOK || res.Ingest.Manifest.RowCount != batches*per {
		t.Fatalf("run: %+v %v", res.Record, res.Err)
	}
	if held, one := src.held.Load(), batchBytes(per); held > 16*one {
		t.Fatalf("the pipeline held %d bytes of fetched records (%.1f of the run's %d batches)", held, float64(held)/float64(one), batches)
	}
	src.mem.AssertSize(t, 0)
}

// TestRunsOfDifferentDatasetsDoNotWait holds a run of one dataset in the
// middle of its fetch, with its version writer open, while a run of another
// dataset seals; then the first run seals every row.
func TestRunsOfDifferentDatasetsDoNotWait(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	runner, _ := newRunner(t, st)
	slow := newGated("slow", 5, 1000)
	slow.first, slow.proceed = make(chan struct{}), make(chan struct{})
	done := make(chan *pipeline.RunResult, 1)
	go func() { done <- runner.Run(ctx, spec("slow", slow, nil), pipeline.TriggerSchedule, 1) }()
	<-slow.first
	quick, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res := runner.Run(quick, spec("fast", &counter{id: "fast", per: 10, total: 10}, nil), pipeline.TriggerSchedule, 1)
	if res.Err != nil || res.Record.Outcome != store.RunOK {
		t.Fatalf("the run of another dataset waited for the open writer: %+v %v", res.Record, res.Err)
	}
	select {
	case r := <-done:
		t.Fatalf("the slow run ended before it was let go: %+v", r.Record)
	default:
	}
	close(slow.proceed)
	if r := <-done; r.Err != nil || r.Ingest.Manifest.RowCount != 5000 {
		t.Fatalf("slow run: %+v %v", r.Record, r.Err)
	}
}

// TestStreamedRunFailingMidFetchSealsNothing: a run that fails or times
// out after rows were written seals nothing, keeps the checkpoint and
// releases the dataset's writer, so the next run seals every row once.
func TestStreamedRunFailingMidFetchSealsNothing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outcome string
		setup   func(*gated, *pipeline.Spec)
	}{
		{"source error after two batches", store.RunFailed, func(g *gated, _ *pipeline.Spec) { g.failAfter = 2 }},
		{"timeout while the writer is open", store.RunTimeout, func(g *gated, sp *pipeline.Spec) {
			g.proceed, sp.Timeout = make(chan struct{}), 200*time.Millisecond
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t, t.TempDir())
			runner, _ := newRunner(t, st)
			src := newGated("src", 4, 500)
			sp := spec("src", src, nil)
			tc.setup(src, sp)
			if res := runner.Run(ctx, sp, pipeline.TriggerSchedule, 1); res.Record.Outcome != tc.outcome {
				t.Fatalf("outcome %q (%v), want %q", res.Record.Outcome, res.Err, tc.outcome)
			}
			if vs, err := st.Versions(ctx, "src"); !errors.Is(err, store.ErrNotFound) || len(vs) != 0 {
				t.Fatalf("versions after the failed run: %+v %v", vs, err)
			}
			if cp, err := st.Checkpoint(ctx, "src"); err != nil || cp != nil {
				t.Fatalf("checkpoint moved: %q %v", cp, err)
			}
			src.failAfter, src.proceed, sp.Timeout = 0, nil, 0
			res := runner.Run(ctx, sp, pipeline.TriggerRetry, 2)
			if res.Err != nil || res.Ingest.Manifest.Version != 1 || res.Ingest.Manifest.RowCount != 2000 {
				t.Fatalf("next run: %+v %v", res.Record, res.Err)
			}
			src.mem.AssertSize(t, 0)
		})
	}
}
