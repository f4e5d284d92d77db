package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
)

// TestExamplesValidate checks that every example configuration decodes and
// builds its sources with the binary's full registry; secrets referenced as
// ${NAME} get placeholder values.
func TestExamplesValidate(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(shareddata.RepoRoot(t), "examples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	env := func(k string) string {
		if strings.Contains(k, "URL") || strings.Contains(k, "RPC") {
			return "http://127.0.0.1:8545/"
		}
		return "placeholder-" + strings.ToLower(k)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var out, errOut strings.Builder
			cmd := newRootCmd(&out, &errOut, env)
			cmd.SetArgs([]string{"config", "validate", "--config", f})
			if err := cmd.Execute(); err != nil {
				t.Fatalf("%v\n%s", err, errOut.String())
			}
			if !strings.Contains(out.String(), ": ok (") {
				t.Fatalf("unexpected output %q", out.String())
			}
		})
	}
}
