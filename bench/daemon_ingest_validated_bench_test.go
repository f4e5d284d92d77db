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

// envHistoryRows sets gaming.few_voter_quorum's history_rows in votesSuite
// (unset: defaultQuorumHistory, 0, all of the history, as the example
// configuration, which does not set it, reads; "100000" bounds it as the
// benchmark did before the check streamed its history).
const envHistoryRows = "GROUNDTRUTH_BENCH_HISTORY_ROWS"

// defaultQuorumHistory is the history_rows votesSuite gives
// gaming.few_voter_quorum unless envHistoryRows says otherwise: 0, the
// check's own default and the example configuration's. The check streams
// the history (validators.ScanHistory) and keeps only the ballots of the
// run's proposals; when it held the whole history the peak reached
// 3,025 MiB at 10 M rows (docs/benchmarks.md).
const defaultQuorumHistory = 0

// quorumHistory is the history_rows of the run.
func quorumHistory(t *testing.T) int {
	v := os.Getenv(envHistoryRows)
	if v == "" {
		return defaultQuorumHistory
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a row count (0: all)", envHistoryRows, v)
	}
	return n
}

// votesSuite is the validation section of examples/compound-bravo-validated.yaml
// (the compound-alpha and aave-governance-v2 ones have the same checks)
// reduced to the checks that read vote rows, on the generated rows' columns:
// poisoning.schema; poisoning.duplicates with the config's key
// [proposal_id, voter] per governor (chain_id stands for the config's
// contract_address); gaps.completeness of the vote's weight, voter and
// proposal_id; gaming.few_voter_quorum per governor with the config's
// quorum (history_rows: quorumHistory, 0 unless set); gaming.text of reason; and the config's policy (gaming.* keep,
// gaming.prompt_injection quarantine). The config's poisoning.governance,
// gaps.sequence, gaps.tally and gaming.calldata need the ProposalCreated,
// ProposalQueued and ProposalExecuted rows of a governor export, which the
// generated votes do not have.
func votesSuite(t *testing.T) *validators.Suite {
	t.Helper()
	mv := mustV(t)
	max0 := 0.0
	dup := poisoning.DefaultDuplicatesConfig()
	dup.Keys = [][]string{{"proposal_id", "voter"}}
	dup.GroupBy = "chain_id"
	quorum := gaming.DefaultQuorumConfig()
	quorum.GroupBy, quorum.Quorum, quorum.HistoryRows = "chain_id", 4.0e+23, quorumHistory(t)
	vals := []validators.Validator{
		mv(poisoning.NewSchema("", poisoning.SchemaConfig{})),
		mv(poisoning.NewDuplicates("", dup)),
		mv(gaps.NewCompleteness("", gaps.CompletenessConfig{Columns: []gaps.NullRule{
			{Column: "weight", MaxNullRate: &max0}, {Column: "voter", MaxNullRate: &max0}, {Column: "proposal_id", MaxNullRate: &max0},
		}})),
		mv(gaming.NewQuorum("", quorum)),
		mv(gaming.NewText("", gaming.TextConfig{Columns: []string{"reason"}})),
	}
	rules := map[string]validators.Action{"gaming.*": validators.Keep, "gaming.prompt_injection": validators.Quarantine}
	suite, err := validators.NewSuite(vals, rules, validators.SuiteOptions{})
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
		fmt.Printf("%-58s %s\n", "gaming.few_voter_quorum history_rows", historyLabel())
		fmt.Printf("%-58s %d MiB live at most, %d GC cycles, soft limit %d MiB; %d rows quarantined\n", "Go heap", r.LiveHeap>>20, r.GCs, r.Limit, r.Quarantined)
		fmt.Printf("%-58s %d KiB (JSON) kept by the run for %d parts\n", "validation reports", r.ReportBytes>>10, r.Parts)
		printPartMem(r.PartMem)
		b.ReportMetric(float64(r.Rows)/r.Total.Seconds(), "rows/s")
		b.ReportMetric(float64(r.PeakKB>>10), "peak-RSS-MiB")
	}
}

// historyLabel names the quorum check's history_rows the child uses.
func historyLabel() string {
	switch v := os.Getenv(envHistoryRows); v {
	case "", "0":
		return "0 (all of the history, as the example configuration; the benchmark's default)"
	default:
		return v
	}
}

// maxRunRowsLabel names the part size the child uses.
func maxRunRowsLabel() string {
	if v := os.Getenv(envMaxRunRows); v != "" {
		return v
	}
	return strconv.Itoa(pipeline.DefaultMaxRunRows) + ", the default"
}
