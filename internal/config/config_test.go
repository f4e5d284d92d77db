package config_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
)

var update = flag.Bool("update", false, "rewrite the expected messages of testdata/*.bad.yaml")

// testEnv is the environment the test configurations see.
var testEnv = map[string]string{
	"DATASET":   "Compound-Bravo-S3cret",
	"SOURCE_ID": "has spaces s3cret",
	"DATA_DIR":  "/var/lib/groundtruth",
}

func getenv(name string) string { return testEnv[name] }

func registry(t testing.TB) *sources.Registry {
	t.Helper()
	reg, err := sources.NewRegistry(file.Factory())
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// check parses a configuration and builds its sources.
func check(t testing.TB, name string, data []byte) error {
	_, _, err := config.ParseWithSources(name, data, getenv, registry(t), sources.Deps{})
	return err
}

func TestBadConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.bad.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			err = check(t, name, data)
			if err == nil {
				t.Fatal("accepted a bad configuration")
			}
			if !errors.Is(err, config.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			var ps *config.Problems
			if !errors.As(err, &ps) || len(ps.List) == 0 {
				t.Errorf("error is not a *Problems: %T", err)
			}
			for _, secret := range testEnv {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the message shows the value of an environment variable:\n%s", err)
				}
			}
			got := err.Error() + "\n"
			golden := name + ".want"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("messages differ\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
