package sqlview_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// TestCopyProofCreatedBy: a copy whose footer names another writer (the
// created_by of arrow-go v18.8.0, which wrote every copy before the upgrade)
// is proven by writing it again with that created_by; a copy whose rows
// differ is refused whatever its created_by; new copies name no library
// version.
func TestCopyProofCreatedBy(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	segs := buildSegments(t, root, 0, 500, 500)
	ref := segs[0]
	copyPath := filepath.Join(root, sqlview.ParquetPath(ref.SHA256))
	orig, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	cv := &sqlview.CopyVerifier{Root: root}
	seg := sqlview.Segment{SHA256: ref.SHA256, Rows: 500, Parquet: copyPath}
	if err := cv.Verify(ctx, seg); err != nil {
		t.Fatalf("the copy written at seal: %v", err)
	}
	if !bytes.Contains(orig, []byte(sqlview.CopyCreatedBy)) {
		t.Errorf("a new copy's footer lacks created_by %q", sqlview.CopyCreatedBy)
	}
	old := olderCopy(t, root, ref, "parquet-go version 18.8.0")
	if bytes.Equal(old, orig) {
		t.Fatal("the copy with another created_by has the same bytes: the test proves nothing")
	}
	for _, tc := range []struct {
		name    string
		bytes   []byte
		wantErr bool
	}{
		{"older writer's created_by", old, false},
		{"older created_by, one row byte changed", flipped(old), true},
		{"new created_by, one row byte changed", flipped(orig), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(copyPath, tc.bytes, 0o644); err != nil {
				t.Fatal(err)
			}
			err := cv.Verify(ctx, seg)
			if tc.wantErr != (err != nil) || (err != nil && !errors.Is(err, sqlview.ErrCopyMismatch)) {
				t.Fatalf("Verify = %v, want error %v (ErrCopyMismatch)", err, tc.wantErr)
			}
		})
	}
}

// olderCopy returns the bytes of ref's copy written with created_by.
func olderCopy(t *testing.T, root string, ref datasets.SegmentRef, createdBy string) []byte {
	t.Helper()
	dst := t.TempDir()
	rel, err := sqlview.CopyOfFile(context.Background(), filepath.Join(root, ref.Path), ref.SHA256, dst, createdBy)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dst, rel))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// flipped returns raw with one byte in its first data page changed.
func flipped(raw []byte) []byte {
	out := append([]byte(nil), raw...)
	out[len(out)/4] ^= 0x55
	return out
}
