package snapshot

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
)

func registry(t *testing.T) *sources.Registry {
	reg, err := sources.NewRegistry(Factory())
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestExampleConfig decodes examples/snapshot-aave.yaml strictly.
func TestExampleConfig(t *testing.T) {
	getenv := func(string) string { return "key-from-env" }
	_, srcs, err := config.LoadWithSources(filepath.Join("..", "..", "examples", "snapshot-aave.yaml"), getenv, registry(t), sources.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	s := srcs["aave-snapshot-votes"].(*Source)
	if s.cfg.Table != TableVotes || s.cfg.APIKey != "key-from-env" || s.cfg.Space != "aave.eth" || s.start == 0 {
		t.Fatalf("decoded %+v", s.cfg)
	}
	sp := srcs["aave-snapshot-space"].(*Source)
	if sp.cfg.Table != TableSpaces || sp.cfg.Space != "aave.eth" || sp.Schema().Key[0] != "id" {
		t.Fatalf("decoded %+v", sp.cfg)
	}
}

// TestConfigProblems checks that problems carry their line and that the
// key's value never shows; space is required except for table spaces.
func TestConfigProblems(t *testing.T) {
	yaml := `version: 1
jobs:
  - name: v
    dataset: v
    source:
      kind: snapshot
      api_key: ${KEY}
      table: votes
      space: aave.eth
      page_sise: 10
  - name: p
    dataset: p
    source:
      kind: snapshot
      url: ftp://hub?apiKey=${KEY}
      table: comments
      space: aave.eth
  - name: s
    dataset: s
    source:
      kind: snapshot
      table: spaces
  - name: ns
    dataset: ns
    source:
      kind: snapshot
      table: proposals
`
	getenv := func(string) string { return "super-secret-key" }
	_, _, err := config.ParseWithSources("g.yaml", []byte(yaml), getenv, registry(t), sources.Deps{})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{`g.yaml:10:7: unknown field "page_sise"`, `g.yaml:15:12: field "url"`, `g.yaml:16:14: field "table"`,
		`g.yaml:26:7: field "space" in snapshot source of job "ns": space is required for table proposals`} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, `job "s"`) {
		t.Errorf("table spaces without a space is valid (every space):\n%s", msg)
	}
	if strings.Contains(msg, "super-secret-key") {
		t.Errorf("the key leaked:\n%s", msg)
	}
}
