package serve_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// The attacks of this file change a served file in place and set its
// modification time back: only the change time (ctime) tells. None of them
// may make the server hand out bytes that are not the attested ones.

// frozenClock is a clock that moves only when told.
type frozenClock struct{ ns atomic.Int64 }

func newFrozenClock() *frozenClock {
	c := &frozenClock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}

func (c *frozenClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *frozenClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// flipInPlace XORs the byte at off of path with x, writing in place (same
// inode, same size) and setting the modification time back.
func flipInPlace(t *testing.T, path string, off int64, x byte) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= x
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
}

// zeroInPlace overwrites the first n bytes of path with zeros in place and
// sets the modification time back; it returns the bytes it replaced.
func zeroInPlace(t *testing.T, path string, n int) []byte {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	old := make([]byte, n)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadAt(old, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, n), 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	return old
}

// writeInPlace writes b at the start of path in place and sets the
// modification time back.
func writeInPlace(t *testing.T, path string, b []byte) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(b, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
}

// TestHostileSameSizeRewrite (attack E) flips one byte of a segment in
// place and sets its mtime back: the next check must hash it again.
func TestHostileSameSizeRewrite(t *testing.T) {
	f := newFixture(t, serve.Config{})
	seg := f.m["votes@1"].Segments[0]
	paths := []string{"/v1/datasets/votes/versions/1/data?format=jsonl", "/v1/datasets/votes/versions/1/segments/" + seg.SHA256.Hex()}
	for _, p := range paths {
		if resp, b := f.get(t, tokenAll, p); resp.StatusCode != 200 {
			t.Fatalf("%s before: %d %s", p, resp.StatusCode, b)
		}
	}
	file := filepath.Join(f.st.Root(), filepath.FromSlash(seg.Path))
	flipInPlace(t, file, int64(seg.Bytes/2), 0x01)
	f.srv.Poll(context.Background())
	for _, p := range paths {
		if resp, b := f.get(t, tokenAll, p); resp.StatusCode != 503 {
			t.Fatalf("%s after an in-place rewrite with the mtime set back: %d (%d bytes)", p, resp.StatusCode, len(b))
		}
	}
	flipInPlace(t, file, int64(seg.Bytes/2), 0x01)
	f.srv.Poll(context.Background())
	for _, p := range paths {
		if resp, b := f.get(t, tokenAll, p); resp.StatusCode != 200 {
			t.Fatalf("%s after the restore: %d %s", p, resp.StatusCode, b)
		}
	}
}

// TestHostileRowCacheFromBadBytes (attack D) damages a segment right after
// it was checked (inside the stat interval, on a clock that does not move):
// the row-block cache must not be built from the damaged bytes, and once
// the segment is restored the rows served are the attested ones.
func TestHostileRowCacheFromBadBytes(t *testing.T) {
	clock := newFrozenClock()
	f := newFixture(t, serve.Config{Now: clock.now})
	seg := f.m["votes@1"].Segments[0]
	const row = "/v1/datasets/votes/versions/1/rows/202"
	if resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/1/data?format=jsonl"); resp.StatusCode != 200 {
		t.Fatalf("data: %d %s", resp.StatusCode, b)
	}
	file := filepath.Join(f.st.Root(), filepath.FromSlash(seg.Path))
	for _, off := range []int64{int64(seg.Bytes / 3), int64(seg.Bytes / 2)} {
		flipInPlace(t, file, off, 0x10)
		resp, b := f.get(t, tokenAll, row)
		if resp.StatusCode != 503 {
			t.Fatalf("a row of a segment damaged at %d: %d %s", off, resp.StatusCode, b)
		}
		flipInPlace(t, file, off, 0x10)
		clock.advance(2 * time.Second) // past the stat interval
		f.srv.Poll(context.Background())
	}
	got, err := f.srv.Row(context.Background(), serve.LocalPrincipal(), "votes", 1, 202)
	if err != nil {
		t.Fatalf("after the restore: %v", err)
	}
	// A second server over the same store, with an empty cache, reads the
	// attested row.
	fresh, err := serve.New(context.Background(), serve.Config{Catalog: f.st, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	want, err := fresh.Row(context.Background(), serve.LocalPrincipal(), "votes", 1, 202)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Values, want.Values) {
		t.Fatalf("after the restore row 202 is %v, the attested row is %v", got.Values, want.Values)
	}
}

// TestHostileLeafIndex (attack D) zeroes the first leaf of a segment's
// leaf index in place, before and after the proof tree was built: no row
// may be served with a proof from a leaf index that does not match the
// attested Merkle root.
func TestHostileLeafIndex(t *testing.T) {
	for _, warm := range []bool{false, true} {
		clock := newFrozenClock()
		f := newFixture(t, serve.Config{Now: clock.now})
		seg := f.m["votes@1"].Segments[0]
		const row = "/v1/datasets/votes/versions/1/rows/0"
		if warm {
			if resp, b := f.get(t, tokenAll, row); resp.StatusCode != 200 {
				t.Fatalf("before: %d %s", resp.StatusCode, b)
			}
		}
		leaves := filepath.Join(f.st.Root(), filepath.FromSlash(datasets.LeavesPath(seg.SHA256)))
		old := zeroInPlace(t, leaves, 32)
		clock.advance(2 * time.Second)
		if resp, b := f.get(t, tokenAll, row); resp.StatusCode != 503 {
			t.Fatalf("warm %v: a row with a zeroed leaf index: %d %s", warm, resp.StatusCode, b)
		}
		writeInPlace(t, leaves, old)
		clock.advance(2 * time.Second)
		if resp, b := f.get(t, tokenAll, row); resp.StatusCode != 200 {
			t.Fatalf("warm %v: after the restore: %d %s", warm, resp.StatusCode, b)
		}
	}
}
