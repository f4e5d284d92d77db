package contracts_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// largeTree builds the 2^20-leaf tree once for the tests that need it.
var largeTree = sync.OnceValues(func() (*tree, error) { return makeTree(1 << 20) })

// verify calls verifyRecord.
func (r *registry) verify(t testing.TB, dataset string, version uint64, leaf [32]byte, index, size uint64, p [][32]byte) bool {
	t.Helper()
	ok, err := bind.Call(r.inst, nil, r.b.PackVerifyRecord(dataset, version, leaf, index, size, p), r.b.UnpackVerifyRecord)
	if err != nil {
		t.Fatalf("verifyRecord: %v", err)
	}
	return ok
}

// proofCase is one verifyRecord call and its expected answer.
type proofCase struct {
	name        string
	leaf        [32]byte
	index, size uint64
	proof       [][32]byte
	want        bool
}

// proofCases returns the valid proof of leaf i and its tampered variants.
func proofCases(t testing.TB, tr *tree, i uint64) []proofCase {
	p := tr.proof(t, i)
	tampered := tr.leaf(i)
	tampered[31] ^= 1
	cases := []proofCase{
		{"valid", tr.leaf(i), i, tr.size, p, true},
		{"tampered leaf", tampered, i, tr.size, p, false},
		{"size+1", tr.leaf(i), i, tr.size + 1, p, false},
		{"proof with an extra hash", tr.leaf(i), i, tr.size, append(append([][32]byte{}, p...), [32]byte{}), false},
	}
	if tr.size > 1 {
		cases = append(cases,
			proofCase{"wrong index", tr.leaf(i), (i + 1) % tr.size, tr.size, p, false},
			proofCase{"size-1", tr.leaf(i), i, tr.size - 1, p, false})
	}
	if len(p) > 0 {
		cases = append(cases, proofCase{"truncated proof", tr.leaf(i), i, tr.size, p[:len(p)-1], false})
	}
	return cases
}

func TestVerifyRecordSmallTrees(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 1, 1)
	for size := uint64(1); size <= 33; size++ {
		tr := buildTree(t, size)
		r.attestBy(t, statement("rows", size, tr.root, size), 0)
		t.Run(fmt.Sprintf("size=%d", size), func(t *testing.T) {
			for i := uint64(0); i < size; i++ {
				for _, pc := range proofCases(t, tr, i) {
					if got := r.verify(t, "rows", size, pc.leaf, pc.index, pc.size, pc.proof); got != pc.want {
						t.Errorf("leaf %d, %s: verifyRecord = %v, want %v", i, pc.name, got, pc.want)
					}
				}
			}
			if r.verify(t, "rows", size, tr.leaf(0), size, size, tr.proof(t, 0)) {
				t.Error("index == size verified")
			}
		})
	}
	tr := buildTree(t, 5)
	p := tr.proof(t, 3)
	if r.verify(t, "rows", 99, tr.leaf(3), 3, 5, p) || r.verify(t, "other", 5, tr.leaf(3), 3, 5, p) {
		t.Fatal("verifyRecord accepted a proof for an unattested version")
	}
	if err := r.revoke(t, "rows", 5, "test revocation", 0); err != nil {
		t.Fatal(err)
	}
	if r.verify(t, "rows", 5, tr.leaf(3), 3, 5, p) {
		t.Fatal("verifyRecord accepted a proof for a revoked version")
	}
}

func TestVerifyRecordLargeTree(t *testing.T) {
	tr, err := largeTree()
	if err != nil {
		t.Fatal(err)
	}
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 3, 2)
	r.attestBy(t, statement("large", 1, tr.root, tr.size), 0, 1)
	for _, i := range []uint64{0, 1, 2, 777_777, 1 << 19, tr.size - 2, tr.size - 1} {
		for _, pc := range proofCases(t, tr, i) {
			if got := r.verify(t, "large", 1, pc.leaf, pc.index, pc.size, pc.proof); got != pc.want {
				t.Errorf("leaf %d, %s: verifyRecord = %v, want %v", i, pc.name, got, pc.want)
			}
		}
	}
}
