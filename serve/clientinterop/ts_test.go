package clientinterop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestTypeScript builds clients/ts (tsc) and runs its node tests against the
// real server and a registry on anvil: SPEC vectors offline, then fetch
// (segment hashes, every leaf from the zstd Arrow segments, the root, the
// registry's record), rows with proofs, and the refusals (revoked,
// unattested, flipped segment byte, wrong root, wrong value, wrong index).
// `make test` installs clients/ts/node_modules first (mk/clients.mk); every
// test must run: a skip fails.
func TestTypeScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		testchain.MissingTool(t, "node is needed for clients/ts")
		return
	}
	dir, err := filepath.Abs("../../clients/ts")
	if err != nil {
		t.Fatal(err)
	}
	tsc := filepath.Join(dir, "node_modules", ".bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		testchain.MissingTool(t, "clients/ts/node_modules is not installed: run make clients-ts (npm ci in clients/ts)")
		return
	}
	w := startWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, tsc, "-p", ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("tsc: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, node, "--test", "dist/test/")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GT_URL="+w.url, "GT_RPC_URL="+w.rpc, "GT_REGISTRY="+w.registry)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test:\n%s", out)
	if err != nil {
		t.Fatalf("node --test: %v", err)
	}
	s := string(out)
	pass := regexp.MustCompile(`(?m)^# pass (\d+)$`).FindStringSubmatch(s)
	skipped := regexp.MustCompile(`(?m)^# skipped (\d+)$`).FindStringSubmatch(s)
	if pass == nil || pass[1] == "0" || skipped == nil || skipped[1] != "0" {
		t.Fatalf("node --test: want every test run and passed (pass %v, skipped %v)", pass, skipped)
	}
}
