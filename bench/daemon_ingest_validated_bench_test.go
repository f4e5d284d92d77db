//go:build duckdb_arrow

package bench

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/gaming"
	"github.com/groundtruth-dao/groundtruth/validators/gaps"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
)

// envDaemonValidated makes TestDaemonIngestBenchChild run the job with
// votesSuite.
const envDaemonValidated = "GROUNDTRUTH_BENCH_VALIDATED"

// votesSuite is the validation of a votes dataset with the checks a real
// configuration uses that need no other dataset: schema, duplicates (the
// dataset's key), completeness of weight, text of reason, drift. (The
// governance, delegation, sybil, JIT and quorum checks read the proposals
// and token datasets, which this benchmark does not have.)
func votesSuite(t *testing.T) *validators.Suite {
	t.Helper()
	mv := mustV(t)
	max0 := 0.0
	vals := []validators.Validator{
		mv(poisoning.NewSchema("", poisoning.SchemaConfig{})),
		mv(poisoning.NewDuplicates("", poisoning.DefaultDuplicatesConfig())),
		mv(gaps.NewCompleteness("", gaps.CompletenessConfig{Columns: []gaps.NullRule{{Column: "weight", MaxNullRate: &max0}}})),
		mv(gaming.NewText("", gaming.TextConfig{Columns: []string{"reason"}})),
		mv(poisoning.NewDrift("", poisoning.DefaultDriftConfig())),
	}
	suite, err := validators.NewSuite(vals, nil, validators.SuiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return suite
}

// BenchmarkDaemonIngestValidated runs a validated job over benchRows()
// rows (10 M) through pipeline.Runner.Run in a child process with the
// daemon's default memory limit: the run reads, validates and seals parts
// of at most pipeline.DefaultMaxRunRows rows. It prints rows/s, the parts
// and the peak RSS. Target: peak RSS ≤ 512 MiB.
func BenchmarkDaemonIngestValidated(b *testing.B) {
	for i := 0; i < b.N; i++ {
		env := []string{envDaemonIngest + "=1", envDaemonValidated + "=1", envDir + "=" + b.TempDir(), envDaemonMemLimit + "=", "GOMEMLIMIT="}
		r := runDaemonIngest(b, env)
		mb := float64(r.CanonicalBytes) / 1e6
		fmt.Printf("\n%-58s %12s %10s %8s %10s\n", "validated daemon ingest, memory_limit: "+config.DefaultMemoryLimit+" ("+strconv.Itoa(r.Rows)+" rows)", "time", "rows/s", "MB/s", "peak RSS")
		fmt.Printf("%-58s %12v %10.0f %8.0f %6d MiB\n", fmt.Sprintf("whole run: %d parts (max_run_rows %s)", r.Parts, maxRunRowsLabel()), r.Total.Round(time.Millisecond),
			float64(r.Rows)/r.Total.Seconds(), mb/r.Total.Seconds(), r.PeakKB>>10)
		fmt.Printf("%-58s %d MiB live at most, %d GC cycles, soft limit %d MiB; %d rows quarantined\n", "Go heap", r.LiveHeap>>20, r.GCs, r.Limit, r.Quarantined)
		b.ReportMetric(float64(r.Rows)/r.Total.Seconds(), "rows/s")
		b.ReportMetric(float64(r.PeakKB>>10), "peak-RSS-MiB")
	}
}

// maxRunRowsLabel names the part size the child uses.
func maxRunRowsLabel() string {
	if v := os.Getenv(envMaxRunRows); v != "" {
		return v
	}
	return strconv.Itoa(pipeline.DefaultMaxRunRows) + ", the default"
}
