package store

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"math/bits"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Declared keys are enforced by the version writer: a version never holds
// two rows with one key. Each row's key (the canonical encoding of its key
// columns, SPEC §3) is reduced to a 64-bit digest, 8 bytes a row; at commit
// the new digests are sorted and compared with each other and with the
// sorted digests of the rows the version keeps. Equal digests are confirmed
// by comparing the keys themselves, so a digest collision never refuses a
// version. The latest version's sorted digests are cached per dataset.

// keySet is the sorted key digests of one version's rows.
type keySet struct {
	manifest datasets.Hash
	sorted   []uint64
}

// keyHasher computes key digests of rows of one schema.
type keyHasher struct {
	cols []int
	as   *arrow.Schema
	enc  *datasets.RowEncoder
	seed maphash.Seed
}

func newKeyHasher(s *datasets.Schema, seed maphash.Seed) (*keyHasher, error) {
	ks := &datasets.Schema{Key: s.Key}
	k := &keyHasher{seed: seed}
	for _, name := range s.Key {
		i := s.Index(name)
		k.cols = append(k.cols, i)
		ks.Columns = append(ks.Columns, s.Columns[i])
	}
	var err error
	if k.as, err = ks.ArrowSchema(); err != nil {
		return nil, err
	}
	k.enc, err = datasets.NewRowEncoder(ks)
	return k, err
}

// bind projects rec onto the key columns and binds the encoder; the caller
// releases the result.
func (k *keyHasher) bind(rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(k.cols))
	for i, c := range k.cols {
		cols[i] = rec.Column(c)
	}
	sub := array.NewRecordBatch(k.as, cols, rec.NumRows())
	if err := k.enc.Bind(sub); err != nil {
		sub.Release()
		return nil, err
	}
	return sub, nil
}

// appendDigests appends the key digest of every row of rec to dst: each
// key column's value bytes are hashed (maphash) and the column hashes of a
// row combined in key order. Equal keys give equal digests; unequal keys
// rarely do, and confirmDuplicate compares the keys themselves.
func (k *keyHasher) appendDigests(dst []uint64, rec arrow.RecordBatch) ([]uint64, error) {
	start, n := len(dst), int(rec.NumRows())
	dst = slices.Grow(dst, n)[:start+n]
	out := dst[start:]
	clear(out)
	for _, c := range k.cols {
		if err := k.hashColumn(out, rec.Column(c)); err != nil {
			return dst[:start], err
		}
	}
	return dst, nil
}

// hashColumn folds the hash of each row's value of arr into out.
func (k *keyHasher) hashColumn(out []uint64, arr arrow.Array) error {
	fold := func(i int, h uint64) { out[i] = (bits.RotateLeft64(out[i], 23) ^ h) * 0x9e3779b97f4a7c15 }
	switch col := arr.(type) {
	case *array.String:
		for i := range out {
			fold(i, maphash.String(k.seed, col.Value(i)))
		}
	case *array.Binary:
		for i := range out {
			fold(i, maphash.Bytes(k.seed, col.Value(i)))
		}
	case *array.FixedSizeBinary:
		for i := range out {
			fold(i, maphash.Bytes(k.seed, col.Value(i)))
		}
	case *array.Boolean:
		for i := range out {
			fold(i, maphash.Comparable(k.seed, col.Value(i)))
		}
	default:
		fw, ok := arr.DataType().(arrow.FixedWidthDataType)
		if !ok || fw.BitWidth()%8 != 0 || len(arr.Data().Buffers()) < 2 {
			return fmt.Errorf("%w: key column of type %s cannot be hashed", datasets.ErrSchema, arr.DataType())
		}
		w := fw.BitWidth() / 8
		buf := arr.Data().Buffers()[1].Bytes()[arr.Data().Offset()*w:]
		for i := range out {
			fold(i, maphash.Bytes(k.seed, buf[i*w:(i+1)*w]))
		}
	}
	return nil
}

// render names a row's key as col=value pairs.
func render(sub arrow.RecordBatch, i int) string {
	parts := make([]string, sub.NumCols())
	for c := range parts {
		v := sub.Column(c).ValueStr(i)
		switch col := sub.Column(c).(type) {
		case *array.FixedSizeBinary:
			v = "0x" + hex.EncodeToString(col.Value(i))
		case *array.Binary:
			v = "0x" + hex.EncodeToString(col.Value(i))
		}
		parts[c] = sub.ColumnName(c) + "=" + v
	}
	return strings.Join(parts, ", ")
}

// segmentDigests appends the key digests of every row of the segments.
func (w *VersionWriter) segmentDigests(dst []uint64, segs []datasets.SegmentRef) ([]uint64, error) {
	err := w.eachBatch(segs, func(rec arrow.RecordBatch) error {
		var err error
		dst, err = w.keyHash.appendDigests(dst, rec)
		return err
	})
	return dst, err
}

// eachBatch calls fn with every record batch of the segments, in order.
func (w *VersionWriter) eachBatch(segs []datasets.SegmentRef, fn func(arrow.RecordBatch) error) error {
	for _, ref := range segs {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		sr, err := datasets.OpenSegment(w.s.root, ref, w.schema)
		if err != nil {
			return err
		}
		for b := 0; b < sr.NumBatches(); b++ {
			rec, err := sr.Batch(b)
			if err == nil {
				err = fn(rec)
				rec.Release()
			}
			if err != nil {
				sr.Close()
				return err
			}
		}
		sr.Close()
	}
	return nil
}

// beginKeys prepares key enforcement: the sorted digests of the rows the
// new version keeps from its parent (cached for the latest version).
func (w *VersionWriter) beginKeys() error {
	if len(w.schema.Key) == 0 {
		return nil
	}
	var err error
	if w.keyHash, err = newKeyHasher(w.schema, w.s.keySeed); err != nil {
		return err
	}
	w.keyRuns = newKeyRuns(w.s.root)
	if w.parent == nil {
		return nil
	}
	if c := w.s.cachedKeys(w.dataset); c != nil && w.opts.KeepRows == nil && c.manifest == w.parent.manifestHash {
		w.keptKeys = c.sorted
		return nil
	}
	kept, err := w.segmentDigests(nil, w.kept)
	if err != nil {
		return fmt.Errorf("reading the keys of %s@%d: %w", w.dataset, w.parent.version, err)
	}
	slices.Sort(kept)
	w.keptKeys = kept
	if w.opts.KeepRows == nil && len(kept) <= cacheRows {
		w.s.cacheKeys(w.dataset, &keySet{manifest: w.parent.manifestHash, sorted: kept})
	}
	return nil
}

// checkKeys refuses the version when two of its rows share a key. segs are
// the new segments (already written).
func (w *VersionWriter) checkKeys(segs []datasets.SegmentRef) error {
	if w.keyHash == nil {
		return nil
	}
	suspect, err := w.keyRuns.suspects(w.keptKeys)
	if err != nil {
		return err
	}
	if len(suspect) == 0 {
		return nil
	}
	return w.confirmDuplicate(append(slices.Clone(w.kept), segs...), suspect)
}

// confirmDuplicate reads the version's rows again and compares the keys of
// rows with a suspect digest; it returns ErrDuplicateKey naming the first
// two rows that share a key, or nil when the digests only collided.
func (w *VersionWriter) confirmDuplicate(segs []datasets.SegmentRef, suspect map[uint64]bool) error {
	type seen struct {
		row uint64
		key []byte
	}
	bySum := map[uint64][]seen{}
	var row uint64
	var dup error
	err := w.eachBatch(segs, func(rec arrow.RecordBatch) error {
		sums, err := w.keyHash.appendDigests(nil, rec)
		if err != nil {
			return err
		}
		sub, err := w.keyHash.bind(rec)
		if err != nil {
			return err
		}
		defer sub.Release()
		for i, d := range sums {
			if suspect[d] && dup == nil {
				key := w.keyHash.enc.AppendRow(nil, i)
				for _, s := range bySum[d] {
					if bytes.Equal(s.key, key) {
						dup = w.duplicateError(s.row, row, render(sub, i))
						break
					}
				}
				bySum[d] = append(bySum[d], seen{row, key})
			}
			row++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("re-reading %s to name a duplicate key: %w", w.dataset, err)
	}
	return dup
}

// duplicateError names two rows (leaf indexes of the new version) that
// share a key.
func (w *VersionWriter) duplicateError(first, second uint64, key string) error {
	next := uint64(1)
	if w.parent != nil {
		next = w.parent.version + 1
	}
	kept := w.keptAcc.End()
	if w.opts.KeepRows != nil {
		kept = *w.opts.KeepRows
	}
	where := func(r uint64) string {
		if r < kept {
			return fmt.Sprintf("row %d (sealed in %s@%d)", r, w.dataset, w.parent.version)
		}
		return fmt.Sprintf("row %d (new)", r)
	}
	return fmt.Errorf("%w: %s@%d would hold two rows with key (%s): %s and %s; nothing was sealed",
		ErrDuplicateKey, w.dataset, next, key, where(first), where(second))
}

// commitKeys caches the sorted digests of the committed version.
func (w *VersionWriter) commitKeys(m *datasets.Manifest) {
	if w.keyHash == nil || m == nil {
		return
	}
	h, err := m.Hash()
	if err != nil {
		w.s.cacheKeys(w.dataset, nil)
		return
	}
	newKeys := w.keyRuns.buf
	if !w.keyRuns.inMemory() || len(w.keptKeys)+len(newKeys) > cacheRows {
		w.s.cacheKeys(w.dataset, nil) // read from the segments next time
		return
	}
	merged := make([]uint64, 0, len(w.keptKeys)+len(newKeys))
	i, j := 0, 0
	for i < len(w.keptKeys) && j < len(newKeys) {
		if w.keptKeys[i] <= newKeys[j] {
			merged, i = append(merged, w.keptKeys[i]), i+1
		} else {
			merged, j = append(merged, newKeys[j]), j+1
		}
	}
	merged = append(append(merged, w.keptKeys[i:]...), newKeys[j:]...)
	w.s.cacheKeys(w.dataset, &keySet{manifest: h, sorted: merged})
}
