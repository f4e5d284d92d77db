package serve_test

import (
	"cmp"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// sealNotes seals notes@1: (id, note, amount) rows with the given notes
// and amounts -1, -2, ….
func sealNotes(t testing.TB, st *store.Store, notes []string) *datasets.Manifest {
	t.Helper()
	sch := &datasets.Schema{Columns: []datasets.Column{{Name: "id", Type: datasets.TypeInt64}, {Name: "note", Type: datasets.TypeString},
		{Name: "amount", Type: datasets.TypeInt64}}, Key: []string{"id"}}
	as, err := sch.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer b.Release()
	for i, n := range notes {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.StringBuilder).Append(n)
		b.Field(2).(*array.Int64Builder).Append(-int64(i) - 1)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	w, err := st.Begin(context.Background(), "notes", sch, store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	m, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// smallBufListener shrinks the send buffer of accepted connections, so
// that a server streaming to a client that does not read blocks after a
// few kilobytes (as it would far from the client) instead of emptying its
// whole body into loopback's large socket buffers.
type smallBufListener struct{ net.Listener }

func (l smallBufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// slowClient is an HTTP client with a small receive buffer (see
// smallBufListener); its idle connections are closed when the test ends.
func slowClient(t testing.TB) *http.Client {
	d := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		return cmp.Or(err, serr)
	}}
	tr := &http.Transport{DialContext: d.DialContext, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// chainProxy is a TCP proxy on 127.0.0.1 in front of the chain's node that
// the test can unplug (every connection closed, new ones refused) and plug
// back in.
type chainProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
	wg     sync.WaitGroup
}

// startProxy proxies to the node at rpcURL (http://host:port).
func startProxy(t testing.TB, rpcURL string) *chainProxy {
	t.Helper()
	p := &chainProxy{ln: listen(t), target: strings.TrimPrefix(rpcURL, "http://"), conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		p.ln.Close()
		p.setDown(true)
		p.wg.Wait()
	})
	return p
}

// URL is the proxy's JSON-RPC URL.
func (p *chainProxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *chainProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			continue
		}
		p.wg.Add(1)
		go p.pipe(c)
	}
}

// track registers c, or closes it when the proxy is down.
func (p *chainProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *chainProxy) pipe(c net.Conn) {
	defer p.wg.Done()
	u, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(u) {
		c.Close()
		return
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(u, c); done <- struct{}{} }()
	go func() { io.Copy(c, u); done <- struct{}{} }()
	<-done
	c.Close()
	u.Close()
	<-done
}

// setDown unplugs the node (closing every connection) or plugs it back.
func (p *chainProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
			delete(p.conns, c)
		}
	}
}

// openStream starts a JSONL download and reads its first kilobytes; the
// caller reads the rest.
func openStream(t *testing.T, hc *http.Client, url string) *http.Response {
	t.Helper()
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 32<<10)); err != nil {
		t.Fatal(err)
	}
	return resp
}

// waitFor polls cond every 10 ms until it holds or the bound passes.
func waitFor(t *testing.T, bound time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(bound); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: not within %v", what, bound)
		}
	}
}

// mcpSession connects an MCP client to the server's /mcp with a token.
func mcpSession(t *testing.T, srv *serve.Server, token string) *sdk.ClientSession {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/mcp", srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{})))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	tr := &sdk.StreamableClientTransport{Endpoint: hs.URL + "/mcp", HTTPClient: &http.Client{Transport: bearerRT{token, http.DefaultTransport}}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "hostile", Version: "1"}, nil).Connect(context.Background(), tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// toolText calls an MCP tool and returns its text and whether it failed.
func toolText(t *testing.T, cs *sdk.ClientSession, name string, args any) (string, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var text []string
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			text = append(text, tc.Text)
		}
	}
	return strings.Join(text, "\n"), res.IsError
}
