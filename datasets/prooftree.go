package datasets

import (
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
)

// DefaultTileLevel is the lowest tree level a ProofTree keeps in memory:
// nodes below it are recomputed from at most 2^DefaultTileLevel leaves.
const DefaultTileLevel = 8

// ProofTree serves inclusion and consistency proofs for one version quickly:
// it keeps every perfect-subtree node at levels >= its tile level in memory
// (about 64 bytes per 2^level rows) and recomputes lower nodes from the leaf
// index on demand. It is safe for concurrent use once built.
type ProofTree struct {
	src    LeafSource
	size   uint64
	level  uint
	levels [][]Hash // levels[i] holds the nodes of level level+i, left to right
}

// NewProofTree reads the size leaves of src once and builds the cache.
func NewProofTree(src LeafSource, size uint64, tileLevel uint) (*ProofTree, error) {
	t := &ProofTree{src: src, size: size, level: tileLevel}
	const chunk = 1 << 16
	var base []Hash
	for begin := uint64(0); begin+(1<<tileLevel) <= size; begin += chunk {
		end := min(begin+chunk, size-size%(1<<tileLevel))
		leaves, err := src.Leaves(begin, end)
		if err != nil {
			return nil, err
		}
		for i := 0; i+(1<<tileLevel) <= len(leaves); i += 1 << tileLevel {
			base = append(base, subtreeRoot(leaves[i:i+(1<<tileLevel)]))
		}
	}
	t.levels = append(t.levels, base)
	for len(t.levels[len(t.levels)-1]) > 1 {
		below := t.levels[len(t.levels)-1]
		up := make([]Hash, len(below)/2)
		for i := range up {
			copy(up[i][:], hashChildren(below[2*i][:], below[2*i+1][:]))
		}
		t.levels = append(t.levels, up)
	}
	return t, nil
}

// subtreeRoot hashes a perfect subtree of leaves (len is a power of two).
func subtreeRoot(leaves []Hash) Hash { return perfectRoot(append([]Hash(nil), leaves...)) }

// Size returns the number of leaves.
func (t *ProofTree) Size() uint64 { return t.size }

// node returns the hash of the perfect subtree id.
func (t *ProofTree) node(id compact.NodeID) ([]byte, error) {
	if id.Level >= t.level {
		l := id.Level - t.level
		if int(l) < len(t.levels) && id.Index < uint64(len(t.levels[l])) {
			// The kept hash itself, not a copy: the proof's rehashing
			// only reads it (fetchProof copies what it returns).
			return t.levels[l][id.Index][:], nil
		}
	}
	begin, end := id.Coverage()
	leaves, err := t.src.Leaves(begin, end)
	if err != nil {
		return nil, err
	}
	h := subtreeRoot(leaves)
	return h[:], nil
}

// Inclusion returns the audit path of leaf index.
func (t *ProofTree) Inclusion(index uint64) ([]Hash, error) {
	if index >= t.size {
		return nil, fmt.Errorf("%w: leaf %d is outside a tree of %d leaves", ErrProof, index, t.size)
	}
	nodes, err := proof.Inclusion(index, t.size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProof, err)
	}
	return fetchProof(t.node, nodes)
}

// Consistency returns the proof that the first size1 leaves form a prefix
// of this tree.
func (t *ProofTree) Consistency(size1 uint64) ([]Hash, error) {
	if size1 > t.size {
		return nil, fmt.Errorf("%w: consistency from %d to %d leaves: the old tree is larger", ErrProof, size1, t.size)
	}
	nodes, err := proof.Consistency(size1, t.size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProof, err)
	}
	return fetchProof(t.node, nodes)
}
