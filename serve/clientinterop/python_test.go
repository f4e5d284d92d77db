package clientinterop

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/serve/client"
)

// TestPython runs clients/python's unit tests (python3 -m unittest, standard
// library only) against the real server and a registry on anvil: keccak,
// value forms and SPEC vectors offline, then rows with proofs, key lookups,
// JSONL and segment downloads, and the refusals (revoked, unattested,
// flipped segment byte, flipped JSONL digit, wrong root, wrong value, wrong
// index, wrong manifest hash); the stewards' signatures against the
// registry's stewards() and threshold() and against other sets; EAS
// attestations on-chain and off-chain (revoked, foreign stewards, tampered
// packages); receipts both ways (the Go client's verify in Python, the
// Python client's with the Go VerifyReceipt). Every test must run: a skip
// fails.
func TestPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		testchain.MissingTool(t, "python3 is needed for clients/python (apt-get install python3)")
		return
	}
	w := startWorld(t)
	dir, err := filepath.Abs("../../clients/python")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-m", "unittest", "discover", "-v", "-s", "tests", "-t", ".")
	cmd.Dir = dir
	ver, closeVer, err := client.NewRegistryVerifier(ctx, w.rpc, common.HexToAddress(w.registry), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeVer()
	goReceipt, pyReceipt := filepath.Join(t.TempDir(), "go-receipt.json"), filepath.Join(t.TempDir(), "py-receipt.json")
	writeGoReceipt(ctx, t, w, ver, goReceipt)
	cmd.Env = append(os.Environ(), "GT_URL="+w.url, "GT_RPC_URL="+w.rpc, "GT_REGISTRY="+w.registry, "GT_STEWARDS="+w.stewards,
		"GT_EAS="+w.eas, "GT_GO_RECEIPT="+goReceipt, "GT_PY_RECEIPT="+pyReceipt, "PYTHONDONTWRITEBYTECODE=1",
		"GT_SAFE_REGISTRY="+w.safe.registry.Hex(), "GT_SAFE_STEWARDS="+w.safe.stewards[0].Hex()+","+w.safe.stewards[1].Hex())
	out, err := cmd.CombinedOutput()
	t.Logf("python3 -m unittest:\n%s", out)
	if err != nil {
		t.Fatalf("python3 -m unittest: %v", err)
	}
	s := string(out)
	if strings.Contains(s, "skipped") {
		t.Fatal("a Python test was skipped: every test must run here")
	}
	m := regexp.MustCompile(`Ran (\d+) tests?`).FindStringSubmatch(s)
	if m == nil || m[1] == "0" || !strings.Contains(s, "\nOK") {
		t.Fatalf("python3 -m unittest ran no test or did not end OK")
	}
	checkReceipt(ctx, t, ver, pyReceipt, "Python")
}
