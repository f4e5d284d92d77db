//go:build duckdb_arrow

package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

const (
	envDaemonIngest = "GROUNDTRUTH_BENCH_DAEMON_INGEST"
	// envDaemonMemLimit is the child's daemon.memory_limit ("" for the
	// default, config.DefaultMemoryLimit).
	envDaemonMemLimit = "GROUNDTRUTH_BENCH_MEMORY_LIMIT"
	// envHeapProfile names a file for the child's heap profile at its
	// largest live heap (go tool pprof -sample_index=inuse_space).
	envHeapProfile = "GROUNDTRUTH_BENCH_HEAP_PROFILE"
	// envMaxRunRows sets the validated job's max_run_rows (unset: the
	// default, pipeline.DefaultMaxRunRows).
	envMaxRunRows = "GROUNDTRUTH_BENCH_MAX_RUN_ROWS"
)

// generated is a source of benchRows() votes rows from its cursor: each
// batch is a fresh copy (new buffers, as a parsing source makes) of one of
// two distinct batches, with its own chain_id so that keys stay unique.
// It records when its fetch ended and the peak RSS then.
type generated struct {
	recs      []arrow.RecordBatch
	rows      int
	fetchEnd  time.Time
	fetchRSS  int64
	canonical int64 // canonical row bytes emitted
	// partMem is sampled at the start of each fetch (each part) when
	// sampleParts is set.
	sampleParts bool
	partMem     []partMem
}

func (g *generated) ID() string               { return "generated" }
func (g *generated) Schema() *datasets.Schema { return datasetstest.VotesSchema() }

// Fetch emits the rows after the cursor (the rows emitted before, a
// multiple of the batch size until the end); told sources.ErrEnough, it
// stops after that batch with the cursor there.
func (g *generated) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	if g.sampleParts {
		g.partMem = append(g.partMem, samplePartMem())
	}
	sizes := make([]int64, len(g.recs))
	for i, rec := range g.recs {
		sizes[i] = canonicalBytes(rec)
	}
	done := 0
	if len(cur) > 0 {
		var err error
		if done, err = strconv.Atoi(string(cur)); err != nil || done%batch != 0 && done != g.rows {
			return sources.Result{}, fmt.Errorf("%w: %q", sources.ErrCursor, cur)
		}
	}
	for i := done / batch; done < g.rows; i++ {
		if err := ctx.Err(); err != nil {
			return sources.Result{}, err
		}
		n := min(g.rows-done, batch)
		rec := freshCopy(g.recs[i%len(g.recs)], uint64(i/len(g.recs)+1), n)
		err := emit(rec)
		rec.Release()
		if err != nil && !errors.Is(err, sources.ErrEnough) {
			return sources.Result{}, err
		}
		g.canonical += sizes[i%len(g.recs)] * int64(n) / int64(batch)
		done += n
		if err != nil {
			break
		}
	}
	if done == g.rows {
		g.fetchEnd, g.fetchRSS = time.Now(), peakRSSKB()
	}
	return sources.Result{Cursor: sources.Cursor(strconv.Itoa(done)), Provenance: datasets.Provenance{Sources: []string{"generated"}}}, nil
}

// freshCopy copies the first n rows of rec into new buffers with every
// chain_id set to id.
func freshCopy(rec arrow.RecordBatch, id uint64, n int) arrow.RecordBatch {
	ids := withChainID(rec, id)
	defer ids.Release()
	cols := make([]arrow.Array, ids.NumCols())
	for c, col := range ids.Columns() {
		part := array.NewSlice(col, 0, int64(n))
		cp, err := array.Concatenate([]arrow.Array{part}, memory.DefaultAllocator)
		part.Release()
		if err != nil {
			panic(err)
		}
		cols[c] = cp
		defer cp.Release()
	}
	return array.NewRecordBatch(rec.Schema(), cols, int64(n))
}

// canonicalBytes is the size of rec's rows in the canonical encoding that
// the leaves hash.
func canonicalBytes(rec arrow.RecordBatch) int64 {
	enc, _ := datasets.NewRowEncoder(datasetstest.VotesSchema())
	enc.Bind(rec)
	var size int64
	var buf []byte
	for r := 0; r < int(rec.NumRows()); r++ {
		buf = enc.AppendRow(buf[:0], r)
		size += int64(len(buf))
	}
	return size
}

// daemonIngestResult is what the child measured.
type daemonIngestResult struct {
	Rows                 int
	CanonicalBytes       int64
	FetchSeal, Total     time.Duration
	FetchPeakKB, PeakKB  int64
	Version, VersionRows uint64
	// LiveHeap is the largest live heap after a GC (runtime/metrics
	// /gc/heap/live:bytes), sampled every 20 ms; GCs counts the cycles.
	LiveHeap, GCs uint64
	// Limit is the soft memory limit in force (MiB; 0 for none).
	Limit int64
	// Parts is the number of parts a validated run was sealed in, and
	// Quarantined the rows its checks quarantined.
	Parts       int
	Quarantined uint64
	PartMem     []partMem
	// ReportBytes is the JSON size of the parts' reports, which the run
	// keeps (pipeline.IngestResult.Earlier).
	ReportBytes int
}

// liveHeap samples the live heap after each GC until stop is called; it
// returns the largest value seen and the GC cycles counted.
func liveHeap() (stop func() (peak, gcs uint64)) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	done, out := make(chan struct{}), make(chan [2]uint64)
	go func() {
		var peak, profiled uint64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peak = max(peak, samples[0].Value.Uint64())
			if path := os.Getenv(envHeapProfile); path != "" && peak > profiled+profiled/10 {
				profiled = peak // the heap profile at the largest live heap, within 10 %
				if f, err := os.Create(path); err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
			select {
			case <-tick.C:
			case <-done:
				out <- [2]uint64{peak, samples[1].Value.Uint64()}
				return
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		r := <-out
		return r[0], r[1]
	}
}

// TestDaemonIngestBenchChild runs one job through pipeline.Runner.Run (the
// daemon's path: fetch → seal → commit → SQL) in a child process, so that
// its peak RSS is its own.
func TestDaemonIngestBenchChild(t *testing.T) {
	if os.Getenv(envDaemonIngest) == "" {
		t.Skip("child process of BenchmarkDaemonIngest")
	}
	ctx := context.Background()
	limitSpec := config.DefaultMemoryLimit
	if v := os.Getenv(envDaemonMemLimit); v != "" {
		limitSpec = v
	}
	limitBytes, err := config.ParseMemoryLimit(limitSpec)
	if err != nil {
		t.Fatal(err)
	}
	limit := pipeline.SetMemoryLimit(limitBytes, os.Getenv, nil) // as groundtruth run does
	stopHeap := liveHeap()
	st, err := store.Open(ctx, os.Getenv(envDir), store.Options{}) // the daemon's options
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := &generated{recs: batches(), rows: benchRows()}
	spec := &pipeline.Spec{Job: pipeline.Job{Name: "votes", Dataset: "votes", Source: src}}
	if os.Getenv(envDaemonValidated) != "" {
		spec.Job.Validation = votesSuite(t)
		src.sampleParts = true
		spec.Job.MaxRunRows, _ = strconv.Atoi(os.Getenv(envMaxRunRows)) // 0: the default
	}
	began := time.Now()
	res := (&pipeline.Runner{Store: st}).Run(ctx, spec, pipeline.TriggerSchedule, 1)
	total := time.Since(began)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	out := daemonIngestResult{Rows: src.rows, CanonicalBytes: src.canonical, FetchSeal: src.fetchEnd.Sub(began), Total: total,
		FetchPeakKB: src.fetchRSS, PeakKB: peakRSSKB(), Version: res.Ingest.Manifest.Version, VersionRows: res.Ingest.Manifest.RowCount,
		Parts: len(res.Ingest.Parts()), Quarantined: res.Record.RowsQuarantined, PartMem: src.partMem}
	out.LiveHeap, out.GCs = stopHeap()
	for _, p := range res.Ingest.Parts() {
		if p.Validation != nil {
			rb, _ := json.Marshal(p.Validation.Report)
			out.ReportBytes += len(rb)
		}
	}
	if path := os.Getenv(envHeapProfile); path != "" {
		runtime.GC() // what the finished run still holds
		if f, err := os.Create(path + ".end"); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	if limit != math.MaxInt64 {
		out.Limit = limit >> 20
	}
	b, _ := json.Marshal(out)
	fmt.Println("DAEMON_INGEST", string(b))
}

// BenchmarkDaemonIngest ingests benchRows() rows (10 M) from a generated
// source through the daemon's path in a child process and prints rows/s,
// MB/s (canonical row bytes), peak RSS and the largest live heap, at the
// end of the fetch (rows streamed into the seal) and for the whole run
// (commit and SQL included); once with the daemon's default soft memory
// limit (daemon.memory_limit, config.DefaultMemoryLimit), once with none
// (memory_limit: off, Go's default GC). Target: peak RSS ≤ 512 MiB.
func BenchmarkDaemonIngest(b *testing.B) {
	for i := 0; i < b.N; i++ {
		for _, limit := range []string{"", "off"} {
			env := []string{envDaemonIngest + "=1", envDir + "=" + b.TempDir(), envDaemonMemLimit + "=" + limit, "GOMEMLIMIT="}
			name := "memory_limit: " + config.DefaultMemoryLimit + " (the default)"
			if limit != "" {
				name = "memory_limit: " + limit
			}
			r := runDaemonIngest(b, env)
			mb := float64(r.CanonicalBytes) / 1e6
			fmt.Printf("\n%-50s %12s %10s %8s %10s\n", "daemon ingest, "+name+" ("+strconv.Itoa(r.Rows)+" rows)", "time", "rows/s", "MB/s", "peak RSS")
			fmt.Printf("%-50s %12v %10.0f %8.0f %6d MiB\n", "fetch streamed into the seal", r.FetchSeal.Round(time.Millisecond),
				float64(r.Rows)/r.FetchSeal.Seconds(), mb/r.FetchSeal.Seconds(), r.FetchPeakKB>>10)
			fmt.Printf("%-50s %12v %10.0f %8.0f %6d MiB\n", "whole run (commit, SQL included)", r.Total.Round(time.Millisecond),
				float64(r.Rows)/r.Total.Seconds(), mb/r.Total.Seconds(), r.PeakKB>>10)
			fmt.Printf("%-50s %d MiB live at most, %d GC cycles, soft limit %d MiB (0: none)\n", "Go heap", r.LiveHeap>>20, r.GCs, r.Limit)
			if limit == "" {
				b.ReportMetric(float64(r.Rows)/r.FetchSeal.Seconds(), "stream-rows/s")
				b.ReportMetric(float64(r.PeakKB>>10), "peak-RSS-MiB")
				b.ReportMetric(float64(r.LiveHeap>>20), "live-heap-MiB")
			}
		}
	}
}

// runDaemonIngest runs TestDaemonIngestBenchChild with env and returns
// what it measured.
func runDaemonIngest(b *testing.B, env []string) daemonIngestResult {
	b.Helper()
	out := childtest.Child{Test: "TestDaemonIngestBenchChild", Env: env}.Output(b)
	var r daemonIngestResult
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "DAEMON_INGEST "); ok {
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				b.Fatal(err)
			}
		}
	}
	if r.VersionRows+r.Quarantined != uint64(r.Rows) || r.Rows == 0 {
		b.Fatalf("the run sealed %d rows of %d:\n%s", r.VersionRows, r.Rows, out)
	}
	return r
}
