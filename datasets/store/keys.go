package store

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/zeebo/xxh3"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Declared keys are enforced by the version writer: a version never holds
// two rows with one key. Each row's key (its key columns' values) is
// reduced to a 64-bit digest (XXH3 with a random seed), 8 bytes a row; at
// commit the new digests, sorted in runs, are merged with the sorted
// digests of the rows the version keeps, and equal digests are confirmed by
// comparing the keys themselves, so a digest collision never refuses a
// version. The kept digests come from the latest version's in-memory cache
// (small versions), its key digest file (keyfile.go; streamed, never held
// in memory), or, when neither is there, the segments. The same merge
// writes the new version's sorted digests for the next version.

// keySet is the sorted key digests of one version's rows and their seed.
type keySet struct {
	manifest datasets.Hash
	seed     uint64
	sorted   []uint64
}

// keyHasher computes key digests of rows of one schema.
type keyHasher struct {
	cols []int
	as   *arrow.Schema
	enc  *datasets.RowEncoder
	seed uint64
}

func newKeyHasher(s *datasets.Schema, seed uint64) (*keyHasher, error) {
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
// key column's value bytes are hashed (XXH3, seeded) and the column hashes of a
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
			fold(i, xxh3.HashStringSeed(col.Value(i), k.seed))
		}
	case *array.Binary:
		for i := range out {
			fold(i, xxh3.HashSeed(col.Value(i), k.seed))
		}
	case *array.FixedSizeBinary:
		for i := range out {
			fold(i, xxh3.HashSeed(col.Value(i), k.seed))
		}
	case *array.Boolean:
		f, t := xxh3.HashSeed([]byte{0}, k.seed), xxh3.HashSeed([]byte{1}, k.seed)
		for i := range out {
			if col.Value(i) {
				fold(i, t)
			} else {
				fold(i, f)
			}
		}
	default:
		fw, ok := arr.DataType().(arrow.FixedWidthDataType)
		if !ok || fw.BitWidth()%8 != 0 || len(arr.Data().Buffers()) < 2 {
			return fmt.Errorf("%w: key column of type %s cannot be hashed", datasets.ErrSchema, arr.DataType())
		}
		w := fw.BitWidth() / 8
		buf := arr.Data().Buffers()[1].Bytes()[arr.Data().Offset()*w:]
		for i := range out {
			fold(i, xxh3.HashSeed(buf[i*w:(i+1)*w], k.seed))
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
