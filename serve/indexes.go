package serve

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// files keeps the data directory's files open for concurrent ReadAt; every
// path comes from a manifest (never from a request). Every proof reads
// through it, so finding a file already open takes no lock; opening one
// and forgetting one take mu, so that a file opened before a forget is
// never stored after it.
type files struct {
	root string
	open sync.Map // store-relative path → *os.File
	mu   sync.Mutex
}

func newFiles(root string) *files { return &files{root: root} }

// get returns the open file at the store-relative path rel.
func (f *files) get(rel string) (*os.File, error) {
	if h, ok := f.open.Load(rel); ok {
		return h.(*os.File), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if h, ok := f.open.Load(rel); ok { // opened while this call waited
		return h.(*os.File), nil
	}
	h, err := os.Open(filepath.Join(f.root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", datasets.ErrIntegrity, err)
	}
	f.open.Store(rel, h)
	return h, nil
}

// forget closes the open file at rel, so that the next get opens whatever
// the path names now.
func (f *files) forget(rel string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if h, ok := f.open.LoadAndDelete(rel); ok {
		h.(*os.File).Close()
	}
}

func (f *files) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.open.Range(func(k, h any) bool {
		f.open.Delete(k)
		h.(*os.File).Close()
		return true
	})
}

// leafSource is a datasets.LeafSource over the leaf indexes of a version's
// segments, read with ReadAt on shared open files.
type leafSource struct {
	files  *files
	starts []uint64 // each segment's first row, then the row count
	paths  []string // each segment's leaf index (datasets.LeavesPath), named once
}

func newLeafSource(fs *files, m *datasets.Manifest) *leafSource {
	paths := make([]string, len(m.Segments))
	for i, seg := range m.Segments {
		paths[i] = datasets.LeavesPath(seg.SHA256)
	}
	return &leafSource{files: fs, starts: segmentStarts(m), paths: paths}
}

// segmentStarts returns the first row of each segment and, last, the row count.
func segmentStarts(m *datasets.Manifest) []uint64 {
	starts := make([]uint64, len(m.Segments)+1)
	for i, s := range m.Segments {
		starts[i+1] = starts[i] + s.Rows
	}
	return starts
}

// segmentOf returns the segment holding row and the row's offset in it.
func segmentOf(starts []uint64, row uint64) (int, uint64) {
	i := sort.Search(len(starts)-1, func(i int) bool { return starts[i+1] > row })
	return i, row - starts[i]
}

// Leaves implements datasets.LeafSource.
func (l *leafSource) Leaves(begin, end uint64) ([]datasets.Hash, error) {
	total := l.starts[len(l.starts)-1]
	if begin > end || end > total {
		return nil, fmt.Errorf("%w: leaves [%d, %d) of %d", datasets.ErrProof, begin, end, total)
	}
	out := make([]datasets.Hash, end-begin)
	buf := make([]byte, 32*(end-begin))
	for pos := begin; pos < end; {
		i, off := segmentOf(l.starts, pos)
		n := min(end, l.starts[i+1]) - pos
		f, err := l.files.get(l.paths[i])
		if err != nil {
			return nil, err
		}
		part := buf[32*(pos-begin) : 32*(pos-begin+n)]
		if _, err := f.ReadAt(part, int64(off*32)); err != nil {
			return nil, fmt.Errorf("%w: leaf index of segment %d: %v", datasets.ErrIntegrity, i, err)
		}
		pos += n
	}
	for i := range out {
		copy(out[i][:], buf[32*i:])
	}
	return out, nil
}

// indexes are a version's lazily built structures.
type indexes struct {
	// verdict is the leaf-index verdict last reached, with when the leaf
	// indexes were last stat'ed (nil before the first, and after an I/O
	// error, which is no verdict): the proof path reads it without mu.
	verdict atomic.Pointer[leafVerdict]
	mu      sync.Mutex // guards what follows and the replacing of verdict
	layout  *streamLayout
	// leafIDs are the identities of the .leaves files the verdict was
	// reached on.
	leafIDs []fileID
}

// leafVerdict is whether the leaf indexes hash to the manifest's Merkle
// root (err nil) or not, the tree and leaf source built over them, and
// when (Unix nanoseconds) their files were last stat'ed.
type leafVerdict struct {
	tree   *datasets.ProofTree
	leaves *leafSource
	err    error
	at     int64
}

// proofTree returns the version's proof tree and leaf source, built on
// first use from leaf indexes whose leaves hash to the attested Merkle
// root; the files are stat'ed again at most once per statEvery, and read
// and checked again when one changed. A leaf index that does not match
// makes it return ErrCorrupt.
func (s *Server) proofTree(v *versionState) (*datasets.ProofTree, *leafSource, error) {
	now := s.cfg.Now().UnixNano()
	fresh := func(vd *leafVerdict) bool { return vd != nil && now-vd.at < int64(statEvery) }
	if vd := v.idx.verdict.Load(); fresh(vd) {
		return vd.tree, vd.leaves, vd.err
	}
	x := &v.idx
	x.mu.Lock()
	defer x.mu.Unlock()
	old := x.verdict.Load()
	if fresh(old) { // reached while this call waited
		return old.tree, old.leaves, old.err
	}
	ids := s.leafIDs(v.manifest)
	if old != nil && slices.Equal(ids, x.leafIDs) {
		restated := *old
		restated.at = now
		x.verdict.Store(&restated)
		return old.tree, old.leaves, old.err
	}
	for _, seg := range v.manifest.Segments {
		s.files.forget(datasets.LeavesPath(seg.SHA256)) // read what the path names now
	}
	leaves := newLeafSource(s.files, v.manifest)
	tree, err := buildCheckedTree(leaves, v.manifest, s.cfg.TileLevel)
	x.leafIDs = ids
	vd := &leafVerdict{tree: tree, leaves: leaves, err: err, at: now}
	switch {
	case err != nil && errors.Is(err, ErrCorrupt):
		s.log.Error("a leaf index does not match its attested Merkle root: no rows or proofs of this version are served", "version", v.ref(), "err", err)
	case err != nil:
		vd = nil // an I/O error is no verdict: read again next time
	case old != nil && old.err != nil:
		s.log.Warn("the leaf indexes match the attested Merkle root again", "version", v.ref())
	}
	x.verdict.Store(vd)
	return tree, leaves, err
}

// leafIDs stats the leaf index of each segment of m (a zero fileID for one
// that cannot be stat'ed).
func (s *Server) leafIDs(m *datasets.Manifest) []fileID {
	ids := make([]fileID, len(m.Segments))
	for i, seg := range m.Segments {
		ids[i], _ = statID(filepath.Join(s.files.root, filepath.FromSlash(datasets.LeavesPath(seg.SHA256))))
	}
	return ids
}

// buildCheckedTree builds the proof tree over src and checks that the
// leaves hash to m's Merkle root; the leaves are read once (the tree's
// reads feed the root, then the few leaves after its last tile).
func buildCheckedTree(src *leafSource, m *datasets.Manifest, tileLevel uint) (*datasets.ProofTree, error) {
	tap := &rootTap{src: src, acc: datasets.NewAccumulator(0)}
	t, err := datasets.NewProofTree(tap, m.RowCount, tileLevel)
	if err != nil {
		return nil, err
	}
	if m.RowCount == 0 {
		return t, nil
	}
	if tap.acc.End() < m.RowCount {
		if _, err := tap.Leaves(tap.acc.End(), m.RowCount); err != nil {
			return nil, err
		}
	}
	if got := tap.acc.Root(); tap.acc.End() != m.RowCount || got != m.MerkleRoot {
		return nil, fmt.Errorf("%w: the leaf indexes of %s/%d hash to the Merkle root %s, the attested manifest says %s",
			ErrCorrupt, m.Dataset, m.Version, got, m.MerkleRoot)
	}
	return t, nil
}

// rootTap is a LeafSource that adds the leaves read, in order from 0, to
// an accumulator.
type rootTap struct {
	src *leafSource
	acc *datasets.Accumulator
}

// Leaves implements datasets.LeafSource.
func (r *rootTap) Leaves(begin, end uint64) ([]datasets.Hash, error) {
	leaves, err := r.src.Leaves(begin, end)
	if err == nil && begin == r.acc.End() {
		for _, l := range leaves {
			r.acc.Add(l)
		}
	}
	return leaves, err
}

// streamLayoutOf returns the version's Arrow stream layout, building it on
// first use.
func (v *versionState) streamLayoutOf(fs *files, check func(datasets.SegmentRef, *os.File) error) (*streamLayout, error) {
	v.idx.mu.Lock()
	defer v.idx.mu.Unlock()
	if v.idx.layout != nil {
		return v.idx.layout, nil
	}
	l, err := buildLayout(fs, v.manifest, check)
	if err != nil {
		return nil, err
	}
	v.idx.layout = l
	return l, nil
}
