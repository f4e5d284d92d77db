package sqlview_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// TestCopyProofCreatedBy: a copy whose footer names an earlier writer (the
// created_by of arrow-go v18.8.0, which wrote every copy before the
// upgrade, or "groundtruth sql copy 2", which kept statistics on the hex
// columns) is proven by writing it again with that writer's settings; a
// copy whose rows differ is refused whatever its created_by; new copies
// name no library version and have no statistics on address and bytes32
// columns, only on the others.
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
	copy2 := olderCopy(t, root, ref, "groundtruth sql copy 2")
	if got, want := statsColumns(t, orig), []string{"chain_id", "log_index", "proposal_id", "proposal_id#text", "support", "weight", "weight#text", "reason", "block_number", "block_time"}; !slices.Equal(got, want) {
		t.Errorf("a new copy has statistics on %v, want %v", got, want)
	}
	for _, raw := range [][]byte{old, copy2} {
		if got := statsColumns(t, raw); !slices.Contains(got, "tx_hash") || !slices.Contains(got, "voter") {
			t.Errorf("an earlier writer's copy has statistics on %v, want the hex columns too", got)
		}
	}
	for _, tc := range []struct {
		name    string
		bytes   []byte
		wantErr bool
	}{
		{"older writer's created_by", old, false},
		{"sql copy 2's created_by (hex columns with statistics)", copy2, false},
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

// statsColumns lists the columns of a copy's first row group that carry
// statistics, in order.
func statsColumns(t *testing.T, raw []byte) []string {
	t.Helper()
	r, err := file.NewParquetReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rg := r.MetaData().RowGroup(0)
	var out []string
	for i := range rg.NumColumns() {
		cc, err := rg.ColumnChunk(i)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := cc.StatsSet(); err != nil {
			t.Fatal(err)
		} else if ok {
			out = append(out, r.MetaData().Schema.Column(i).Name())
		}
	}
	return out
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
