package datasets_test

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

var errCopyFull = errors.New("copy: disk full")

// recordingCopy is a SegmentCopy that counts rows and records how it ended;
// it fails its Write once failAt rows are in (0: never).
type recordingCopy struct {
	mu     *sync.Mutex
	log    *[]string
	rows   int64
	failAt int64
	closed bool
}

func (c *recordingCopy) Write(rec arrow.RecordBatch) error {
	c.rows += rec.NumRows()
	if c.failAt > 0 && c.rows >= c.failAt {
		return errCopyFull
	}
	return nil
}

func (c *recordingCopy) Close() error { c.closed = true; return nil }

func (c *recordingCopy) Sync() error {
	if !c.closed {
		return errors.New("sync before close")
	}
	return nil
}

func (c *recordingCopy) Commit(h datasets.Hash) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	*c.log = append(*c.log, "commit "+h.Hex())
	if !c.closed {
		return errors.New("commit before close")
	}
	return nil
}

func (c *recordingCopy) Abort() {
	c.mu.Lock()
	defer c.mu.Unlock()
	*c.log = append(*c.log, "abort")
}

// TestBuilderSegmentCopies: every segment's copy gets exactly its rows, is
// closed, and is committed with the segment's SHA-256 after the segment
// file exists, in order; a copy that fails fails the build, and every
// segment and copy is then aborted, with no temporary file left.
func TestBuilderSegmentCopies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		failAt int64
	}{{"all copies committed", 0}, {"a failing copy fails the build", 50}} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			root := t.TempDir()
			var mu sync.Mutex
			var log []string
			var copies []*recordingCopy
			opts := datasets.BuilderOptions{SegmentRows: 100, BatchRows: 32, Copy: func() (datasets.SegmentCopy, error) {
				c := &recordingCopy{mu: &mu, log: &log, failAt: tc.failAt}
				if len(copies) != 1 {
					c.failAt = 0 // only the second segment's copy fails
				}
				copies = append(copies, c)
				return c, nil
			}}
			b, err := datasets.NewBuilder(root, datasetstest.VotesSchema(), 0, opts)
			if err != nil {
				t.Fatal(err)
			}
			rec := datasetstest.VotesBatch(nil, 0, 350)
			err = b.Write(rec)
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
			refs, _, err := b.Finish()
			if tc.failAt > 0 {
				if !errors.Is(err, errCopyFull) {
					t.Fatalf("Finish: %v, want the copy's error", err)
				}
				if left, _ := os.ReadDir(filepath.Join(root, datasets.TmpDir)); len(left) != 0 {
					t.Errorf("temporary files left: %d", len(left))
				}
				if len(log) != 4 || log[0] != "abort" {
					t.Errorf("copies ended %v, want 4 aborts", log)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(refs) != 4 || len(copies) != 4 {
				t.Fatalf("%d segments, %d copies", len(refs), len(copies))
			}
			for i, ref := range refs {
				if copies[i].rows != int64(ref.Rows) || !copies[i].closed || log[i] != "commit "+ref.SHA256.Hex() {
					t.Errorf("segment %d (%d rows): copy has %d rows, closed %v, log %q", i, ref.Rows, copies[i].rows, copies[i].closed, log[i])
				}
				if _, err := os.Stat(filepath.Join(root, ref.Path)); err != nil {
					t.Errorf("segment %d: %v", i, err)
				}
			}
		})
	}
}
