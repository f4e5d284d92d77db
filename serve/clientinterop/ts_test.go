package clientinterop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/serve/client"
)

// TestTypeScript builds clients/ts (tsc) and runs its node tests against the
// real server and a registry on anvil: SPEC vectors offline, then fetch
// (segment hashes, every leaf from the zstd Arrow segments, the root, the
// registry's record), rows with proofs, and the refusals (revoked,
// unattested, flipped segment byte, wrong root, wrong value, wrong index);
// a contract steward's (Safe, EIP-1271) signature checked with
// isValidSignature through the node;
// receipts both ways: the Go client's receipt verifies in TypeScript and the
// TypeScript client's with the Go VerifyReceipt (and tampered copies fail).
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
	ver, closeVer, err := client.NewRegistryVerifier(ctx, w.rpc, common.HexToAddress(w.registry), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeVer()
	goReceipt, tsReceipt := filepath.Join(t.TempDir(), "go-receipt.json"), filepath.Join(t.TempDir(), "ts-receipt.json")
	writeGoReceipt(ctx, t, w, ver, goReceipt)
	build := exec.CommandContext(ctx, tsc, "-p", ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("tsc: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, node, "--test", "dist/test/")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GT_URL="+w.url, "GT_RPC_URL="+w.rpc, "GT_REGISTRY="+w.registry, "GT_STEWARDS="+w.stewards, "GT_EAS="+w.eas,
		"GT_GO_RECEIPT="+goReceipt, "GT_TS_RECEIPT="+tsReceipt, "GT_SAFE_REGISTRY="+w.safe.registry.Hex(),
		"GT_SAFE_STEWARDS="+w.safe.stewards[0].Hex()+","+w.safe.stewards[1].Hex())
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
	checkReceipt(ctx, t, ver, tsReceipt, "TypeScript")
}

// writeGoReceipt reads rows 2 and 9 of votes@1 with the Go client and writes
// its receipt for the TypeScript client to verify.
func writeGoReceipt(ctx context.Context, t *testing.T, w *world, ver client.Verifier, path string) {
	c, err := client.New(client.Config{BaseURL: w.url, Verifier: ver, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rc := c.NewReceipt("go decision 1")
	for _, i := range []uint64{2, 9} {
		row, err := c.Row(ctx, "votes", 1, i)
		if err != nil {
			t.Fatal(err)
		}
		rc.AddRow(row)
	}
	b, err := rc.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkReceipt verifies the receipt another client (who) wrote with the Go
// VerifyReceipt, then a copy whose row claims another index, which must fail.
func checkReceipt(ctx context.Context, t *testing.T, ver client.Verifier, path, who string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the %s test wrote no receipt: %v", who, err)
	}
	r, err := client.ParseReceipt(raw)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := client.VerifyReceipt(ctx, r, ver)
	if err != nil || rr.Err() != nil || len(r.Reads) != 1 || len(r.Reads[0].Rows) != 2 || !r.Reads[0].Whole {
		t.Fatalf("Go VerifyReceipt of the %s receipt: %v %v %+v", who, err, rr.Err(), rr)
	}
	r.Reads[0].Rows[1].Index = 8
	rr, err = client.VerifyReceipt(ctx, r, ver)
	if err != nil || rr.Err() == nil {
		t.Fatalf("Go VerifyReceipt accepted a %s receipt whose row claims another index: %v", who, err)
	}
}
