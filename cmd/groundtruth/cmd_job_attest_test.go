package main

import (
	"testing"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// TestAttestSignersNeverTypedNil checks that missing keys stay nil
// interfaces, so the collector falls back instead of calling a nil key.
func TestAttestSignersNeverTypedNil(t *testing.T) {
	key := &attest.KeySigner{}
	tests := []struct {
		name                string
		s                   *attestSetup
		wantAuto, wantSubmt attest.Signer
	}{
		{"auto_sign only", &attestSetup{autoSign: key}, key, nil},
		{"submitter only", &attestSetup{submitter: key}, nil, key},
		{"co-signer pays", &attestSetup{cosign: []attest.Signer{key}}, nil, key},
		{"nothing", &attestSetup{}, nil, nil},
	}
	for _, tc := range tests {
		auto, submitter := tc.s.signers()
		if auto != tc.wantAuto || submitter != tc.wantSubmt {
			t.Errorf("%s: signers() = %v, %v; want %v, %v", tc.name, auto, submitter, tc.wantAuto, tc.wantSubmt)
		}
	}
}
