//go:build duckdb_arrow

package bench

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
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
)

const (
	envPhase = "GROUNDTRUTH_BENCH_PHASE"
	envDir   = "GROUNDTRUTH_BENCH_DIR"
	envRows  = "GROUNDTRUTH_BENCH_ROWS"
	batch    = 1 << 16
	distinct = 2 // distinct batches replayed to make the rows (the harness keeps them in memory)
)

// benchRows is the version size: 10 million rows unless GROUNDTRUTH_BENCH_ROWS says otherwise.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv(envRows)); err == nil && n > 0 {
		return n
	}
	return 10_000_000
}

// batches returns the distinct record batches the rows are replayed from.
func batches() []arrow.RecordBatch {
	out := make([]arrow.RecordBatch, distinct)
	for i := range out {
		out[i] = datasetstest.VotesBatch(nil, i*batch, batch)
	}
	return out
}

// TestBenchChild runs one phase of BenchmarkSealVerify in a child process.
func TestBenchChild(t *testing.T) {
	phase := os.Getenv(envPhase)
	if phase == "" {
		t.Skip("child process of the benchmarks")
	}
	ctx := context.Background()
	defer printPeakRSS()
	defer printCPU()
	dir := os.Getenv(envDir)
	s, err := store.Open(ctx, dir, store.Options{MemoryLimit: "256MB", DeferMaterialize: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	switch phase {
	case "seal", "sealsql":
		sealVotes(t, ctx, s, phase == "seal")
	case "sql":
		if err := s.Materialize(ctx); err != nil {
			t.Fatal(err)
		}
	case "verify":
		v, err := s.Verify(ctx, "votes", 1)
		if err != nil || v.Err() != nil {
			t.Fatal(err, v.Err())
		}
	}
}

// sealVotes seals the benchmark's version; deferSQL leaves the Parquet
// copies to Materialize ("seal"), else the seal writes them ("sealsql").
func sealVotes(t *testing.T, ctx context.Context, s *store.Store, deferSQL bool) {
	recs := batches()
	w, err := s.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{DeferSQL: deferSQL})
	if err != nil {
		t.Fatal(err)
	}
	for n, i := benchRows(), 0; n > 0; i++ {
		full := withChainID(recs[i%distinct], uint64(i/distinct+1))
		rec := full
		if n < batch {
			rec = full.NewSlice(0, int64(n))
			defer rec.Release()
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		full.Release()
		n -= int(rec.NumRows())
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// withChainID returns rec with every chain_id set to id: each replay of a
// batch gets its own keys (chain_id, tx_hash, log_index), since a version
// never holds two rows with one key.
func withChainID(rec arrow.RecordBatch, id uint64) arrow.RecordBatch {
	b := array.NewUint64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(int(rec.NumRows()))
	for range rec.NumRows() {
		b.UnsafeAppend(id)
	}
	ids := b.NewArray()
	defer ids.Release()
	cols := append([]arrow.Array{ids}, rec.Columns()[1:]...)
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows())
}

// phaseResult is what a child phase measured.
type phaseResult struct {
	elapsed time.Duration
	maxRSS  int64         // bytes
	cpu     time.Duration // user + system CPU time of the child, -1 if unknown
}

// cores is the phase's CPU time over its wall time: how many cores it kept
// busy on average (2 is the machine's all).
func (r phaseResult) cores() float64 { return r.cpu.Seconds() / r.elapsed.Seconds() }

func runPhase(b *testing.B, phase, dir string) phaseResult {
	b.Helper()
	began := time.Now()
	out := childtest.Child{Test: "TestBenchChild", Env: []string{envPhase + "=" + phase, envDir + "=" + dir}}.Output(b)
	elapsed := time.Since(began)
	return phaseResult{elapsed: elapsed, maxRSS: parsePeakRSS([]byte(out)), cpu: parseCPU(out)}
}

// pageCacheNote says how much page cache the machine holds (Cached in
// /proc/meminfo). On the project's VM, writing the seal's 1.6 GB into new
// page-cache pages cost 3.5 s more CPU with 12-14 GiB of page cache than
// with under 8 GiB (docs/benchmarks.md): the figure tells which state a
// run was in.
func pageCacheNote() string {
	kb := int64(-1)
	procFields("/proc/meminfo", func(name string, n int64) {
		if name == "Cached" {
			kb = n
		}
	})
	if kb < 0 {
		return "page cache: unknown"
	}
	return fmt.Sprintf("page cache before the phases: %.1f GiB (see docs/benchmarks.md on the page cache)", float64(kb)/(1<<20))
}

// printPeakRSS prints the process's peak resident set (VmHWM) for the parent.
func printPeakRSS() {
	if kb := peakRSSKB(); kb > 0 {
		fmt.Println("PEAK_RSS_KB", kb)
	}
}

// printCPU prints the process's user + system CPU time so far for the
// parent: on a loaded machine the CPU time of a phase says what it cost
// when its wall time says mostly how busy the machine was.
func printCPU() {
	if cpu := cpuTime(); cpu != 0 { // 0: getrusage failed
		fmt.Println("CPU_NS", cpu.Nanoseconds())
	}
}

// parseCPU reads the CPU time printCPU printed, or -1.
func parseCPU(out string) time.Duration {
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "CPU_NS "); ok {
			ns, _ := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			return time.Duration(ns)
		}
	}
	return -1
}

func parsePeakRSS(out []byte) int64 {
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "PEAK_RSS_KB "); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			return kb * 1024
		}
	}
	return -1
}

// hashFloor measures SHA-256 of the same canonical row bytes alone: every
// row's leaf hash, single-threaded, bytes encoded beforehand.
func hashFloor(rows int) (time.Duration, int64) {
	recs := batches()
	enc, _ := datasets.NewRowEncoder(datasetstest.VotesSchema())
	encoded := make([][]byte, 0, distinct*batch)
	var size int64
	for _, rec := range recs {
		enc.Bind(rec)
		for r := 0; r < int(rec.NumRows()); r++ {
			row := enc.AppendRow([]byte{0}, r)
			encoded = append(encoded, row)
		}
	}
	began := time.Now()
	var sink [32]byte
	for i := 0; i < rows; i++ {
		row := encoded[i%len(encoded)]
		sink = sha256.Sum256(row)
		size += int64(len(row) - 1)
	}
	_ = sink
	return time.Since(began), size
}

// BenchmarkSealVerify seals a 10-million-row votes-like version and verifies
// it offline, against the floor of hashing the canonical rows.
func BenchmarkSealVerify(b *testing.B) {
	rows := benchRows()
	for i := 0; i < b.N; i++ {
		pageCache := pageCacheNote()
		dir := b.TempDir()
		floor, bytes := hashFloor(rows)
		seal := runPhase(b, "seal", dir)
		verify := runPhase(b, "verify", dir)
		sqlLoad := runPhase(b, "sql", dir)
		sealSQL := runPhase(b, "sealsql", b.TempDir())
		mb := float64(bytes) / 1e6
		fmt.Printf("\n%-22s %12s %10s %10s %8s %10s %9s %6s\n", "phase ("+strconv.Itoa(rows)+" rows)", "time", "rows/s", "MB/s", "x floor", "peak RSS", "CPU", "cores")
		fmt.Printf("%-22s %12v %10.0f %10.0f %8s %10s\n", "sha256 floor", floor.Round(time.Millisecond), float64(rows)/floor.Seconds(), mb/floor.Seconds(), "1.00", "-")
		for _, p := range []struct {
			name string
			r    phaseResult
		}{{"seal", seal}, {"verify --offline", verify}, {"copies from segments", sqlLoad}, {"seal + copies in seal", sealSQL}} {
			fmt.Printf("%-22s %12v %10.0f %10.0f %8.2f %7d MiB %9v %6.2f\n", p.name, p.r.elapsed.Round(time.Millisecond),
				float64(rows)/p.r.elapsed.Seconds(), mb/p.r.elapsed.Seconds(), p.r.elapsed.Seconds()/floor.Seconds(), p.r.maxRSS>>20,
				p.r.cpu.Round(time.Millisecond), p.r.cores())
		}
		fmt.Println(pageCache)
		b.ReportMetric(float64(rows)/seal.elapsed.Seconds(), "seal-rows/s")
		b.ReportMetric(seal.elapsed.Seconds()/floor.Seconds(), "seal-x-floor")
		b.ReportMetric(verify.elapsed.Seconds()/floor.Seconds(), "verify-x-floor")
		b.ReportMetric(sealSQL.elapsed.Seconds()/floor.Seconds(), "queryable-x-floor")
	}
}
