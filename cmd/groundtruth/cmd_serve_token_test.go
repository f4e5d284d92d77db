package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestServeTokenYAML: the serve: entry `serve token` prints is valid YAML
// that goccy/go-yaml reads back with the same name, datasets (the default
// "*" included), rate and scopes.
func TestServeTokenYAML(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		want     []string
		scopes   []string
		wantName string
	}{
		{"default datasets", nil, []string{"*"}, nil, "agent"},
		{"two datasets", []string{"--datasets", "votes,prices"}, []string{"votes", "prices"}, nil, "agent"},
		{"name and scope that need quoting", []string{"--name", "ops: #1", "--scopes", "admin"}, []string{"*"}, []string{"admin"}, "ops: #1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, code := runCLI(t, nil, append([]string{"serve", "token", "--rate", "2.5"}, tc.args...)...)
			i := strings.Index(out, "  tokens:")
			if code != 0 || i < 0 {
				t.Fatalf("serve token: %d %s", code, out)
			}
			var doc struct {
				Serve struct {
					Tokens []struct {
						Name     string   `yaml:"name"`
						SHA256   string   `yaml:"sha256"`
						Datasets []string `yaml:"datasets"`
						Rate     float64  `yaml:"rate"`
						Scopes   []string `yaml:"scopes"`
					} `yaml:"tokens"`
				} `yaml:"serve"`
			}
			if err := yaml.Unmarshal([]byte("serve:\n"+out[i:]), &doc); err != nil {
				t.Fatalf("the printed entry is not YAML: %v\n%s", err, out[i:])
			}
			if len(doc.Serve.Tokens) != 1 {
				t.Fatalf("%d tokens parsed from %s", len(doc.Serve.Tokens), out[i:])
			}
			tok := doc.Serve.Tokens[0]
			if tok.Name != tc.wantName || !slices.Equal(tok.Datasets, tc.want) || tok.Rate != 2.5 || !slices.Equal(tok.Scopes, tc.scopes) || len(tok.SHA256) != 66 {
				t.Fatalf("parsed %+v from\n%s", tok, out[i:])
			}
		})
	}
}
