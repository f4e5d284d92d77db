package datasets

import (
	"crypto/sha256"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// hashChildren is RFC 6962's interior node hash SHA-256(0x01 ‖ l ‖ r).
func hashChildren(l, r []byte) []byte {
	var buf [65]byte
	buf[0] = 0x01
	copy(buf[1:33], l)
	copy(buf[33:65], r)
	sum := sha256.Sum256(buf[:])
	return sum[:]
}

// rangeFactory builds compact ranges with the RFC 6962 node hash.
var rangeFactory = &compact.RangeFactory{Hash: hashChildren}

// EmptyRoot is the RFC 6962 root of a tree with no leaves: SHA-256("").
func EmptyRoot() Hash { return Hash(sha256.Sum256(nil)) }

// tileLeaves is how many leaves an Accumulator gathers before hashing them
// as one perfect subtree in place: the 255 interior nodes of such a tile
// are hashed into the tile's own array, with no heap allocation per node.
const tileLeaves = 256

// Accumulator computes the RFC 6962 root of a sequence of leaf hashes in
// O(log n) memory. Accumulators over adjacent ranges can be joined, so leaves
// may be hashed in parallel, one accumulator per segment. Each holds a tile
// of up to 256 pending leaves (8 KiB).
type Accumulator struct {
	r *compact.Range
	// tile holds the n leaves added since the range last ended on a
	// multiple of tileLeaves; they join r as one node when it is full.
	tile [tileLeaves]Hash
	n    int
}

// NewAccumulator returns an accumulator whose first leaf has index begin.
func NewAccumulator(begin uint64) *Accumulator {
	return &Accumulator{r: rangeFactory.NewEmptyRange(begin)}
}

// Add appends one leaf hash.
func (a *Accumulator) Add(leaf Hash) {
	if a.n == 0 && a.r.End()%tileLeaves != 0 {
		appendLeaf(a.r, leaf) // up to the first tile boundary
		return
	}
	a.tile[a.n] = leaf
	a.n++
	if a.n < tileLeaves {
		return
	}
	root := perfectRoot(a.tile[:])
	begin := a.r.End()
	sub, err := rangeFactory.NewRange(begin, begin+tileLeaves, [][]byte{root[:]})
	if err == nil {
		err = a.r.AppendRange(sub, nil)
	}
	if err != nil {
		panic(err) // an aligned perfect subtree is one node: cannot fail
	}
	a.n = 0
}

// appendLeaf appends one leaf hash to r.
func appendLeaf(r *compact.Range, leaf Hash) {
	// Append only fails when the hash is nil; a [32]byte never is.
	if err := r.Append(leaf[:], nil); err != nil {
		panic(err)
	}
}

// flush moves the leaves of a partial tile into the compact range.
func (a *Accumulator) flush() {
	for i := 0; i < a.n; i++ {
		appendLeaf(a.r, a.tile[i])
	}
	a.n = 0
}

// perfectRoot returns the RFC 6962 root of the perfect subtree over leaves
// (len is a power of two), hashing each level into the slice itself: the
// leaves are overwritten.
func perfectRoot(level []Hash) Hash {
	var buf [65]byte
	buf[0] = 0x01
	for n := len(level); n > 1; n /= 2 {
		for i := 0; i < n/2; i++ {
			copy(buf[1:33], level[2*i][:])
			copy(buf[33:], level[2*i+1][:])
			level[i] = sha256.Sum256(buf[:])
		}
	}
	return level[0]
}

// Join appends the adjacent range other, which must begin where a ends.
func (a *Accumulator) Join(other *Accumulator) error {
	a.flush()
	other.flush()
	if err := a.r.AppendRange(other.r, nil); err != nil {
		return fmt.Errorf("%w: joining leaf ranges: %v", ErrProof, err)
	}
	return nil
}

// Begin and End give the leaf index range [Begin, End) the accumulator covers.
func (a *Accumulator) Begin() uint64 { return a.r.Begin() }

// End is one past the last leaf index covered.
func (a *Accumulator) End() uint64 { return a.r.End() + uint64(a.n) }

// Root returns the tree root; the accumulator must begin at leaf 0.
func (a *Accumulator) Root() Hash {
	a.flush()
	if a.r.End() == 0 {
		return EmptyRoot()
	}
	root, err := a.r.GetRootHash(nil)
	if err != nil {
		panic(err) // only for a range not starting at 0: a programming error
	}
	var h Hash
	copy(h[:], root)
	return h
}

// LeafSource gives random access to the leaf hashes of a tree.
type LeafSource interface {
	// Leaves returns the leaf hashes with indexes [begin, end).
	Leaves(begin, end uint64) ([]Hash, error)
}

// nodeHash returns the hash of the perfect subtree id by hashing its leaves.
func nodeHash(src LeafSource, id compact.NodeID) ([]byte, error) {
	begin, end := id.Coverage()
	leaves, err := src.Leaves(begin, end)
	if err != nil {
		return nil, err
	}
	r := rangeFactory.NewEmptyRange(begin)
	for _, l := range leaves {
		if err := r.Append(l[:], nil); err != nil {
			return nil, err
		}
	}
	h := r.Hashes()
	if len(h) != 1 {
		return nil, fmt.Errorf("%w: node %v is not a perfect subtree", ErrProof, id)
	}
	return h[0], nil
}

// fetchProof gets the hashes of a proof's nodes with node and folds them
// into the proof.
func fetchProof(node func(compact.NodeID) ([]byte, error), nodes proof.Nodes) ([]Hash, error) {
	hashes := make([][]byte, len(nodes.IDs))
	for i, id := range nodes.IDs {
		h, err := node(id)
		if err != nil {
			return nil, err
		}
		hashes[i] = h
	}
	rehashed, err := nodes.Rehash(hashes, hashChildren)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProof, err)
	}
	out := make([]Hash, len(rehashed))
	for i, h := range rehashed {
		copy(out[i][:], h)
	}
	return out, nil
}

// InclusionProof returns the RFC 6962 audit path of leaf index in a tree of
// size leaves.
func InclusionProof(src LeafSource, index, size uint64) ([]Hash, error) {
	if index >= size {
		return nil, fmt.Errorf("%w: leaf %d is outside a tree of %d leaves", ErrProof, index, size)
	}
	nodes, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProof, err)
	}
	return fetchProof(func(id compact.NodeID) ([]byte, error) { return nodeHash(src, id) }, nodes)
}

// ConsistencyProof returns the RFC 6962 proof that the tree of size1 leaves
// is a prefix of the tree of size2 leaves.
func ConsistencyProof(src LeafSource, size1, size2 uint64) ([]Hash, error) {
	if size1 > size2 {
		return nil, fmt.Errorf("%w: consistency from %d to %d leaves: the old tree is larger", ErrProof, size1, size2)
	}
	nodes, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProof, err)
	}
	return fetchProof(func(id compact.NodeID) ([]byte, error) { return nodeHash(src, id) }, nodes)
}

func toSlices(p []Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

// VerifyInclusion checks an inclusion proof of leaf at index in a tree of
// size leaves with the given root.
func VerifyInclusion(leaf Hash, index, size uint64, p []Hash, root Hash) error {
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, size, leaf[:], toSlices(p), root[:]); err != nil {
		return fmt.Errorf("%w: inclusion of leaf %d in tree of %d: %v", ErrIntegrity, index, size, err)
	}
	return nil
}

// VerifyConsistency checks that root1 (size1 leaves) is a prefix of root2.
func VerifyConsistency(size1, size2 uint64, p []Hash, root1, root2 Hash) error {
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, size1, size2, toSlices(p), root1[:], root2[:]); err != nil {
		return fmt.Errorf("%w: consistency of %d → %d leaves: %v", ErrIntegrity, size1, size2, err)
	}
	return nil
}

// MemoryLeaves is a LeafSource over leaf hashes held in memory.
type MemoryLeaves []Hash

// Leaves implements LeafSource.
func (m MemoryLeaves) Leaves(begin, end uint64) ([]Hash, error) {
	if begin > end || end > uint64(len(m)) {
		return nil, fmt.Errorf("%w: leaves [%d, %d) of %d", ErrProof, begin, end, len(m))
	}
	return m[begin:end], nil
}

// Hashes returns the compact range's node hashes, enough to continue the
// tree later with RestoreAccumulator.
func (a *Accumulator) Hashes() []Hash {
	a.flush()
	hs := a.r.Hashes()
	out := make([]Hash, len(hs))
	for i, h := range hs {
		copy(out[i][:], h)
	}
	return out
}

// RestoreAccumulator rebuilds an accumulator over leaves [0, size) from the
// hashes a previous Accumulator.Hashes returned.
func RestoreAccumulator(size uint64, hashes []Hash) (*Accumulator, error) {
	hs := make([][]byte, len(hashes))
	for i := range hashes {
		hs[i] = hashes[i][:]
	}
	r, err := rangeFactory.NewRange(0, size, hs)
	if err != nil {
		return nil, fmt.Errorf("%w: restoring a tree of %d leaves: %v", ErrIntegrity, size, err)
	}
	return &Accumulator{r: r}, nil
}

// AccumulatorFromLeaves builds an accumulator over the first n leaves of src.
func AccumulatorFromLeaves(src LeafSource, n uint64) (*Accumulator, error) {
	a := NewAccumulator(0)
	const chunk = 1 << 16
	for begin := uint64(0); begin < n; begin += chunk {
		leaves, err := src.Leaves(begin, min(begin+chunk, n))
		if err != nil {
			return nil, err
		}
		for _, l := range leaves {
			a.Add(l)
		}
	}
	return a, nil
}
