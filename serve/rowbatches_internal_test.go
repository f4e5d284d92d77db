package serve

import (
	"errors"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// testBatch is a one-column batch whose single value is v.
func testBatch(v int64) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil))
	defer b.Release()
	b.Field(0).(*array.Int64Builder).Append(v)
	return b.NewRecordBatch()
}

// TestDecodedBlocks: a kept block is decoded once and stays readable
// after every reader released it; beyond the process's budget a block is
// decoded per request; forget gives the budget back; a read error is
// returned and nothing is kept.
func TestDecodedBlocks(t *testing.T) {
	errRead := errors.New("read failed")
	for _, tc := range []struct {
		name      string
		used      int64 // budget already taken by other segments
		fail      bool
		wantReads int // of 3 requests for block 1
		wantKept  int64
		wantErr   error
	}{
		{"kept after the first read", 0, false, 1, 1, nil},
		{"budget spent: read every time", maxCachedBlocks, false, 3, 0, nil},
		{"last unit of budget", maxCachedBlocks - 1, false, 1, 1, nil},
		{"read error", 0, true, 3, 0, errRead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Relative to what other tests' servers keep: take the budget
			// up to tc.used, give it back at the end.
			took := tc.used - cachedBlocks.Load()
			cachedBlocks.Add(took)
			defer cachedBlocks.Add(-took)
			d := newDecoded(4)
			reads := 0
			read := func(i int) (arrow.RecordBatch, error) {
				reads++
				if tc.fail {
					return nil, errRead
				}
				return testBatch(int64(i)), nil
			}
			for range 3 {
				rec, err := d.block(1, read)
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				if err != nil {
					continue
				}
				if got := rec.Column(0).(*array.Int64).Value(0); got != 1 {
					t.Fatalf("block 1 holds %d", got)
				}
				rec.Release()
			}
			if reads != tc.wantReads {
				t.Errorf("%d reads, want %d", reads, tc.wantReads)
			}
			if got := cachedBlocks.Load() - tc.used; got != tc.wantKept {
				t.Errorf("%d blocks kept, want %d", got, tc.wantKept)
			}
			d.forget()
			if got := cachedBlocks.Load(); got != tc.used {
				t.Errorf("after forget the budget used is %d, want %d", got, tc.used)
			}
		})
	}
}

// TestDecodedBlocksConcurrent: requests racing for the same blocks all get
// their block's rows, each block is kept once, and the budget counts it
// once.
func TestDecodedBlocksConcurrent(t *testing.T) {
	base := cachedBlocks.Load()
	const blocks, workers = 8, 16
	d := newDecoded(blocks)
	read := func(i int) (arrow.RecordBatch, error) { return testBatch(int64(i)), nil }
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for k := range 200 {
				i := (w + k) % blocks
				rec, err := d.block(i, read)
				if err != nil {
					errs <- err
					return
				}
				if got := rec.Column(0).(*array.Int64).Value(0); got != int64(i) {
					errs <- errors.New("a block holds another block's rows")
					rec.Release()
					return
				}
				rec.Release()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := cachedBlocks.Load() - base; got != blocks {
		t.Errorf("%d blocks counted, want %d", got, blocks)
	}
	d.forget()
	if got := cachedBlocks.Load() - base; got != 0 {
		t.Errorf("after forget: %d", got)
	}
}
