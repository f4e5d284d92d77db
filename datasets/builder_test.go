package datasets_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

// buildVersion writes rows [0, n) as a version-1 manifest and returns its bytes.
func buildVersion(t *testing.T, root string, n, segRows int) (*datasets.Manifest, []byte) {
	t.Helper()
	s := datasetstest.VotesSchema()
	b, err := datasets.NewBuilder(root, s, 0, datasets.BuilderOptions{SegmentRows: segRows, BatchRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < n; off += 37 {
		rec := datasetstest.VotesBatch(nil, off, min(37, n-off))
		if err := b.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	segs, acc, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	m := &datasets.Manifest{
		FormatVersion: datasets.FormatVersion, Dataset: "votes", Version: 1, Schema: *s,
		Segments: segs, RowCount: acc.End(), MerkleRoot: acc.Root(), AppendOnly: true,
		Provenance: datasets.Provenance{Sources: []string{"test"}, Inputs: []datasets.Hash{}},
		CreatedAt:  datasets.FormatTime(time.Unix(1700000000, 0)),
	}
	raw, err := m.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	return m, raw
}

func TestBuilderVerifyRoundTrip(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, tc := range []struct{ rows, segRows int }{{1, 10}, {10, 10}, {1000, 256}, {999, 1000}} {
		root := t.TempDir()
		m, raw := buildVersion(t, root, tc.rows, tc.segRows)
		if got, want := len(m.Segments), (tc.rows+tc.segRows-1)/tc.segRows; got != want {
			t.Errorf("%d rows: %d segments, want %d", tc.rows, got, want)
		}
		mh, _ := m.Hash()
		v, err := datasets.VerifyVersion(context.Background(), root, raw, mh)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Err(); err != nil {
			t.Fatalf("%d rows: %v", tc.rows, err)
		}
		// The proofs from the leaf index verify against the root.
		leaves := datasets.NewVersionLeaves(root, m)
		for _, i := range []uint64{0, m.RowCount / 2, m.RowCount - 1} {
			p, err := datasets.InclusionProof(leaves, i, m.RowCount)
			if err != nil {
				t.Fatal(err)
			}
			l, _ := leaves.Leaves(i, i+1)
			if err := datasets.VerifyInclusion(l[0], i, m.RowCount, p, m.MerkleRoot); err != nil {
				t.Fatal(err)
			}
		}
		if left, _ := os.ReadDir(filepath.Join(root, datasets.TmpDir)); len(left) != 0 {
			t.Errorf("temporary files left: %v", left)
		}
	}
}

func TestVerifyNamesCulprit(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, root string, m *datasets.Manifest, raw []byte) []byte
		want   string
	}{
		{"flipped byte", func(t *testing.T, root string, m *datasets.Manifest, raw []byte) []byte {
			p := filepath.Join(root, m.Segments[1].Path)
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 0x01
			os.WriteFile(p, b, 0o644)
			return raw
		}, "segments[1].sha256"},
		{"deleted segment", func(t *testing.T, root string, m *datasets.Manifest, raw []byte) []byte {
			os.Remove(filepath.Join(root, m.Segments[2].Path))
			return raw
		}, "segments[2].file"},
		{"edited manifest", func(t *testing.T, root string, m *datasets.Manifest, raw []byte) []byte {
			return []byte(strings.Replace(string(raw), `"rowCount":1000`, `"rowCount":1001`, 1))
		}, "manifest.hash"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			m, raw := buildVersion(t, root, 1000, 256)
			mh, _ := m.Hash()
			raw = tc.damage(t, root, m, raw)
			v, err := datasets.VerifyVersion(context.Background(), root, raw, mh)
			if err != nil {
				t.Fatal(err)
			}
			err = v.Err()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a failure naming %s", err, tc.want)
			}
		})
	}
}

func TestBuilderAbortLeavesNothing(t *testing.T) {
	defer goleak.VerifyNone(t)
	root := t.TempDir()
	b, err := datasets.NewBuilder(root, datasetstest.VotesSchema(), 0, datasets.BuilderOptions{SegmentRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	rec := datasetstest.VotesBatch(nil, 0, 350)
	if err := b.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	b.Abort()
	if left, _ := os.ReadDir(filepath.Join(root, datasets.TmpDir)); len(left) != 0 {
		t.Errorf("temporary files left after abort: %d", len(left))
	}
}
