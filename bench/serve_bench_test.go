//go:build duckdb_arrow

package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// Environment variables that shrink the serving benchmark.
const (
	envServeSeconds = "GROUNDTRUTH_BENCH_SERVE_SECONDS" // row load duration (default 30)
	envServeClients = "GROUNDTRUTH_BENCH_SERVE_CLIENTS" // concurrent row clients (default 64)
)

func serveEnvInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkServeAPI seals a 10-million-row version (GROUNDTRUTH_BENCH_ROWS
// shrinks it), marks it attested and serves it on 127.0.0.1. It measures
// (1) the Arrow IPC download of the whole version, decoded by the client,
// against reading and decoding the same segment files from disk in the same
// run (target ≤ 1.5×), and (2) the row-with-proof endpoint under 64
// concurrent keep-alive clients for 30 s at uniformly random rows:
// requests/s and p50/p99 latency (target p99 < 10 ms at ≥ 5,000 req/s).
func BenchmarkServeAPI(b *testing.B) {
	rows := benchRows()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		st, m := sealServeBench(b, dir, rows)
		srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: filepath.Join(dir, "cache"),
			Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 1e6, Burst: 1e6}})
		if err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		hs := &http.Server{Handler: srv.Handler()}
		go hs.Serve(ln)
		base := "http://" + ln.Addr().String() + "/v1/datasets/votes/versions/1"
		cl := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true}}

		diskRead, diskBytes := readSegments(b, st.Root(), m)
		diskDecode := decodeSegments(b, st.Root(), m)
		verify := firstUse(b, cl, base+"/data")
		dl, dlBytes, dlRows := download(b, cl, base+"/data")
		if dlRows != uint64(rows) {
			b.Fatalf("downloaded %d rows, want %d", dlRows, rows)
		}
		raw, rawBytes := downloadRaw(b, cl, base+"/data")
		mb := func(n int64, d time.Duration) float64 { return float64(n) / 1e6 / d.Seconds() }
		ratio := dl.Seconds() / diskDecode.Seconds()
		fmt.Printf("\n%-44s %12s %10s %10s\n", "Arrow IPC download ("+strconv.Itoa(rows)+" rows)", "time", "MB/s", "x disk")
		fmt.Printf("%-44s %12v %10.0f %10s\n", "read the segment files from disk", diskRead.Round(time.Millisecond), mb(diskBytes, diskRead), "-")
		fmt.Printf("%-44s %12v %10.0f %10.2f\n", "HTTP download, bytes only", raw.Round(time.Millisecond), mb(rawBytes, raw), raw.Seconds()/diskRead.Seconds())
		fmt.Printf("%-44s %12v %10.0f %10s\n", "first use: check the segments' SHA-256", verify.Round(time.Millisecond), mb(diskBytes, verify), "-")
		fmt.Printf("%-44s %12v %10.0f %10s\n", "read + decode the segment files from disk", diskDecode.Round(time.Millisecond), mb(diskBytes, diskDecode), "1.00")
		fmt.Printf("%-44s %12v %10.0f %10.2f\n", "HTTP download + decode (Arrow stream reader)", dl.Round(time.Millisecond), mb(dlBytes, dl), ratio)
		fmt.Printf("download is %.2fx reading the segment files (budget 1.50x): %s\n", ratio, map[bool]string{true: "within", false: "OVER"}[ratio <= 1.5])

		warm := warmRows(b, cl, base, m)
		res := rowLoad(b, cl, base, rows, serveEnvInt(envServeClients, 64), time.Duration(serveEnvInt(envServeSeconds, 30))*time.Second)
		fmt.Printf("\n%-44s %12s\n", "row with proof", "")
		fmt.Printf("%-44s %12v\n", "first use: proof tree + row blocks, all segments", warm.Round(time.Millisecond))
		fmt.Printf("%-44s %12d\n", "clients", res.clients)
		fmt.Printf("%-44s %12.0f\n", "requests/s", res.rate)
		fmt.Printf("%-44s %12v\n", "p50", res.p50.Round(time.Microsecond))
		fmt.Printf("%-44s %12v\n", "p99", res.p99.Round(time.Microsecond))
		fmt.Printf("%-44s %12v\n", "max", res.max.Round(time.Microsecond))
		fmt.Printf("%-44s %12d\n", "errors", res.errors)
		ok := res.p99 < 10*time.Millisecond && res.rate >= 5000
		fmt.Printf("rows: p99 %v at %.0f req/s (target p99 < 10ms at >= 5000 req/s): %s\n", res.p99.Round(time.Microsecond), res.rate, map[bool]string{true: "met", false: "MISSED"}[ok])
		b.ReportMetric(ratio, "download-x-disk")
		b.ReportMetric(res.rate, "rows-req/s")
		b.ReportMetric(float64(res.p99.Microseconds()), "rows-p99-us")
		hs.Close()
		srv.Close()
		st.Close()
	}
}

// sealServeBench seals rows votes-like rows and records made-up attestation
// evidence (the chain is not what this benchmark measures).
func sealServeBench(b testing.TB, dir string, rows int) (*store.Store, *datasets.Manifest) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "data"), store.Options{MemoryLimit: "256MB", DeferMaterialize: true})
	if err != nil {
		b.Fatal(err)
	}
	recs := batches()
	w, err := st.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{DeferSQL: true})
	if err != nil {
		b.Fatal(err)
	}
	for n, i := rows, 0; n > 0; i++ {
		full := withChainID(recs[i%distinct], uint64(i/distinct+1))
		rec := full
		if n < batch {
			rec = full.NewSlice(0, int64(n))
			defer rec.Release()
		}
		if err := w.Write(rec); err != nil {
			b.Fatal(err)
		}
		full.Release()
		n -= int(rec.NumRows())
	}
	m, err := w.Commit()
	if err != nil {
		b.Fatal(err)
	}
	mh, _ := m.Hash()
	ev := attest.NewEvidence(attest.Target{Backend: attest.KindRegistry, ChainID: 31337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}, attest.StatementOf(m, mh))
	ev.Receipts = append(ev.Receipts, &attest.Receipt{Backend: attest.KindRegistry, TxHash: common.Hash(mh)})
	doc, _ := ev.Marshal()
	if err := st.PutAttestation(ctx, "votes", 1, attest.KindRegistry, "bench", doc); err != nil {
		b.Fatal(err)
	}
	if err := st.SetVersionStatus(ctx, "votes", 1, attest.StatusAttested); err != nil {
		b.Fatal(err)
	}
	return st, m
}

// readSegments reads the segment files' bytes.
func readSegments(b *testing.B, root string, m *datasets.Manifest) (time.Duration, int64) {
	began := time.Now()
	var n int64
	for _, s := range m.Segments {
		f, err := os.Open(filepath.Join(root, s.Path))
		if err != nil {
			b.Fatal(err)
		}
		c, _ := io.Copy(io.Discard, f)
		f.Close()
		n += c
	}
	return time.Since(began), n
}

// decodeSegments reads and decodes every record batch of the segment files.
func decodeSegments(b *testing.B, root string, m *datasets.Manifest) time.Duration {
	began := time.Now()
	r, err := datasets.NewVersionReader(root, m)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Release()
	var rows int64
	for r.Next() {
		rows += r.RecordBatch().NumRows()
	}
	if r.Err() != nil || uint64(rows) != m.RowCount {
		b.Fatalf("decoded %d rows: %v", rows, r.Err())
	}
	return time.Since(began)
}

// download reads the full Arrow stream with the Arrow stream reader.
func download(b *testing.B, cl *http.Client, url string) (time.Duration, int64, uint64) {
	began := time.Now()
	resp, err := cl.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	cr := &countingReader{r: resp.Body}
	r, err := ipc.NewReader(cr)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Release()
	var rows uint64
	for r.Next() {
		rows += uint64(r.RecordBatch().NumRows())
	}
	if err := r.Err(); err != nil {
		b.Fatal(err)
	}
	return time.Since(began), cr.n, rows
}

func downloadRaw(b *testing.B, cl *http.Client, url string) (time.Duration, int64) {
	began := time.Now()
	resp, err := cl.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(began), n
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// warmRows asks one row of each segment: the proof tree and every
// segment's row blocks are built.
// firstUse times the first request for a version's data (a HEAD): the
// server checks every segment file against its attested SHA-256 once.
func firstUse(b *testing.B, cl *http.Client, url string) time.Duration {
	began := time.Now()
	resp, err := cl.Head(url)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("HEAD %s: %d", url, resp.StatusCode)
	}
	return time.Since(began)
}

func warmRows(b *testing.B, cl *http.Client, base string, m *datasets.Manifest) time.Duration {
	began := time.Now()
	var first uint64
	for _, s := range m.Segments {
		get(b, cl, fmt.Sprintf("%s/rows/%d", base, first))
		first += s.Rows
	}
	return time.Since(began)
}

func get(b *testing.B, cl *http.Client, url string) {
	resp, err := cl.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("%s: %d", url, resp.StatusCode)
	}
}

type loadResult struct {
	clients       int
	rate          float64
	p50, p99, max time.Duration
	errors        int
}

// rowLoad runs clients goroutines asking random rows for d.
func rowLoad(b *testing.B, cl *http.Client, base string, rows, clients int, d time.Duration) loadResult {
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	began := time.Now()
	deadline := began.Add(d)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(seed, 1))
			lat := make([]time.Duration, 0, 1<<16)
			bad := 0
			buf := make([]byte, 32<<10)
			for time.Now().Before(deadline) {
				t0 := time.Now()
				resp, err := cl.Get(base + "/rows/" + strconv.Itoa(rnd.IntN(rows)))
				if err != nil {
					bad++
					continue
				}
				io.CopyBuffer(io.Discard, resp.Body, buf)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		}(uint64(c))
	}
	wg.Wait()
	elapsed := time.Since(began)
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) == 0 {
		b.Fatal("no requests completed")
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	return loadResult{clients: clients, rate: float64(len(all)) / elapsed.Seconds(), p50: pct(0.50), p99: pct(0.99), max: all[len(all)-1], errors: errs}
}
