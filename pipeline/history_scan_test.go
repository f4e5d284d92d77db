package pipeline

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestCatalogHistoryScanRanges checks that Scan, which reads a segment one
// batch at a time, gives exactly the rows [from, to) in order, across
// batch (64 rows) and segment (300 rows) boundaries.
func TestCatalogHistoryScanRanges(t *testing.T) {
	const rows = 1000
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{Builder: datasets.BuilderOptions{SegmentRows: 300, BatchRows: 64}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < rows; off += 100 {
		rec := datasetstest.VotesBatch(nil, off, 100)
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	h := NewCatalogHistory(st)
	cases := []struct {
		name           string
		from, to       uint64
		wantLo, wantHi uint64
	}{
		{"all", 0, 0, 0, rows},
		{"inside one batch", 10, 20, 10, 20},
		{"across a batch boundary", 99, 101, 99, 101},
		{"across a segment boundary", 250, 350, 250, 350},
		{"last row of a segment and first of the next", 299, 301, 299, 301},
		{"tail", 900, 0, 900, rows},
		{"to beyond the end", 990, 5000, 990, rows},
		{"from at the end", rows, 0, rows, rows},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []uint64
			err := h.Scan(ctx, "votes", 0, c.from, c.to, func(r arrow.RecordBatch) error {
				ts := r.Column(9).(*array.Timestamp)
				for i := range ts.Len() {
					got = append(got, uint64((int64(ts.Value(i))-1_615_000_000_000_000)/600_000))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if uint64(len(got)) != c.wantHi-c.wantLo {
				t.Fatalf("got %d rows, want %d", len(got), c.wantHi-c.wantLo)
			}
			for i, row := range got {
				if row != c.wantLo+uint64(i) {
					t.Fatalf("row %d of the scan is row %d of the dataset, want %d", i, row, c.wantLo+uint64(i))
				}
			}
		})
	}
}
