//go:build duckdb_arrow

package bench

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// BenchmarkVerifyAttested seals a 10-million-row version (GROUNDTRUTH_BENCH_ROWS
// shrinks it), attests it 2-of-3 on a DatasetRegistry on anvil with the CLI,
// and times `groundtruth verify votes@1 --rpc … --registry …`: every hash and
// the root recomputed from the files plus the on-chain checks. The RPC calls
// go through a counting proxy on 127.0.0.1; a 1,000-row version verified the
// same way must cost the same calls. Prints a table against the SHA-256 floor.
func BenchmarkVerifyAttested(b *testing.B) {
	rows := benchRows()
	bin := groundtruthBinary(b)
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		data := filepath.Join(dir, "data")
		floor, size := hashFloor(rows)
		seal := runPhase(b, "seal", data)
		env := attesttest.StartEnv(b, 3, 2)
		cli := &cliRunner{b: b, bin: bin, data: data, env: []string{"GROUNDTRUTH_KEY_PASSWORD=bench password"}}
		small := filepath.Join(dir, "small.csv")
		cli.attest(env, dir, "votes@1")
		cli.sealSmall(dir, small)
		cli.attest(env, dir, "small@1")

		proxy := startCountingProxy(b, env.Chain.RPCURL())
		args := []string{"--backend", "registry", "--rpc", proxy.url, "--registry", env.Registry.Hex()}
		verify, cpu := cli.timed(append([]string{"verify", "votes@1"}, args...)...)
		bigCalls := proxy.take()
		cli.timed(append([]string{"verify", "small@1"}, args...)...)
		smallCalls := proxy.take()
		proxy.close()

		mb := float64(size) / 1e6
		ratio := verify.elapsed.Seconds() / floor.Seconds()
		fmt.Printf("\n%-30s %12s %10s %10s %8s %10s\n", "phase ("+strconv.Itoa(rows)+" rows)", "time", "rows/s", "MB/s", "x floor", "peak RSS")
		fmt.Printf("%-30s %12v %10.0f %10.0f %8s %10s\n", "sha256 floor", floor.Round(time.Millisecond), float64(rows)/floor.Seconds(), mb/floor.Seconds(), "1.00", "-")
		for _, p := range []struct {
			name string
			r    phaseResult
		}{{"seal", seal}, {"verify (files + registry)", verify}} {
			fmt.Printf("%-30s %12v %10.0f %10.0f %8.2f %7d MiB\n", p.name, p.r.elapsed.Round(time.Millisecond),
				float64(rows)/p.r.elapsed.Seconds(), mb/p.r.elapsed.Seconds(), p.r.elapsed.Seconds()/floor.Seconds(), p.r.maxRSS>>20)
		}
		fmt.Printf("%-30s %12v %10s %10s %8.2f %10s\n", "  verify CPU time (user+sys)", cpu.Round(time.Millisecond), "", "", cpu.Seconds()/floor.Seconds(), "")
		fmt.Printf("\n%-30s %12s %12s\n", "RPC calls of verify", strconv.Itoa(rows)+" rows", "1000 rows")
		for _, m := range methods(bigCalls, smallCalls) {
			fmt.Printf("%-30s %12d %12d\n", m, bigCalls[m], smallCalls[m])
		}
		fmt.Printf("%-30s %12d %12d\n", "total", total(bigCalls), total(smallCalls))
		fmt.Printf("verify is %.2fx the SHA-256 floor (budget 1.60x): %s\n", ratio, map[bool]string{true: "within", false: "OVER"}[ratio <= 1.6])
		if fmt.Sprint(bigCalls) != fmt.Sprint(smallCalls) {
			b.Errorf("the RPC calls depend on the version's size: %v vs %v", bigCalls, smallCalls)
		}
		b.ReportMetric(ratio, "verify-x-floor")
		b.ReportMetric(float64(total(bigCalls)), "rpc-calls")
		b.ReportMetric(float64(rows)/verify.elapsed.Seconds(), "verify-rows/s")
	}
}

// groundtruthBinary builds the CLI (or takes $GROUNDTRUTH_BIN).
func groundtruthBinary(b *testing.B) string {
	if p := os.Getenv("GROUNDTRUTH_BIN"); p != "" {
		return p
	}
	root, err := testchain.RepoRoot()
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "groundtruth")
	cmd := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", bin, "./cmd/groundtruth")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the CLI: %v\n%s", err, out)
	}
	return bin
}

// cliRunner runs the CLI binary on a data directory.
type cliRunner struct {
	b    *testing.B
	bin  string
	data string
	env  []string
}

func (c *cliRunner) run(args ...string) string {
	c.b.Helper()
	cmd := exec.Command(c.bin, append([]string{"--data-dir", c.data}, args...)...)
	cmd.Env = append(os.Environ(), c.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		c.b.Fatalf("groundtruth %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// timed runs the CLI and measures its time, peak RSS and CPU time.
func (c *cliRunner) timed(args ...string) (phaseResult, time.Duration) {
	c.b.Helper()
	cmd := exec.Command(c.bin, append([]string{"--data-dir", c.data}, args...)...)
	cmd.Env = append(os.Environ(), c.env...)
	began := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(began)
	if err != nil {
		c.b.Fatalf("groundtruth %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var rss int64 = -1
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024
	}
	return phaseResult{elapsed: elapsed, maxRSS: rss}, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// attest imports two steward keys and the payer, signs ref with both and
// attests it on the registry.
func (c *cliRunner) attest(env *attesttest.Env, dir, ref string) {
	keys := filepath.Join(dir, "keys")
	hexKey := func(name string, i int) string {
		p := filepath.Join(keys, name+".json")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		k := testchain.DeterministicKey(1000 + i)
		if i < 0 {
			k = env.Chain.Accounts()[0].Key
		}
		f := filepath.Join(dir, name+".hex")
		os.WriteFile(f, []byte(hex.EncodeToString(crypto.FromECDSA(k))), 0o600)
		c.run("keys", "import", f, "--keystore", keys, "--name", name, "--lightkdf")
		return p
	}
	reg := []string{"--backend", "registry", "--rpc", env.Chain.RPCURL(), "--registry", env.Registry.Hex()}
	s0 := filepath.Join(dir, ref+".s0.json")
	c.run(append([]string{"sign", ref, "--key", hexKey("steward0", 0), "-o", s0}, reg...)...)
	c.run(append([]string{"attest", ref, "--signatures", s0, "--key", hexKey("steward1", 1), "--from", hexKey("gas", -1)}, reg...)...)
}

// sealSmall seals a 1,000-row dataset "small" with the CLI's file source.
func (c *cliRunner) sealSmall(dir, csv string) {
	var buf bytes.Buffer
	buf.WriteString("id,amount\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&buf, "%d,%d\n", i, i*7)
	}
	os.WriteFile(csv, buf.Bytes(), 0o644)
	cfg := filepath.Join(dir, "small.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`version: 1
data_dir: %s
jobs:
  - name: small
    dataset: small
    source:
      kind: file
      path: %s
      key: [id]
      columns:
        - {name: id, type: uint64}
        - {name: amount, type: uint64}
`, c.data, csv)), 0o644)
	c.run("ingest", "--config", cfg, "--job", "small")
}

// countingProxy forwards JSON-RPC to a node and counts the calls by method.
type countingProxy struct {
	url    string
	srv    *http.Server
	mu     sync.Mutex
	counts map[string]int
}

func startCountingProxy(b *testing.B, target string) *countingProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	p := &countingProxy{url: "http://" + ln.Addr().String(), counts: map[string]int{}}
	p.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.count(body)
		resp, err := http.Post(target, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})}
	go p.srv.Serve(ln)
	return p
}

func (p *countingProxy) count(body []byte) {
	var one struct {
		Method string `json:"method"`
	}
	var many []struct {
		Method string `json:"method"`
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if json.Unmarshal(body, &many) == nil {
		for _, m := range many {
			p.counts[m.Method]++
		}
		return
	}
	if json.Unmarshal(body, &one) == nil {
		p.counts[one.Method]++
	}
}

// take returns the counts since the last take and resets them.
func (p *countingProxy) take() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts
	p.counts = map[string]int{}
	return c
}

func (p *countingProxy) close() { p.srv.Close() }

func methods(ms ...map[string]int) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
