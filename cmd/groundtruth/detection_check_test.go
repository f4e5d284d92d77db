package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigValidateDetection runs config validate on the configurations
// in testdata/detection: each *.bad.yaml must fail with every message its
// "# want:" lines give (after the file name), the others must pass.
func TestConfigValidateDetection(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "detection", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test configurations: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var wants []string
			for _, l := range strings.Split(string(raw), "\n") {
				if w, ok := strings.CutPrefix(l, "# want: "); ok {
					wants = append(wants, f+w)
				}
			}
			out, errOut, code := runCLI(t, nil, "config", "validate", "-c", f)
			bad := strings.HasSuffix(f, ".bad.yaml")
			switch {
			case bad && code == 0:
				t.Fatalf("config validate accepted it:\n%s", out)
			case !bad && code != 0:
				t.Fatalf("config validate refused it (exit %d):\n%s", code, errOut)
			}
			for _, w := range wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("config validate does not say\n  %s\nit says:\n%s", w, errOut)
				}
			}
		})
	}
}
