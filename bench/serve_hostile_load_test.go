//go:build duckdb_arrow

package bench

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// rateResult is what the well-behaved client saw: latencies from each
// request's scheduled time (p50, p99, max) and from its send (svc50,
// svc99); errors are failed requests (transport errors, statuses other
// than 200), notSent requests the generator could not even queue (a
// second of backlog: the client side was saturated).
type rateResult struct {
	n, errors, notSent int
	rate               float64
	p50, p99, max      time.Duration
	svc50, svc99       time.Duration
	// slowWindows counts, per 100 ms of the run, the requests slower than
	// 25 ms (scheduled time); busiest lists the busiest windows as
	// "offset:count" (do the slow ones cluster in bursts?).
	slowWindows int
	busiest     string
	// dials counts the connections the client opened (a keep-alive
	// connection the server closed is replaced by a new one).
	dials int
}

// goodDials counts the good client's connections (newGoodClient).
var goodDials atomic.Int64

// newGoodClient is the well-behaved client's HTTP client: keep-alive, up to
// 512 idle connections, every dial counted in goodDials. Its connections
// come from 127.0.0.2 (envHostileClientIP), the attackers' from 127.0.0.1:
// in production they are other machines.
func newGoodClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if ip := cmp.Or(os.Getenv(envHostileClientIP), "127.0.0.2"); ip != "127.0.0.1" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(ip)}
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, DisableCompression: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			goodDials.Add(1)
			return d.DialContext(ctx, network, addr)
		}}}
}

// getRow asks one row with proof as the good client.
func getRow(cl *http.Client, url string, buf []byte) error {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+goodToken)
	resp, err := cl.Do(req)
	if err != nil {
		return err
	}
	io.CopyBuffer(io.Discard, resp.Body, buf)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// warmRowsAuth asks one row of each segment (builds the proof tree and the
// row blocks) with the good client's token.
func warmRowsAuth(b *testing.B, cl *http.Client, base string, segs []datasets.SegmentRef) time.Duration {
	began := time.Now()
	var first uint64
	buf := make([]byte, 32<<10)
	for _, s := range segs {
		if err := getRow(cl, base+"/rows/"+strconv.FormatUint(first, 10), buf); err != nil {
			b.Fatal(err)
		}
		first += s.Rows
	}
	return time.Since(began)
}

// fixedRateRows asks uniformly random rows at a fixed rate for d (an open
// loop: a request is scheduled every 1/rate s whatever the answers do, and
// its latency counts from its scheduled time). A request that cannot even
// be queued (a second of backlog) counts as an error.
func fixedRateRows(cl *http.Client, base string, rows, rate int, d time.Duration) rateResult {
	jobs := make(chan time.Time, rate)
	var mu sync.Mutex
	var lats, svc []time.Duration
	dials0 := goodDials.Load()
	var start time.Time     // set before the first job is sent
	slowAt := map[int]int{} // 100 ms window of the scheduled time → requests slower than 25 ms
	var errs, notSent atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 256; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(seed, 7))
			buf := make([]byte, 32<<10)
			var mine, mineSvc []time.Duration
			var mineSlow []time.Time
			for sched := range jobs {
				sent := time.Now()
				if err := getRow(cl, base+"/rows/"+strconv.Itoa(rnd.IntN(rows)), buf); err != nil {
					errs.Add(1)
				}
				mine = append(mine, time.Since(sched))
				if mine[len(mine)-1] > 25*time.Millisecond {
					mineSlow = append(mineSlow, sched)
				}
				mineSvc = append(mineSvc, time.Since(sent))
			}
			mu.Lock()
			lats = append(lats, mine...)
			svc = append(svc, mineSvc...)
			for _, t := range mineSlow {
				slowAt[int(t.Sub(start)/(100*time.Millisecond))]++
			}
			mu.Unlock()
		}(uint64(w))
	}
	interval := time.Second / time.Duration(rate)
	total := int(d / interval)
	start = time.Now()
	t := time.NewTicker(time.Millisecond)
	for sent := 0; sent < total; {
		<-t.C
		due := min(total, int(time.Since(start)/interval))
		for ; sent < due; sent++ {
			select {
			case jobs <- start.Add(time.Duration(sent) * interval):
			default:
				notSent.Add(1)
			}
		}
	}
	t.Stop()
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	res := rateResult{n: len(lats), errors: int(errs.Load()), notSent: int(notSent.Load()), rate: float64(len(lats)) / elapsed.Seconds()}
	if len(lats) > 0 {
		res.p50, res.p99, res.max = percentiles(lats)
		res.svc50, res.svc99, _ = percentiles(svc)
	}
	res.slowWindows, res.busiest = busiestWindows(slowAt, 5)
	res.dials = int(goodDials.Load() - dials0)
	return res
}

// busiestWindows returns how many windows hold slow requests and the n
// busiest as "seconds:count".
func busiestWindows(at map[int]int, n int) (int, string) {
	keys := make([]int, 0, len(at))
	for k := range at {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return at[keys[i]] > at[keys[j]] })
	var out []string
	for _, k := range keys[:min(n, len(keys))] {
		out = append(out, fmt.Sprintf("%.1fs:%d", float64(k)/10, at[k]))
	}
	return len(keys), strings.Join(out, ",")
}

// percentiles sorts ds and returns its p50, p99 and maximum.
func percentiles(ds []time.Duration) (p50, p99, top time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	pct := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return pct(0.5), pct(0.99), ds[len(ds)-1]
}

// hostileMix is the attack running beside the good client.
type hostileMix struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	c      map[string]*atomic.Int64
}

func (m *hostileMix) count(name string) { m.c[name].Add(1) }

// startHostileMix starts the attackers: never-reading downloads, idle
// connections, an MCP initialize flood and heavy queries from one token.
func startHostileMix(addr, base string) *hostileMix {
	ctx, cancel := context.WithCancel(context.Background())
	m := &hostileMix{ctx: ctx, cancel: cancel, c: map[string]*atomic.Int64{}}
	for _, k := range []string{"slow downloads sent", "idle connections opened", "idle connections closed by the server",
		"dial errors", "MCP initializes", "MCP initialize 200", "MCP initialize 429", "MCP initialize 503",
		"heavy queries", "heavy queries refused or timed out"} {
		m.c[k] = &atomic.Int64{}
	}
	for _, sess := range m.heavySessions(addr, envCount(envHostileHeavy, 4)) {
		m.wg.Add(1)
		go m.heavyQueries(sess)
	}
	slowPath := os.Getenv(envHostileSlowPath)
	if slowPath == "" {
		slowPath = "/data?format=jsonl"
	}
	for i := 0; i < envCount(envHostileSlow, 1000); i++ {
		m.wg.Add(1)
		go m.slowReader(addr, base+slowPath)
	}
	for i := 0; i < envCount(envHostileIdle, 5000); i++ {
		m.wg.Add(1)
		go m.idleConn(addr)
	}
	inits := make(chan struct{}, 64)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(inits)
		for i := 0; i < envCount(envHostileInits, 10000) && ctx.Err() == nil; i++ {
			select {
			case inits <- struct{}{}:
			case <-ctx.Done():
			}
		}
	}()
	for w := 0; w < 8; w++ {
		m.wg.Add(1)
		go m.initializer(addr, inits)
	}
	return m
}

// stop ends the attack and returns its counts.
func (m *hostileMix) stop() [][2]string {
	m.cancel()
	m.wg.Wait()
	var out [][2]string
	for k, v := range m.c {
		out = append(out, [2]string{k, strconv.FormatInt(v.Load(), 10)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// hold waits for d or the end of the attack.
func (m *hostileMix) hold(d time.Duration) bool {
	select {
	case <-m.ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// slowReader opens a JSONL download of the whole version on a connection
// with a 4 KiB receive buffer and never reads it; every 10 s it starts over.
func (m *hostileMix) slowReader(addr, url string) {
	defer m.wg.Done()
	d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	for m.ctx.Err() == nil {
		c, err := d.DialContext(m.ctx, "tcp", addr)
		if err != nil {
			m.count("dial errors")
			m.hold(time.Second)
			continue
		}
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", url[len("http://")+len(addr):], addr)
		m.count("slow downloads sent")
		m.hold(10 * time.Second)
		c.Close()
	}
}

// idleConn holds a connection that sends nothing; when the server closes
// it, it waits a second and opens another.
func (m *hostileMix) idleConn(addr string) {
	defer m.wg.Done()
	d := net.Dialer{Timeout: 5 * time.Second}
	var one [1]byte
	for m.ctx.Err() == nil {
		c, err := d.DialContext(m.ctx, "tcp", addr)
		if err != nil {
			m.count("dial errors")
			m.hold(time.Second)
			continue
		}
		m.count("idle connections opened")
		stop := context.AfterFunc(m.ctx, func() { c.Close() })
		if _, err := c.Read(one[:]); err != nil && m.ctx.Err() == nil {
			m.count("idle connections closed by the server")
		}
		stop()
		c.Close()
		m.hold(time.Second)
	}
}

// initializer sends MCP initialize requests as the heavy token.
func (m *hostileMix) initializer(addr string, todo <-chan struct{}) {
	defer m.wg.Done()
	cl := &http.Client{Timeout: 10 * time.Second}
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"flood","version":"1"}}}`)
	for range todo {
		req, _ := http.NewRequestWithContext(m.ctx, http.MethodPost, "http://"+addr+"/mcp", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+heavyToken)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := cl.Do(req)
		m.count("MCP initializes")
		if err != nil {
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 200, 429, 503:
			m.count("MCP initialize " + strconv.Itoa(resp.StatusCode))
		}
	}
}

// heavySessions opens n MCP sessions of the heavy token.
func (m *hostileMix) heavySessions(addr string, n int) []*sdk.ClientSession {
	var out []*sdk.ClientSession
	for i := 0; i < n; i++ {
		tr := &sdk.StreamableClientTransport{Endpoint: "http://" + addr + "/mcp",
			HTTPClient: &http.Client{Transport: bearerTransport{heavyToken, &http.Transport{}}}}
		cs, err := sdk.NewClient(&sdk.Implementation{Name: "heavy", Version: "1"}, nil).Connect(m.ctx, tr, nil)
		if err != nil {
			m.count("dial errors")
			continue
		}
		out = append(out, cs)
	}
	return out
}

// heavyQueries keeps a query that runs until the query timeout going.
func (m *hostileMix) heavyQueries(cs *sdk.ClientSession) {
	defer m.wg.Done()
	defer cs.Close()
	for m.ctx.Err() == nil {
		res, err := cs.CallTool(m.ctx, &sdk.CallToolParams{Name: "query", Arguments: map[string]any{"sql": "select sum(hash(i)) from range(1000000000000) t(i)"}})
		m.count("heavy queries")
		if err != nil || res.IsError {
			m.count("heavy queries refused or timed out")
		}
	}
}

// bearerTransport adds a token to every request.
type bearerTransport struct {
	token string
	next  http.RoundTripper
}

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// envCount reads a count from the environment (0 allowed: that attacker
// is off), else def.
func envCount(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n >= 0 {
		return n
	}
	return def
}
