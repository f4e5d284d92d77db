package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// envMCPChildArgs carries the command line of TestMCPServeChild.
const envMCPChildArgs = "GT_MCP_CHILD_ARGS"

// TestMCPServeChild is the groundtruth process that scripts/mcp-interop.mjs
// spawns as an MCP host would (stdin/stdout are the MCP stream).
func TestMCPServeChild(t *testing.T) {
	args := os.Getenv(envMCPChildArgs)
	if args == "" {
		t.Skip("the child process of TestMCPThirdPartyClient")
	}
	cmd := newRootCmd(os.Stdout, os.Stderr, os.Getenv)
	cmd.SetArgs(strings.Split(args, "\x1f"))
	err := cmd.ExecuteContext(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "groundtruth:", err)
	}
	os.Exit(exitCode(err))
}

// TestMCPThirdPartyClient runs the official TypeScript MCP SDK's client
// (scripts/mcp-interop.mjs) against the real server on a real chain: over
// stdio (spawned with a host's minimal environment) and over HTTP /mcp, it
// calls every tool at once right after connecting, recomputes leaves from
// the readable values and checks their proofs, and checks that a revoked
// version and a version with a flipped segment byte are refused; a server
// whose configuration needs an unset ${RPC_URL} says so as a tool error.
func TestMCPThirdPartyClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		testchain.MissingTool(t, "node (Node.js >= 20) is not on PATH: install it to run the MCP interoperability test")
	}
	if _, err := os.Stat(filepath.Join(testchain.RequireNodeModules(t), "@modelcontextprotocol", "sdk")); err != nil {
		testchain.MissingTool(t, "@modelcontextprotocol/sdk is not installed: run npm ci")
	}
	e := newAttestEnv(t)
	reg := e.registryFlags()
	for _, d := range []struct {
		name string
		rows int
	}{{"votes", 300}, {"gone", 50}, {"tampered", 80}} {
		e.seal(t, d.name, 0, d.rows)
		sig := filepath.Join(e.dir, d.name+".sig.json")
		e.must(t, 0, append([]string{"sign", d.name + "@1", "--key", e.stewardKeys[1], "-o", sig}, reg...)...)
		e.must(t, 0, append([]string{"attest", d.name + "@1", "--key", e.stewardKeys[0], "--signatures", sig}, reg...)...)
	}
	rv := filepath.Join(e.dir, "gone.revoke.json")
	e.must(t, 0, append([]string{"sign", "gone@1", "--revoke", "--reason", "source poisoned", "--key", e.stewardKeys[2], "-o", rv}, reg...)...)
	e.must(t, 0, append([]string{"revoke", "gone@1", "--reason", "source poisoned", "--key", e.stewardKeys[0], "--signatures", rv}, reg...)...)
	root := flipSegmentByte(t, e.data)
	good := map[string]any{"dataset": "votes", "version": 1, "rows": 300, "root": root}

	chainFlags := append([]string{"--data-dir", e.data, "serve", "--log-level", "warn", "--interval", "1s"}, reg...)
	child := func(args ...string) map[string]any {
		return map[string]any{"command": os.Args[0], "args": []string{"-test.run=^TestMCPServeChild$", "-test.count=1"},
			"env": map[string]string{envMCPChildArgs: strings.Join(args, "\x1f")}}
	}
	plan := func(mode string, extra map[string]any) map[string]any {
		p := map[string]any{"mode": mode, "good": good, "revoked": "gone", "tampered": "tampered"}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	runInterop(t, node, plan("stdio", child(append(chainFlags, "--mcp-stdio")...)))

	bad := filepath.Join(e.dir, "needs-rpc.yaml")
	writeFile(t, bad, fmt.Sprintf("version: 1\ndata_dir: %s\nserve:\n  rpc_url: ${RPC_URL}\n", e.data))
	failed := plan("failed", child("serve", "--mcp-stdio", "--config", bad))
	failed["says"] = []string{"${RPC_URL} is not set", `"env"`}
	runInterop(t, node, failed)

	url, token := serveHTTPForInterop(t, e.dir, e.data, reg)
	runInterop(t, node, plan("http", map[string]any{"url": url, "token": token}))
}

// flipSegmentByte flips one byte in the middle of tampered@1's segment
// and returns votes@1's Merkle root.
func flipSegmentByte(t *testing.T, data string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tv, err := st.Version(ctx, "tampered", 1)
	if err != nil {
		t.Fatal(err)
	}
	vv, err := st.Version(ctx, "votes", 1)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(data, filepath.FromSlash(tv.Manifest.Segments[0].Path))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return vv.Manifest.MerkleRoot.String()
}

// serveHTTPForInterop runs groundtruth serve with a token on 127.0.0.1:0
// until the test ends and returns the /mcp URL (the address serve says it
// bound) and the token. The token allows 1 request per second with a
// burst of 12: the script makes 11 calls and resource reads; the SDK
// handshake is not counted.
func serveHTTPForInterop(t *testing.T, dir, data string, chain []string) (string, string) {
	t.Helper()
	out, _, code := runCLI(t, nil, "serve", "token", "--name", "agent", "--rate", "1", "--datasets", "votes,gone,tampered")
	tok := regexp.MustCompile(`gt_[A-Za-z0-9_-]{43}`).FindString(out)
	if code != 0 || tok == "" {
		t.Fatalf("serve token: %d %s", code, out)
	}
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, fmt.Sprintf("version: 1\ndata_dir: %s\nserve:\n  listen: 127.0.0.1:0\n%s      burst: 12\n", data, out[strings.Index(out, "  tokens:"):]))
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		cmd := newRootCmd(&bytes.Buffer{}, &stderr, func(string) string { return "" })
		cmd.SetArgs(append([]string{"serve", "--config", cfg, "--log-level", "error", "--interval", "1s"}, chain...))
		done <- cmd.ExecuteContext(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
			if t.Failed() { // serve has stopped writing its log
				t.Logf("serve's log:\n%s", stderr.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	addr := boundAddr(t, &stderr, endedOf(done))
	return "http://" + addr + "/mcp", tok
}

// runInterop runs scripts/mcp-interop.mjs with a plan and fails the test
// unless every check passed.
func runInterop(t *testing.T, node string, plan map[string]any) {
	t.Helper()
	root, err := testchain.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(plan)
	p := filepath.Join(t.TempDir(), "plan.json")
	writeFile(t, p, string(b))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "scripts", "mcp-interop.mjs"), p)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "checks passed") {
		t.Fatalf("mcp-interop %s: %v\n%s", plan["mode"], err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}
