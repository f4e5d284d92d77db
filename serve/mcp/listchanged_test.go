package mcp_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// TestListChangedTypeScript: the official TypeScript SDK's client, connected
// over streamable HTTP, receives notifications/resources/list_changed and
// notifications/tools/list_changed when a new version is attested and when
// it is revoked, finds the resources changed when it re-lists them, and
// receives nothing after a poll that changed nothing.
func TestListChangedTypeScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		testchain.MissingTool(t, "node (Node.js >= 20) is not on PATH")
		return
	}
	nm := testchain.RequireNodeModules(t)
	ctx := context.Background()
	st := servetest.OpenStore(t, t.TempDir())
	m1 := servetest.Seal(t, st, "votes", 0, 100)
	servetest.MarkAttested(t, st, m1)
	m2 := servetest.Seal(t, st, "votes", 100, 150)
	srv, err := serve.New(ctx, serve.Config{Catalog: st, CacheDir: t.TempDir(), Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 1000, Burst: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Poll(ctx)
	hs := httptest.NewServer(srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{})))
	defer hs.Close()

	script, err := filepath.Abs("../../scripts/mcp-list-changed.mjs")
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, node, script, hs.URL)
	cmd.Dir = filepath.Dir(nm) // node resolves @modelcontextprotocol/sdk from node_modules there
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	expect := func(send, want string) {
		t.Helper()
		if send != "" {
			fmt.Fprintln(stdin, send)
		}
		t0 := time.Now()
		defer func() { t.Logf("%s: %v", want, time.Since(t0)) }()
		if !lines.Scan() {
			t.Fatalf("%s: the client said nothing more (stderr: %s)", send, stderr.String())
		}
		if got := lines.Text(); got != want {
			t.Fatalf("%s: the client said %q, want %q (stderr: %s)", send, got, want, stderr.String())
		}
	}
	for _, step := range []struct {
		name       string
		change     func()
		send, want string
	}{
		{"connected", func() {}, "", "resources 2"},
		{"no change", func() { srv.Poll(ctx) }, "quiet", "quiet 0 0"},
		{"votes@2 attested", func() { servetest.MarkAttested(t, st, m2); srv.Poll(ctx) }, "wait", "changed resources 4 tools 5"},
		{"votes@2 revoked", func() {
			if err := st.SetVersionStatus(ctx, "votes", 2, attest.StatusRevoked); err != nil {
				t.Fatal(err)
			}
			srv.Poll(ctx)
		}, "wait", "changed resources 2 tools 5"},
	} {
		step.change()
		expect(step.send, step.want)
	}
	stdin.Close()
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node: %v (stderr: %s)", err, stderr.String())
	}
}
