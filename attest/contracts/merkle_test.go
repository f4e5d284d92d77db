package contracts_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// tree is an in-memory RFC 6962 Merkle tree: every perfect subtree's hash, by level and
// index, as the compact package reports them while the leaves are appended.
type tree struct {
	size   uint64
	root   common.Hash
	levels [][][]byte
}

// rowBytes is the test row at index i.
func rowBytes(i uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte("row "), i)
}

// buildTree builds the tree over rowBytes(0..size-1) or fails the test.
func buildTree(t testing.TB, size uint64) *tree {
	t.Helper()
	tr, err := makeTree(size)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// makeTree builds the tree over rowBytes(0..size-1) with a compact range, keeping every
// node the range reports.
func makeTree(size uint64) (*tree, error) {
	h := rfc6962.DefaultHasher
	rf := compact.RangeFactory{Hash: h.HashChildren}
	r := rf.NewEmptyRange(0)
	tr := &tree{size: size}
	var visitErr error
	visit := func(id compact.NodeID, hash []byte) {
		for uint(len(tr.levels)) <= id.Level {
			tr.levels = append(tr.levels, nil)
		}
		if uint64(len(tr.levels[id.Level])) != id.Index {
			visitErr = fmt.Errorf("node %+v reported out of order", id)
		}
		tr.levels[id.Level] = append(tr.levels[id.Level], hash)
	}
	for i := uint64(0); i < size && visitErr == nil; i++ {
		if err := r.Append(h.HashLeaf(rowBytes(i)), visit); err != nil {
			return nil, err
		}
	}
	if visitErr != nil {
		return nil, visitErr
	}
	root, err := r.GetRootHash(nil)
	if err != nil {
		return nil, err
	}
	tr.root = common.BytesToHash(root)
	return tr, nil
}

// leaf returns the leaf hash at index i.
func (tr *tree) leaf(i uint64) [32]byte {
	return [32]byte(tr.levels[0][i])
}

// proof returns the inclusion proof of leaf i in the whole tree, from proof.Inclusion.
func (tr *tree) proof(t testing.TB, i uint64) [][32]byte {
	t.Helper()
	nodes, err := proof.Inclusion(i, tr.size)
	if err != nil {
		t.Fatal(err)
	}
	hashes := make([][]byte, len(nodes.IDs))
	for j, id := range nodes.IDs {
		hashes[j] = tr.levels[id.Level][id.Index]
	}
	rehashed, err := nodes.Rehash(hashes, rfc6962.DefaultHasher.HashChildren)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][32]byte, len(rehashed))
	for j, p := range rehashed {
		out[j] = [32]byte(p)
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, i, tr.size, tr.levels[0][i], rehashed, tr.root[:]); err != nil {
		t.Fatalf("the Go verifier rejects the proof of %d in %d: %v", i, tr.size, err)
	}
	return out
}
