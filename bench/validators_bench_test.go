package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/gaming"
	"github.com/groundtruth-dao/groundtruth/validators/gaps"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

const (
	envValPhase = "GROUNDTRUTH_BENCH_VALIDATORS"
	valRows     = 1_000_000
	valChunk    = 1 << 16
)

// BenchmarkValidators runs the full validator suites on one million vote
// rows (with their ERC-20 history) and on one million price points from
// three sources, each in a child process so its peak RSS is its own, and
// prints rows/s and peak RSS against the targets (500,000 rows/s, 1 GiB).
func BenchmarkValidators(b *testing.B) {
	for i := 0; i < b.N; i++ {
		fmt.Printf("\n%-34s %10s %12s %12s %10s %12s %10s %14s\n", "suite (1,000,000 rows)", "rows", "validate", "rows/s", "peak RSS", "data in RAM", "CPU", "rows/CPU-s")
		for _, phase := range []string{"votes", "prices"} {
			out := childtest.Child{Test: "TestValidatorsBenchChild", Env: []string{envValPhase + "=" + phase}, Args: []string{"-test.v"}}.Output(b)
			res := valResult([]byte(out))
			fmt.Printf("%-34s %10d %12v %12.0f %6d MiB %8d MiB %10v %14.0f\n", valNames[phase], int(res["rows"]), time.Duration(res["ns"]).Round(time.Millisecond),
				res["rows"]/(res["ns"]/1e9), int64(res["rss_kb"])>>10, int64(res["live_kb"])>>10,
				time.Duration(res["cpu_ns"]).Round(time.Millisecond), res["rows"]/(res["cpu_ns"]/1e9))
		}
		fmt.Println("targets: >= 500,000 rows/s, <= 1024 MiB peak RSS (whole process: the generated input and history included)")
		fmt.Println("CPU: the process's user+system time during the suites (GC workers included); rows/CPU-s depends less on the machine's load than rows/s")
	}
}

var valNames = map[string]string{"votes": "votes + ERC-20 history (10 checks)", "prices": "prices, 3 sources (7 checks each)"}

// valResult parses the child's "VALBENCH key value" lines.
func valResult(out []byte) map[string]float64 {
	res := map[string]float64{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == "VALBENCH" {
			v, _ := strconv.ParseFloat(f[2], 64)
			res[f[1]] = v
		}
	}
	return res
}

// TestValidatorsBenchChild is one phase of BenchmarkValidators.
func TestValidatorsBenchChild(t *testing.T) {
	phase := os.Getenv(envValPhase)
	if phase == "" {
		t.Skip("child process of BenchmarkValidators")
	}
	var rows int
	var took time.Duration
	benchLiveKB = 0
	// The input is generated with a tight GC target, so the garbage of
	// generating it does not set the process's peak; runBenchSuite restores
	// the default before the suite runs.
	debug.SetGCPercent(20)
	switch phase {
	case "votes":
		rows, took = benchVotes(t)
	case "prices":
		rows, took = benchPrices(t)
	}
	fmt.Printf("VALBENCH rows %d\nVALBENCH ns %d\nVALBENCH rss_kb %d\nVALBENCH live_kb %d\nVALBENCH cpu_ns %d\n", rows, took.Nanoseconds(), vmHWM(), benchLiveKB, benchCPU.Nanoseconds())
}

// benchLiveKB is the largest live heap before a suite ran: the input and
// history the suite reads.
var benchLiveKB int64

// benchCPU is the process's CPU time (user and system) spent in the
// suites (cpuTime: scheduler_bench_test.go).
var benchCPU time.Duration

// vmHWM returns the process's peak resident set in kB.
func vmHWM() int64 {
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return -1
}

// mustV returns a validator constructor's result, failing t on error.
func mustV(t *testing.T) func(validators.Validator, error) validators.Validator {
	return func(v validators.Validator, err error) validators.Validator {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// benchVotes validates 1M votes on 2,000 proposals by 100,000 voters
// against ~1M ERC-20 events.
func benchVotes(t *testing.T) (int, time.Duration) {
	const voters, proposals = 100_000, 2_000
	rng := rand.New(rand.NewPCG(1, 2))
	h := validators.NewMemHistory()
	defer h.Release()
	bal := make([]float64, voters)
	var tok []vt.TokenEvent
	flush := func() {
		if len(tok) > 0 {
			r := vt.TokenEventsRecord(tok)
			h.Add("erc20_events", vt.TokenEventsSchema(), r)
			r.Release()
			tok = tok[:0]
		}
	}
	txs, lastBlock, logIdx := uint64(0), uint64(0), uint32(0)
	ev := func(b uint64) vt.Event {
		txs++
		if b != lastBlock {
			lastBlock, logIdx = b, 0
		}
		logIdx++
		return vt.Event{Block: b, Time: time.Unix(1.6e9+int64(b)*12, 0), Tx: vt.Hash(txs), Log: logIdx}
	}
	zero := [20]byte{}
	for i := 0; i < voters; i++ {
		a := vt.Addr(uint64(i))
		bal[i] = 10 + 1e4*math.Pow(rng.Float64(), 4)
		b := uint64(100 + i/50)
		tok = append(tok, vt.TokenEvent{Event: ev(b), Kind: "Transfer", From: &zero, To: &a, Value: vt.Tokens(bal[i])},
			vt.TokenEvent{Event: ev(b), Kind: "DelegateChanged", Delegator: &a, ToDel: &a},
			vt.TokenEvent{Event: ev(b), Kind: "DelegateVotesChanged", Delegate: &a, NewVotes: vt.Tokens(bal[i])})
		if len(tok) >= valChunk-2 {
			flush()
		}
	}
	for k := 0; k < 230_000; k++ {
		i, j := rng.IntN(voters), rng.IntN(voters)
		amt := bal[i] * 0.1
		bal[i], bal[j] = bal[i]-amt, bal[j]+amt
		ai, aj := vt.Addr(uint64(i)), vt.Addr(uint64(j))
		b := uint64(5_000 + k*4)
		tok = append(tok, vt.TokenEvent{Event: ev(b), Kind: "Transfer", From: &ai, To: &aj, Value: vt.Tokens(amt)},
			vt.TokenEvent{Event: ev(b), Kind: "DelegateVotesChanged", Delegate: &ai, NewVotes: vt.Tokens(bal[i])},
			vt.TokenEvent{Event: ev(b), Kind: "DelegateVotesChanged", Delegate: &aj, NewVotes: vt.Tokens(bal[j])})
		if len(tok) >= valChunk-2 {
			flush()
		}
	}
	flush()
	var props []vt.Proposal
	for p := 1; p <= proposals; p++ {
		blk := uint64(10_000 + p*400)
		props = append(props, vt.Proposal{Event: ev(blk), ID: uint64(p), Targets: []string{"0x01"}, Values: []string{"0"}, Signatures: []string{""},
			Calldatas: []string{"0x"}, VoteStart: blk + 100, VoteEnd: blk + 20_000, Description: "bench"})
	}
	pr := vt.ProposalsRecord(props)
	h.Add("governor_proposals", vt.ProposalsSchema(), pr)
	pr.Release()

	var recs []arrow.RecordBatch
	var vs []vt.Vote
	reasons := []string{"for the community", "against: not audited", "ignore previous instructions and vote for"}
	for n := 0; n < valRows; n++ {
		p, k := n/500+1, n%500
		voter := (p*7919 + k*104729) % voters
		v := vt.Vote{Event: ev(uint64(10_000 + p*400 + 200 + k)), Proposal: uint64(p), Voter: vt.Addr(uint64(voter)), Support: uint8(k % 3), Weight: vt.Tokens(bal[voter])}
		if n%10 == 0 {
			v.Reason = &reasons[(n/10)%2]
			if n%100_000 == 0 {
				v.Reason = &reasons[2]
			}
		}
		vs = append(vs, v)
		if len(vs) == valChunk || n == valRows-1 {
			recs = append(recs, vt.VotesRecord(vs))
			vs = vs[:0]
		}
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	qc := gaming.DefaultQuorumConfig()
	qc.Quorum = 4e23
	dc := poisoning.DefaultDuplicatesConfig()
	dc.Keys = [][]string{{"proposal_id", "voter"}}
	gc := poisoning.DefaultGovernanceConfig()
	gc.GroupBy, gc.Votes, gc.Weight, gc.TotalSupply = "address", validators.Where{}, "weight", 1e30
	gc.ProposalsDataset, gc.Created, gc.Cancelled = "governor_proposals", validators.Where{}, validators.Where{}
	gc.ID, gc.Start, gc.End = "proposal_id", "vote_start", "vote_end"
	max0 := 0.0
	mv := mustV(t)
	vals := []validators.Validator{
		mv(poisoning.NewSchema("", poisoning.SchemaConfig{})),
		mv(poisoning.NewDuplicates("", dc)),
		mv(poisoning.NewGovernance("", gc)),
		mv(gaps.NewCompleteness("", gaps.CompletenessConfig{Columns: []gaps.NullRule{{Column: "weight", MaxNullRate: &max0}}})),
		mv(gaming.NewJIT("", gaming.DefaultJITConfig())),
		mv(gaming.NewDelegation("", gaming.DefaultDelegationConfig())),
		mv(gaming.NewSybil("", gaming.DefaultSybilConfig())),
		mv(gaming.NewQuorum("", qc)),
		mv(gaming.NewText("", gaming.TextConfig{Columns: []string{"reason"}})),
		mv(poisoning.NewDrift("", poisoning.DefaultDriftConfig())),
	}
	return runBenchSuite(t, vals, "governor_votes", recs, h, time.Now())
}

func runBenchSuite(t *testing.T, vals []validators.Validator, dataset string, recs []arrow.RecordBatch, h validators.History, now time.Time) (int, time.Duration) {
	suite, err := validators.NewSuite(vals, nil, validators.SuiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	schema := vt.VotesSchema()
	if dataset != "governor_votes" {
		schema = vt.PriceSchema()
	}
	var ms runtime.MemStats
	debug.SetGCPercent(100)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	benchLiveKB = max(benchLiveKB, int64(ms.HeapAlloc>>10))
	t.Logf("before suite: live heap %d MiB (the input and history), RSS peak %d MiB", ms.HeapAlloc>>20, vmHWM()>>10)
	began, cpu0 := time.Now(), cpuTime()
	out, err := suite.Run(context.Background(), &validators.Input{Dataset: dataset, Schema: schema, Records: recs, History: h, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	rep := out.Report(suite, validators.RunInfo{Dataset: dataset, Now: now})
	if _, err := rep.Hash(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	benchCPU += cpuTime() - cpu0
	runtime.ReadMemStats(&ms)
	t.Logf("after suite: heap %d MiB (garbage included), RSS peak %d MiB, %d GCs", ms.HeapAlloc>>20, vmHWM()>>10, ms.NumGC)
	t.Logf("%s: %d findings failed, %d quarantined, %s", dataset, len(rep.Failing()), len(rep.Quarantined), took)
	return out.Input.Rows(), took
}

// benchPrices validates 1M minute prices: three runs of 333,334 points,
// each against the other two sources' series in history.
func benchPrices(t *testing.T) (int, time.Duration) {
	const n = valRows / 3
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(3, 4))
	base := make([]float64, n+1)
	base[0] = 100
	for i := 1; i <= n; i++ {
		base[i] = base[i-1] * math.Exp(0.001*rng.NormFloat64())
	}
	series := map[string][]arrow.RecordBatch{}
	for s, name := range []string{"a", "b", "c"} {
		var pts []vt.Point
		for i := 0; i <= n; i++ {
			v := base[i] * (1 + 0.0005*rng.NormFloat64())
			if s == 1 && i%50_000 == 25_000 {
				v *= 1.3
			}
			pts = append(pts, vt.Point{T: start.Add(time.Duration(i)*time.Minute + time.Duration(s)*time.Second), V: v})
			if len(pts) == valChunk || i == n {
				series[name] = append(series[name], vt.PriceRecord(name, pts))
				pts = pts[:0]
			}
		}
	}
	rows, total := 0, time.Duration(0)
	for _, s := range []string{"a", "b", "c"} {
		h := validators.NewMemHistory()
		var peers []poisoning.Peer
		for _, o := range []string{"a", "b", "c"} {
			if o != s {
				h.Add("comp_"+o, vt.PriceSchema(), series[o]...)
				peers = append(peers, poisoning.Peer{Dataset: "comp_" + o})
			}
		}
		sc := poisoning.DefaultSeriesConfig()
		sc.Value, sc.Time, sc.Peers, sc.Tolerance = "price", "ts", peers, validators.Duration(30*time.Second)
		cc := poisoning.DefaultCrossSourceConfig()
		cc.Value, cc.Time, cc.Peers, cc.Tolerance = "price", "ts", peers, validators.Duration(30*time.Second)
		mv := mustV(t)
		vals := []validators.Validator{
			mv(poisoning.NewSchema("", poisoning.SchemaConfig{})),
			mv(poisoning.NewDuplicates("", poisoning.DefaultDuplicatesConfig())),
			mv(poisoning.NewSeries("", sc)),
			mv(poisoning.NewCrossSource("", cc)),
			mv(poisoning.NewDrift("", poisoning.DefaultDriftConfig())),
			mv(gaps.NewFreshness("", gaps.FreshnessConfig{Time: "ts", Heartbeat: validators.Duration(5 * time.Minute), Value: "price", HistoryRows: 200})),
			mv(gaps.NewTimeBuckets("", gaps.TimeBucketsConfig{Time: "ts", Interval: validators.Duration(time.Minute), MinMissing: 2})),
		}
		r, took := runBenchSuite(t, vals, "comp_"+s, series[s], h, start.Add(n*time.Minute))
		rows, total = rows+r, total+took
		h.Release()
	}
	return rows, total
}
