package serve

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The server checks every segment file against the SHA-256 its attested
// manifest names before the file's first byte is served or queried, and
// again whenever the file changes: the verified state of a segment is the
// identity of the file it hashed (size, modification time, change time,
// inode, device; the change time catches an in-place rewrite whose
// modification time was set back),
// re-read with stat at most once per statEvery while the segment is used
// and at every Poll; every rehashEvery (Config.RehashInterval) a Poll
// hashes them again whatever stat says. A file whose identity changed is
// hashed again; one
// that is missing or hashes to something else makes every version holding
// it refuse with ErrCorrupt (503), counted and logged, until a later check
// finds the right bytes again.

// fileID is what stat says about a file; a change means it must be hashed
// again.
type fileID struct {
	size, mtime, ctime int64
	ino, dev           uint64
}

func statID(path string) (fileID, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileID{}, err
	}
	return idOf(fi), nil
}

// path is the file of seg.
func (c *integrity) path(seg datasets.SegmentRef) string {
	return filepath.Join(c.root, filepath.FromSlash(seg.Path))
}

// segCheck is the verified state of one segment file.
type segCheck struct {
	mu       sync.Mutex   // held while the file is stat'ed or hashed
	ok       atomic.Bool  // the file at id hashed to the manifest's SHA-256
	statAt   atomic.Int64 // unix nanoseconds of the last stat that found id
	id       fileID
	known    bool  // id was hashed (err says how that went)
	hashedAt int64 // unix nanoseconds of the last hash
	err      error // the refusal when the file is not the attested one
	bad      bool  // reported as bad (metric, log, versions refused)
}

// integrity holds the verified state of the segments served.
type integrity struct {
	root      string
	files     *files
	log       *slog.Logger
	metrics   *Metrics
	now       func() time.Time
	statEvery time.Duration
	// rehashEvery is how often sweep hashes a segment again even if its
	// file looks unchanged (0: never).
	rehashEvery time.Duration
	// changed is called when a segment turns bad (err set) or good again.
	changed func(seg datasets.Hash, err error)

	segs sync.Map // datasets.Hash → *segCheck
}

func (c *integrity) entry(h datasets.Hash) *segCheck { return loadOrAdd[segCheck](&c.segs, h) }

// check returns nil when seg's file is the one its manifest names, else an
// ErrCorrupt refusal; the hot path is two atomic loads.
func (c *integrity) check(seg datasets.SegmentRef) error {
	sc := c.entry(seg.SHA256)
	now := c.now().UnixNano()
	if sc.ok.Load() && now-sc.statAt.Load() < int64(c.statEvery) {
		return nil
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.ok.Load() && now-sc.statAt.Load() < int64(c.statEvery) {
		return nil // checked while this call waited
	}
	return c.recheck(seg, sc, now, false)
}

// expire makes the next check of seg stat (and, if changed, hash) its file
// again: a reader found bytes that do not hash as attested.
func (c *integrity) expire(seg datasets.Hash) { c.entry(seg).statAt.Store(0) }

// recheck stats the file and hashes it when it changed (or when force is
// set); sc.mu is held. The identity recorded is the one of the descriptor
// that was hashed (fstat before and after the hash), never only the path's.
func (c *integrity) recheck(seg datasets.SegmentRef, sc *segCheck, now int64, force bool) error {
	path := c.path(seg)
	id, err := statID(path)
	if err == nil && sc.known && id == sc.id && !force {
		sc.statAt.Store(now)
		return sc.err
	}
	if sc.known {
		c.files.forget(seg.Path) // the path names another file now
	}
	known := err == nil
	if err != nil {
		err = fmt.Errorf("%w: segment %s is missing or unreadable", ErrCorrupt, seg.SHA256)
	} else {
		id, err = hashSegment(path, seg)
		sc.hashedAt = now
		// An I/O error is not a verdict on these bytes: read again next time.
		known = !errors.Is(err, errUnreadable)
	}
	sc.id, sc.known, sc.err = id, known, err
	sc.ok.Store(err == nil)
	sc.statAt.Store(now)
	switch {
	case err != nil && !sc.bad:
		sc.bad = true
		c.metrics.corruptSegment()
		c.log.Error("a served segment does not match its attested hash: the versions holding it are not served",
			"segment", seg.SHA256.Hex(), "err", err)
		c.changed(seg.SHA256, err)
	case err == nil && sc.bad:
		sc.bad = false
		c.metrics.segmentRestored()
		c.log.Warn("a segment matches its attested hash again: serving the versions holding it", "segment", seg.SHA256.Hex())
		c.changed(seg.SHA256, nil)
	}
	return err
}

// errUnreadable marks a segment that could not be read (rather than one
// whose bytes are wrong).
var errUnreadable = errors.New("unreadable")

// hashSegment opens the file at path and compares its size and SHA-256
// with the manifest's; it returns the identity of the descriptor hashed (a
// file that changed while it was hashed is unreadable: hashed again next
// time).
func hashSegment(path string, seg datasets.SegmentRef) (fileID, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileID{}, fmt.Errorf("%w: segment %s is missing or %w", ErrCorrupt, seg.SHA256, errUnreadable)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fileID{}, fmt.Errorf("%w: segment %s is %w", ErrCorrupt, seg.SHA256, errUnreadable)
	}
	id := idOf(fi)
	if id.size != int64(seg.Bytes) {
		return id, fmt.Errorf("%w: segment %s has %d bytes, its attested manifest says %d", ErrCorrupt, seg.SHA256, id.size, seg.Bytes)
	}
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, make([]byte, 1<<20)); err != nil {
		return id, fmt.Errorf("%w: segment %s is %w", ErrCorrupt, seg.SHA256, errUnreadable)
	}
	if after, err := f.Stat(); err != nil || idOf(after) != id {
		return id, fmt.Errorf("%w: segment %s changed while it was hashed: it is %w until it is stable", ErrCorrupt, seg.SHA256, errUnreadable)
	}
	var got datasets.Hash
	h.Sum(got[:0])
	if got != seg.SHA256 {
		return id, fmt.Errorf("%w: segment %s hashes to %s: its bytes are not the attested ones", ErrCorrupt, seg.SHA256, got)
	}
	return id, nil
}

// sweep stats every segment checked so far (and hashes those whose file
// changed, or that were last hashed rehashEvery ago), so that a damaged
// file is found without waiting for a request.
func (c *integrity) sweep(bySHA map[datasets.Hash]datasets.SegmentRef) {
	var todo []datasets.Hash
	c.segs.Range(func(k, _ any) bool {
		todo = append(todo, k.(datasets.Hash))
		return true
	})
	now := c.now().UnixNano()
	for _, h := range todo {
		seg, ok := bySHA[h]
		if !ok {
			continue
		}
		sc := c.entry(h)
		sc.mu.Lock()
		c.recheck(seg, sc, now, c.rehashEvery > 0 && now-sc.hashedAt >= int64(c.rehashEvery))
		sc.mu.Unlock()
	}
}
