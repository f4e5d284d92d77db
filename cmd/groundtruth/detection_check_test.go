package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestRunRefusesDetectionConfig checks that the daemon and run --once
// refuse every testdata/detection/*.bad.yaml before anything runs, with
// the same file:line messages as config validate, and create no data
// directory.
func TestRunRefusesDetectionConfig(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "detection", "*.bad.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test configurations: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, want, wcode := runCLI(t, nil, "config", "validate", "-c", f)
			if wcode == 0 {
				t.Fatal("config validate accepted it")
			}
			for _, args := range [][]string{{"run", "-c", f, "--listen", "", "--grace", "1s"}, {"run", "--once", "-c", f}} {
				dir := filepath.Join(t.TempDir(), "data")
				out, errOut, code := runCLIWithin(t, 20*time.Second, append(args, "--data-dir", dir)...)
				if code != wcode {
					t.Errorf("%v: exit %d, want config validate's %d\n%s%s", args, code, wcode, out, errOut)
				}
				if errOut != want {
					t.Errorf("%v says\n%s\nconfig validate says\n%s", args, errOut, want)
				}
				if _, err := os.Stat(dir); !os.IsNotExist(err) {
					t.Errorf("%v: the data directory was created for a refused configuration: %v", args, err)
				}
			}
		})
	}
}

// runCLIWithin is runCLI with a deadline, for commands (the daemon) that
// would otherwise run until stopped.
func runCLIWithin(t *testing.T, d time.Duration, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := newRootCmd(&out, &errOut, func(string) string { return "" })
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	printError(&errOut, err)
	return out.String(), errOut.String(), exitCode(err)
}
