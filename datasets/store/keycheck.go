package store

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// keyCheck is a version writer's key-enforcement state: where the kept
// rows' sorted digests come from (one of kept, keptFile, keptRuns) and
// where the merge writes the new version's (merged or sink).
type keyCheck struct {
	seed     uint64
	kept     []uint64       // in memory: the cache, or a small recomputation
	keptFile *keyFileReader // the parent's key digest file, streamed
	keptRuns *keyRuns       // recomputed from the segments, spilled
	merged   []uint64       // the new version's digests, when they stay in memory
	sink     *keyFileWriter // the new version's digest file, until installed
}

// beginKeys prepares key enforcement: the hasher, and the sorted digests of
// the rows the new version keeps from its parent.
func (w *VersionWriter) beginKeys() error {
	if len(w.schema.Key) == 0 {
		return nil
	}
	w.keyRuns = newKeyRuns(w.s.root)
	found := w.openKept()
	var err error
	if w.keyHash, err = newKeyHasher(w.schema, w.keys.seed); err != nil {
		return err
	}
	if w.parent == nil || found {
		return nil
	}
	return w.recomputeKept()
}

// openKept looks for the kept digests without reading segments: the
// in-memory cache of the parent, or its key digest file. It sets the seed
// the digests were computed with (the store's when none is found).
func (w *VersionWriter) openKept() bool {
	w.keys.seed = w.s.keySeed
	if w.parent == nil || w.opts.KeepRows != nil {
		return false
	}
	if c := w.s.cachedKeys(w.dataset); c != nil && c.manifest == w.parent.manifestHash {
		w.keys.seed, w.keys.kept = c.seed, c.sorted
		return true
	}
	r, err := openKeyFile(w.s.root, w.parent.manifestHash, w.parent.rows)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			w.s.log.Warn("key digest file unusable; recomputing it from the segments", "dataset", w.dataset, "version", w.parent.version, "err", err)
		} else if w.parent.rows > uint64(cacheRows) {
			w.s.log.Info("no key digest file; recomputing it from the segments", "dataset", w.dataset, "version", w.parent.version)
		}
		return false
	}
	w.keys.seed, w.keys.keptFile = r.seed, r
	return true
}

// recomputeKept reads the kept rows' digests from the segments as sorted
// runs (spilled beyond runRows, so memory stays bounded); small sets stay
// in memory and are cached.
func (w *VersionWriter) recomputeKept() error {
	kr := newKeyRuns(w.s.root)
	var scratch []uint64
	err := w.eachBatch(w.kept, func(rec arrow.RecordBatch) error {
		var err error
		if scratch, err = w.keyHash.appendDigests(scratch[:0], rec); err != nil {
			return err
		}
		return kr.add(scratch)
	})
	if err == nil {
		err = kr.finish()
	}
	if err != nil {
		kr.close()
		return fmt.Errorf("reading the keys of %s@%d: %w", w.dataset, w.parent.version, err)
	}
	if !kr.inMemory() {
		w.keys.keptRuns = kr
		return nil
	}
	w.keys.kept = slices.Clip(kr.buf)
	if w.opts.KeepRows == nil && len(kr.buf) <= cacheRows {
		w.s.cacheKeys(w.dataset, &keySet{manifest: w.parent.manifestHash, seed: w.keys.seed, sorted: w.keys.kept})
	}
	return nil
}

// keptIter returns the kept digests in order and their count.
func (w *VersionWriter) keptIter() (digestIter, uint64, error) {
	switch {
	case w.keys.keptFile != nil:
		return w.keys.keptFile, w.keys.keptFile.count, w.keys.keptFile.rewind()
	case w.keys.keptRuns != nil:
		it, err := w.keys.keptRuns.iter()
		return it, uint64(w.keys.keptRuns.total), err
	}
	return &sliceIter{w.keys.kept}, uint64(len(w.keys.kept)), nil
}

// mergeNewKeys sorts the new rows' key digests and merges them with the
// kept ones (recomputing a damaged key digest file): it returns the digests
// a new row shares with another row. It needs only the rows written, not
// the segment files, so commit runs it while the builder finishes those.
func (w *VersionWriter) mergeNewKeys() (map[uint64]bool, error) {
	if w.keyHash == nil {
		return nil, nil
	}
	if err := w.keyRuns.finish(); err != nil {
		return nil, err
	}
	suspect, err := w.mergeKeys()
	if errors.Is(err, errKeyFile) {
		w.s.log.Warn("key digest file damaged; recomputing it from the segments", "dataset", w.dataset, "err", err)
		w.keys.keptFile.close()
		w.keys.keptFile = nil
		if err = w.recomputeKept(); err == nil {
			suspect, err = w.mergeKeys()
		}
	}
	return suspect, err
}

// confirmKeys looks up the rows behind suspect digests (mergeNewKeys) in
// the kept and the new segments and fails naming a real duplicate key.
func (w *VersionWriter) confirmKeys(segs []datasets.SegmentRef, suspect map[uint64]bool) error {
	if len(suspect) == 0 {
		return nil
	}
	return w.confirmDuplicate(append(slices.Clone(w.kept), segs...), suspect)
}

// mergeKeys merges the kept and the new digests in one streaming pass: it
// returns the digests a new row shares with another row, and writes every
// digest to the new version's digest set (in memory up to cacheRows, else a
// temporary key digest file, fsynced).
func (w *VersionWriter) mergeKeys() (map[uint64]bool, error) {
	w.keys.sink.discard()
	w.keys.sink, w.keys.merged = nil, nil
	kept, nKept, err := w.keptIter()
	if err != nil {
		return nil, err
	}
	fresh, err := w.keyRuns.iter()
	if err != nil {
		return nil, err
	}
	total := nKept + uint64(w.keyRuns.total)
	add := func(d uint64) error { w.keys.merged = append(w.keys.merged, d); return nil }
	if total > uint64(cacheRows) {
		if w.keys.sink, err = createKeyFile(w.s.root, w.keys.seed, total); err != nil {
			return nil, err
		}
		add = w.keys.sink.add
	} else {
		w.keys.merged = make([]uint64, 0, total)
	}
	out, err := mergeDigests(kept, fresh, add)
	if err == nil && w.keys.sink != nil {
		err = w.keys.sink.finish()
	}
	return out, err
}

// mergeDigests merges two sorted streams into add and returns the digests
// of new rows equal to another row's (equal kept digests are left alone: a
// version sealed before keys were enforced may hold them).
func mergeDigests(kept, fresh digestIter, add func(uint64) error) (map[uint64]bool, error) {
	out := map[uint64]bool{}
	var lastKept, lastNew uint64
	var haveKept, haveNew bool
	kd, kok, err := kept.next()
	if err != nil {
		return nil, err
	}
	nd, nok, err := fresh.next()
	for err == nil && (kok || nok) {
		if kok && (!nok || kd <= nd) {
			if err = add(kd); err == nil {
				lastKept, haveKept = kd, true
				kd, kok, err = kept.next()
			}
			continue
		}
		if (haveNew && nd == lastNew) || (haveKept && nd == lastKept) {
			out[nd] = true
		}
		if err = add(nd); err == nil {
			lastNew, haveNew = nd, true
			nd, nok, err = fresh.next()
		}
	}
	return out, err
}

// commitKeys keeps the committed version's digests for the next version:
// its digest file is installed (the parent's, now stale, removed) or its
// in-memory set cached.
func (w *VersionWriter) commitKeys(m *datasets.Manifest) {
	if w.keyHash == nil || m == nil {
		return
	}
	w.s.cacheKeys(w.dataset, nil)
	h, err := m.Hash()
	if err != nil {
		return
	}
	if w.parent != nil {
		removeQuiet(filepath.Join(w.s.root, keyFileRel(w.parent.manifestHash)))
	}
	if w.keys.sink == nil {
		w.s.cacheKeys(w.dataset, &keySet{manifest: h, seed: w.keys.seed, sorted: w.keys.merged})
		return
	}
	if err := w.keys.sink.install(h); err != nil {
		w.s.log.Warn("key digest file not kept; the next version recomputes it", "dataset", w.dataset, "err", err)
	}
	w.keys.sink = nil
}

// closeKeys releases the key check's files.
func (w *VersionWriter) closeKeys() {
	if w.keyRuns != nil {
		w.keyRuns.close()
	}
	if w.keys.keptRuns != nil {
		w.keys.keptRuns.close()
	}
	w.keys.keptFile.close()
	w.keys.sink.discard()
}
