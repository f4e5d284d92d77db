package datasets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// CheckResult is the outcome of one verification check.
type CheckResult struct {
	// Check names what was checked, e.g. "manifest.hash", "segments[2].sha256".
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Verification collects the checks of one version.
type Verification struct {
	Dataset      string        `json:"dataset"`
	Version      uint64        `json:"version"`
	ManifestHash Hash          `json:"manifestHash"`
	MerkleRoot   Hash          `json:"merkleRoot"`
	Rows         uint64        `json:"rows"`
	Checks       []CheckResult `json:"checks"`
}

func (v *Verification) add(check string, ok bool, format string, args ...any) {
	v.Checks = append(v.Checks, CheckResult{Check: check, OK: ok, Detail: fmt.Sprintf(format, args...)})
}

// OK reports whether every check passed.
func (v *Verification) OK() bool {
	for _, c := range v.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Err returns nil when every check passed, else an ErrIntegrity error naming
// the failed checks.
func (v *Verification) Err() error {
	var failed []string
	for _, c := range v.Checks {
		if !c.OK {
			failed = append(failed, c.Check+": "+c.Detail)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s@%d: %d check(s) failed; first: %s", ErrIntegrity, v.Dataset, v.Version, len(failed), failed[0])
}

// segmentResult is what one verification worker found in one segment.
type segmentResult struct {
	acc    *Accumulator
	cutAcc *Accumulator // leaves [start, cut) when the parent boundary falls inside
	checks []CheckResult
}

// VerifyVersion recomputes a version from its files under root: the manifest
// hash (against want, unless want is zero), every segment's SHA-256, size,
// schema and row count, every leaf (also against the leaf index), the Merkle
// root and, for an append version, that the parent's root is the root of
// the first parent.rowCount leaves. Failed checks are reported in the result;
// the error is only for cancellation.
func VerifyVersion(ctx context.Context, root string, manifestBytes []byte, want Hash) (*Verification, error) {
	v := &Verification{}
	got := Hash(sha256.Sum256(manifestBytes))
	v.ManifestHash = got
	if !want.IsZero() {
		v.add("manifest.hash", got == want, "sha256 of the manifest is %s, recorded %s", got, want)
	}
	m, err := ParseManifest(manifestBytes)
	if err != nil {
		v.add("manifest.parse", false, "%v", err)
		return v, nil
	}
	v.Dataset, v.Version, v.MerkleRoot, v.Rows = m.Dataset, m.Version, m.MerkleRoot, m.RowCount
	if canon, err := m.Canonical(); err != nil || !bytes.Equal(canon, manifestBytes) {
		v.add("manifest.canonical", false, "the manifest bytes are not in canonical form")
	} else {
		v.add("manifest.canonical", true, "canonical JSON")
	}
	results, err := verifySegments(ctx, root, m)
	if err != nil {
		return nil, err
	}
	acc, cutAcc := NewAccumulator(0), (*Accumulator)(nil)
	for _, r := range results {
		v.Checks = append(v.Checks, r.checks...)
		if r.acc == nil {
			acc = nil
			continue
		}
		if acc == nil {
			continue
		}
		if r.cutAcc != nil {
			cutAcc = cloneAccumulator(acc)
			if err := cutAcc.Join(r.cutAcc); err != nil {
				return nil, err
			}
		}
		if err := acc.Join(r.acc); err != nil {
			return nil, err
		}
		if m.Parent != nil && acc.End() == m.Parent.RowCount {
			cutAcc = cloneAccumulator(acc)
		}
	}
	verifyRoots(v, m, acc, cutAcc)
	return v, nil
}

func verifyRoots(v *Verification, m *Manifest, acc, cutAcc *Accumulator) {
	if acc == nil {
		v.add("merkle.root", false, "not computed: a segment could not be read")
		return
	}
	root := acc.Root()
	v.add("merkle.root", root == m.MerkleRoot, "rows hash to %s, manifest field merkleRoot says %s", root, m.MerkleRoot)
	if m.Parent == nil || !m.AppendOnly {
		return
	}
	if m.Parent.RowCount == 0 {
		v.add("parent.consistency", m.Parent.MerkleRoot == EmptyRoot(), "parent has no rows")
		return
	}
	if cutAcc == nil {
		v.add("parent.consistency", false, "parent rowCount %d is not within this version's %d rows", m.Parent.RowCount, m.RowCount)
		return
	}
	prefix := cutAcc.Root()
	v.add("parent.consistency", prefix == m.Parent.MerkleRoot,
		"the first %d rows hash to %s, manifest field parent.merkleRoot says %s", m.Parent.RowCount, prefix, m.Parent.MerkleRoot)
}

func cloneAccumulator(a *Accumulator) *Accumulator {
	a.flush()
	src := a.r.Hashes()
	hs := make([][]byte, len(src))
	for i, h := range src {
		hs[i] = append([]byte(nil), h...)
	}
	r, err := rangeFactory.NewRange(a.r.Begin(), a.r.End(), hs)
	if err != nil {
		panic(err)
	}
	return &Accumulator{r: r}
}

func verifySegments(ctx context.Context, root string, m *Manifest) ([]segmentResult, error) {
	results := make([]segmentResult, len(m.Segments))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var start uint64
	for i, ref := range m.Segments {
		cut := uint64(0)
		if m.Parent != nil && m.Parent.RowCount > start && m.Parent.RowCount < start+ref.Rows {
			cut = m.Parent.RowCount
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, ref SegmentRef, start, cut uint64) {
			defer func() { <-sem; wg.Done() }()
			results[i] = verifySegment(ctx, root, m, i, ref, start, cut)
		}(i, ref, start, cut)
		start += ref.Rows
	}
	wg.Wait()
	return results, ctx.Err()
}

func verifySegment(ctx context.Context, root string, m *Manifest, i int, ref SegmentRef, start, cut uint64) segmentResult {
	var res segmentResult
	name := fmt.Sprintf("segments[%d]", i)
	add := func(check string, ok bool, format string, args ...any) {
		res.checks = append(res.checks, CheckResult{Check: name + "." + check, OK: ok,
			Detail: fmt.Sprintf("%s: ", ref.Path) + fmt.Sprintf(format, args...)})
	}
	sum, size, err := fileDigest(filepath.Join(root, ref.Path))
	if err != nil {
		add("file", false, "%v", err)
		return res
	}
	add("bytes", size == ref.Bytes, "%d bytes on disk, manifest says %d", size, ref.Bytes)
	add("sha256", sum == ref.SHA256, "file hashes to %s, manifest says %s", sum, ref.SHA256)
	leaves, rows, acc, cutAcc, err := segmentLeaves(ctx, root, m, ref, start, cut)
	if err != nil {
		add("rows", false, "cannot decode rows %d..: %v", start, err)
		return res
	}
	add("rows", rows == ref.Rows, "%d rows in the file, manifest says %d", rows, ref.Rows)
	if rows == ref.Rows {
		res.acc, res.cutAcc = acc, cutAcc
	}
	checkLeafIndex(add, root, ref, leaves, start)
	return res
}

// checkLeafIndex compares recomputed leaves with the stored leaf index and
// names the first differing row range.
func checkLeafIndex(add func(string, bool, string, ...any), root string, ref SegmentRef, leaves []Hash, start uint64) {
	stored, err := os.ReadFile(filepath.Join(root, LeavesPath(ref.SHA256)))
	if err != nil {
		add("leaves", false, "leaf index: %v", err)
		return
	}
	if len(stored) != len(leaves)*32 {
		add("leaves", false, "leaf index holds %d leaves, the file has %d rows", len(stored)/32, len(leaves))
		return
	}
	first, last := -1, -1
	for j := range leaves {
		if !bytes.Equal(stored[j*32:j*32+32], leaves[j][:]) {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	if first < 0 {
		add("leaves", true, "%d leaves match the leaf index", len(leaves))
		return
	}
	add("leaves", false, "rows %d..%d of the version (segment rows %d..%d) differ from the leaf index",
		start+uint64(first), start+uint64(last), first, last)
}

func fileDigest(path string) (Hash, uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return Hash{}, 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Hash{}, 0, err
	}
	var sum Hash
	h.Sum(sum[:0])
	return sum, uint64(n), nil
}

// segmentLeaves decodes a segment and recomputes its leaves.
func segmentLeaves(ctx context.Context, root string, m *Manifest, ref SegmentRef, start, cut uint64) ([]Hash, uint64, *Accumulator, *Accumulator, error) {
	sr, err := OpenSegment(root, ref, &m.Schema)
	if err != nil {
		return nil, 0, nil, nil, err
	}
	defer sr.Close()
	enc, err := NewRowEncoder(&m.Schema)
	if err != nil {
		return nil, 0, nil, nil, err
	}
	acc := NewAccumulator(start)
	var cutAcc *Accumulator
	leaves := make([]Hash, 0, ref.Rows)
	buf := make([]byte, 1, 4096)
	for b := 0; b < sr.NumBatches(); b++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, nil, nil, err
		}
		rec, err := sr.Batch(b)
		if err != nil {
			return nil, 0, nil, nil, err
		}
		if err := enc.Bind(rec); err != nil {
			rec.Release()
			return nil, 0, nil, nil, err
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			if cut != 0 && acc.End() == cut {
				cutAcc = cloneAccumulator(acc)
			}
			buf = enc.AppendRow(buf[:1], r)
			leaf := LeafHash(buf)
			acc.Add(leaf)
			leaves = append(leaves, leaf)
		}
		rec.Release()
	}
	return leaves, uint64(len(leaves)), acc, cutAcc, nil
}
