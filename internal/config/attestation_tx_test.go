package config

import (
	"strings"
	"testing"
	"time"
)

// TestAttestationTransactionFields decodes the transaction manager's
// fields of the attestation section and refuses bad values by field.
func TestAttestationTransactionFields(t *testing.T) {
	const base = "version: 1\nattestation:\n  backend: registry\n  chain_id: 1\n  registry: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n"
	for _, tc := range []struct {
		name, yaml, err string
		confirmations   uint64
		replaceAfter    time.Duration
		maxReplacements int
	}{
		{name: "defaults", yaml: ""},
		{name: "all set", yaml: "  confirmations: 12\n  replace_after: 90s\n  max_replacements: 4\n", confirmations: 12, replaceAfter: 90 * time.Second, maxReplacements: 4},
		{name: "replace_after not a duration", yaml: "  replace_after: soon\n", err: `replace_after "soon": want a positive duration like 3m`},
		{name: "replace_after negative", yaml: "  replace_after: -1m\n", err: `replace_after "-1m": want a positive duration like 3m`},
		{name: "max_replacements negative", yaml: "  max_replacements: -1\n", err: "max_replacements -1: want 0 (the default, 10) or more"},
		{name: "confirmations negative", yaml: "  confirmations: -1\n", err: "confirmations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("g.yaml", []byte(base+tc.yaml), func(string) string { return "" })
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			a := c.Attestation
			if a.Confirmations != tc.confirmations || a.ReplaceAfterDuration() != tc.replaceAfter || a.MaxReplacements != tc.maxReplacements {
				t.Fatalf("decoded %d, %s, %d", a.Confirmations, a.ReplaceAfterDuration(), a.MaxReplacements)
			}
		})
	}
}
