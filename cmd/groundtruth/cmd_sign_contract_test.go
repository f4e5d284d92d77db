package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestSafeSignatureList checks how sign --steward reads --signature: owner
// signatures in any order become the Safe's signature sorted by owner; one
// value is taken as the Safe's combined signature; bad input is named.
func TestSafeSignatureList(t *testing.T) {
	safe := common.HexToAddress("0x5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe")
	digest := crypto.Keccak256Hash([]byte("statement"))
	h, err := registry.SafeMessageHash(31337, safe, digest)
	if err != nil {
		t.Fatal(err)
	}
	k1, k2 := testchain.DeterministicKey(1), testchain.DeterministicKey(2)
	sorted, err := testchain.SafeOwnerSignatures(h, k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := hexutil.Encode(sorted[:65]), hexutil.Encode(sorted[65:])
	cases := []struct {
		name    string
		list    string
		want    []byte
		wantErr error
	}{
		{"owners in order", s1 + "," + s2, sorted, nil},
		{"owners in reverse order", s2 + ", " + s1, sorted, nil},
		{"one combined signature", hexutil.Encode(sorted), sorted, nil},
		{"not hex", "0xzz", nil, errUsage},
		{"an owner signature not hex", s1 + ",nope", nil, errUsage},
		{"an owner signature of 64 bytes", s1 + "," + s2[:len(s2)-2], nil, attest.ErrSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := safeSignature(tc.list, 31337, safe, digest)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("got %x, %v; want %x", got, err, tc.want)
			}
		})
	}
}
