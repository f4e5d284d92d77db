package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// yamlQuote renders s as a double-quoted YAML scalar (a JSON string is
// one), so that "*", "a: b" or "#x" stay strings.
func yamlQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// yamlList renders a YAML flow sequence of quoted strings.
func yamlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = yamlQuote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func newServeTokenCmd(a *app) *cobra.Command {
	var name string
	var datasets []string
	var rate float64
	var scopes []string
	cmd := &cobra.Command{
		Use:   "token --name NAME [--datasets A,B] [--rate N] [--scopes admin,steward]",
		Short: "Make a bearer token: prints the token once, and the serve: entry holding its SHA-256",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, s := range scopes {
				if s != config.ScopeAdmin && s != config.ScopeSteward {
					return fmt.Errorf("%w: --scopes %q: want %q or %q", errUsage, s, config.ScopeAdmin, config.ScopeSteward)
				}
			}
			var b [32]byte
			if _, err := rand.Read(b[:]); err != nil {
				return err
			}
			tok := "gt_" + base64.RawURLEncoding.EncodeToString(b[:])
			h := serve.HashToken(tok)
			fmt.Fprintf(a.stdout, "token (give it to the agent; it is not stored anywhere):\n  %s\n\nadd to the configuration's serve: section:\n", tok)
			fmt.Fprintf(a.stdout, "  tokens:\n    - name: %s\n      sha256: 0x%x\n      datasets: %s\n      rate: %g\n", yamlQuote(name), h, yamlList(datasets), rate)
			if len(scopes) > 0 {
				fmt.Fprintf(a.stdout, "      scopes: %s\n", yamlList(scopes))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "agent", "the token's name (in logs and metrics)")
	cmd.Flags().StringSliceVar(&datasets, "datasets", []string{"*"}, "datasets the token may read")
	cmd.Flags().Float64Var(&rate, "rate", config.DefaultTokenRate, "requests per second")
	cmd.Flags().StringSliceVar(&scopes, "scopes", nil, "extra scopes: admin (the daemon's /runs, for the token's datasets), steward (the console)")
	return cmd
}
