package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestHostileVerifyRecordedAttestedWithoutEvidence is issue #13 F18: a
// version the catalog records as attested (or revoked) but whose evidence is
// gone (deleted from the catalog, or never there) must not verify: verify
// exits 9 naming the missing evidence; --files-only still checks the files
// alone (exit 0), and a version never attested is still only reported as
// "not checked".
func TestHostileVerifyRecordedAttestedWithoutEvidence(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	sealNotesVersion(t, data, []string{"a", "b"})
	setStatus := func(status string) {
		t.Helper()
		st, err := store.Open(context.Background(), data, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.SetVersionStatus(context.Background(), "notes", 1, status); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		status string
		args   []string
		code   int
		says   string
	}{
		{attest.StatusPending, nil, 0, "attestation not checked"},
		{attest.StatusAttested, nil, 9, "records notes@1 as attested but holds no attestation evidence"},
		{attest.StatusRevoked, nil, 9, "as revoked but holds no attestation evidence"},
		{attest.StatusAttested, []string{"--files-only"}, 0, "attestation not checked (--files-only)"},
	}
	for _, tc := range tests {
		t.Run(tc.status+strings.Join(tc.args, ""), func(t *testing.T) {
			setStatus(tc.status)
			out, errOut, code := runCLI(t, nil, append([]string{"--data-dir", data, "verify", "notes@1"}, tc.args...)...)
			if code != tc.code || !strings.Contains(out+errOut, tc.says) {
				t.Fatalf("verify: exit %d (want %d), want %q:\n%s%s", code, tc.code, tc.says, out, errOut)
			}
		})
	}
}
