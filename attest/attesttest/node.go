package attesttest

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// Node runs `node scripts/<script> args...` from the repository root and
// returns its standard output and exit code. A missing node fails the test
// under CI=true and skips it elsewhere.
func Node(t testing.TB, script string, args ...string) ([]byte, int) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		testchain.MissingTool(t, "node (Node.js >= 20) is not on PATH: install it to run the EAS SDK interoperability checks")
	}
	testchain.RequireNodeModules(t)
	root, err := testchain.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(root, "scripts", script)}, args...)...)
	cmd.Dir = root
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("node %s: %v", script, err)
	}
	if errOut.Len() > 0 {
		t.Logf("node %s %v stderr:\n%s", script, args, errOut.String())
	}
	return out.Bytes(), code
}
