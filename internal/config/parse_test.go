package config_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
)

const goodConfig = `version: 1
jobs:
  - name: bravo
    dataset: compound_bravo
    schedule: "@every 1h"
    source:
      kind: fake
      url: https://${DATA_DIR}/x
      note: "cost $$5, literal $${HOME}"
      limit: 7
  - name: alpha-2
    dataset: compound_alpha
    source:
      kind: fake
      id: alpha-source
      url: other
`

// fakeConfig is the kind-specific configuration of the fake source kind.
type fakeConfig struct {
	URL   string `yaml:"url" config:"required"`
	Note  string `yaml:"note"`
	Limit int    `yaml:"limit"`
}

func (c *fakeConfig) Validate() error {
	if c.Limit < 0 {
		return fieldError{"limit", "limit must not be negative"}
	}
	if strings.Contains(c.URL, "fail") {
		return fmt.Errorf("cannot use %s", c.URL)
	}
	return nil
}

type fieldError struct{ field, msg string }

func (e fieldError) Error() string       { return e.msg }
func (e fieldError) ConfigField() string { return e.field }

// fakeSource records how it was built.
type fakeSource struct {
	id   string
	cfg  fakeConfig
	deps sources.Deps
	sources.Source
}

func (f *fakeSource) ID() string { return f.id }

func fakeRegistry(t testing.TB) *sources.Registry {
	t.Helper()
	reg, err := sources.NewRegistry(sources.Factory{
		Kind: "fake",
		New: func(id string, decode sources.Decode, deps sources.Deps) (sources.Source, error) {
			cfg := fakeConfig{Limit: 100}
			if err := decode(&cfg); err != nil {
				return nil, err
			}
			if strings.HasPrefix(cfg.URL, "boom") {
				return nil, fmt.Errorf("%w: cannot reach %s\nsecond line", sources.ErrConfig, cfg.URL)
			}
			return &fakeSource{id: id, cfg: cfg, deps: deps}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestParseGood(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "groundtruth.yaml")
	cfg, srcs, err := config.ParseWithSources(name, []byte(goodConfig), getenv, fakeRegistry(t), sources.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "groundtruth-data"); cfg.DataDir != want {
		t.Errorf("DataDir = %q, want %q", cfg.DataDir, want)
	}
	if cfg.BaseDir != dir {
		t.Errorf("BaseDir = %q, want %q", cfg.BaseDir, dir)
	}
	if cfg.Hash() != datasets.Hash(sha256.Sum256([]byte(goodConfig))) {
		t.Error("Hash is not the SHA-256 of the file")
	}
	if got := cfg.Jobs[0]; got.Name != "bravo" || got.Dataset != "compound_bravo" || got.Schedule != "@every 1h" || got.Source.Kind != "fake" || got.Source.ID != "bravo" {
		t.Errorf("job 0 = %+v", got)
	}
	if cfg.Jobs[1].Source.ID != "alpha-source" {
		t.Errorf("job 1 source id = %q", cfg.Jobs[1].Source.ID)
	}
	b := srcs["bravo"].(*fakeSource)
	want := fakeConfig{URL: "https:///var/lib/groundtruth/x", Note: "cost $$5, literal ${HOME}", Limit: 7}
	if b.cfg != want {
		t.Errorf("bravo config = %+v, want %+v", b.cfg, want)
	}
	if b.deps.BaseDir != dir || b.deps.Getenv("DATA_DIR") != testEnv["DATA_DIR"] {
		t.Errorf("deps not defaulted: %+v", b.deps)
	}
	if a := srcs["alpha-2"].(*fakeSource); a.cfg.Limit != 100 || a.id != "alpha-source" {
		t.Errorf("alpha config = %+v (defaults must survive decoding)", a.cfg)
	}
}

func TestDataDirAbsolute(t *testing.T) {
	cfg, err := config.Parse("x/g.yaml", []byte("version: 1\ndata_dir: ${DATA_DIR}\n"), getenv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir != "/var/lib/groundtruth" {
		t.Errorf("DataDir = %q", cfg.DataDir)
	}
	if len(cfg.Jobs) != 0 {
		t.Errorf("jobs = %v", cfg.Jobs)
	}
}

func TestSourceProblems(t *testing.T) {
	src := `version: 1
jobs:
  - name: a
    dataset: a
    source: {kind: fake, url: x, limit: -1}
  - name: b
    dataset: b
    source:
      kind: fake
      url: fail-here
  - name: c
    dataset: c
    source:
      kind: fake
      limit: 3
      extra: 1
  - name: d
    dataset: d
    source: {kind: fake, url: "boom${DATA_DIR}"}
`
	_, _, err := config.ParseWithSources("g.yaml", []byte(src), getenv, fakeRegistry(t), sources.Deps{})
	want := `g.yaml:5:41: field "limit" in fake source of job "a": limit must not be negative
g.yaml:9:7: fake source of job "b": cannot use fail-here
g.yaml:14:7: missing required field "url" in fake source of job "c"
g.yaml:16:7: unknown field "extra" in fake source of job "c"
g.yaml:19:13: fake source of job "d": source configuration error: cannot reach boom${DATA_DIR}; second line`
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

func TestDecodeWithoutFile(t *testing.T) {
	var s config.Source
	var v fakeConfig
	if err := s.Decode(&v); !errors.Is(err, sources.ErrConfig) {
		t.Errorf("Decode on a zero Source = %v, want ErrConfig", err)
	}
	cfg, err := config.Parse("g.yaml", []byte(goodConfig), getenv)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Jobs[0].Source.Decode(v); !errors.Is(err, sources.ErrConfig) {
		t.Errorf("Decode into a non-pointer = %v, want ErrConfig", err)
	}
}

func TestAnchorsAndMerge(t *testing.T) {
	src := `version: 1
defaults: &d
x-common: &common
  kind: fake
  url: shared
jobs:
  - name: a
    dataset: a
    source:
      <<: *common
  - name: b
    dataset: b
    source:
      <<: *common
      url: own
`
	_, _, err := config.ParseWithSources("g.yaml", []byte(src), getenv, fakeRegistry(t), sources.Deps{})
	if err == nil || !strings.Contains(err.Error(), `unknown top-level field "defaults"`) {
		t.Fatalf("want unknown top-level fields, got %v", err)
	}
	src = strings.Replace(src, "defaults: &d\nx-common: &common\n", "jobs_common: &common\n", 1)
	src = strings.Replace(src, "jobs_common", "data_dir: ./d\n_unused", 1)
	_, _, err = config.ParseWithSources("g.yaml", []byte(src), getenv, fakeRegistry(t), sources.Deps{})
	if err == nil || !strings.Contains(err.Error(), `unknown top-level field "_unused"`) {
		t.Fatalf("got %v", err)
	}
}

func TestMergeKeys(t *testing.T) {
	src := `version: 1
jobs:
  - name: a
    dataset: a
    source: &common
      kind: fake
      url: shared
      limit: 1
  - name: b
    dataset: b
    source:
      <<: *common
      url: own
`
	cfg, srcs, err := config.ParseWithSources("g.yaml", []byte(src), getenv, fakeRegistry(t), sources.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	b := srcs["b"].(*fakeSource).cfg
	if b.URL != "own" || b.Limit != 1 || cfg.Jobs[1].Source.Kind != "fake" {
		t.Errorf("merged config = %+v", b)
	}
}

func TestLoad(t *testing.T) {
	if _, err := config.Load(filepath.Join(t.TempDir(), "missing.yaml"), getenv); err == nil || errors.Is(err, config.ErrInvalid) {
		t.Errorf("Load of a missing file = %v", err)
	}
	p := filepath.Join(t.TempDir(), "g.yaml")
	if err := os.WriteFile(p, []byte(goodConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, srcs, err := config.LoadWithSources(p, getenv, fakeRegistry(t), sources.Deps{BaseDir: "/elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.File != p || srcs["bravo"].(*fakeSource).deps.BaseDir != "/elsewhere" {
		t.Errorf("File = %q, deps = %+v", cfg.File, srcs["bravo"].(*fakeSource).deps)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	examples, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.yaml"))
	for _, p := range append(seeds, examples...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(goodConfig))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("version: 1\njobs:\n  - <<: [*x]\n"))
	reg := registry(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, srcs, err := config.ParseWithSources("fuzz.yaml", data, getenv, reg, sources.Deps{BaseDir: t.TempDir()})
		if err != nil {
			var ps *config.Problems
			if !errors.As(err, &ps) || len(ps.List) == 0 || !errors.Is(err, config.ErrInvalid) {
				t.Fatalf("error is not a non-empty *Problems: %v", err)
			}
			return
		}
		if cfg.Version != 1 || len(srcs) != len(cfg.Jobs) {
			t.Fatalf("accepted config with version %d, %d sources for %d jobs", cfg.Version, len(srcs), len(cfg.Jobs))
		}
	})
}
