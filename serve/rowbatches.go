package serve

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
)

// maxCachedBlocks is the most decoded row blocks the process keeps
// (1,048,576 rows' worth; a decoded 256-row block is its Arrow metadata,
// about 3.3 KiB, its buffers being slices of the mapped file: some 13 MiB
// in all).
// Decoding a block from the mapped file costs some 70 allocations, more
// than a fifth of a row-with-proof request's, so the blocks asked for
// first are kept decoded; beyond the budget a block is decoded per request
// as before (first come, kept: no eviction, so no reader can see a block
// released under it).
const maxCachedBlocks = 4096

// cachedBlocks counts the decoded blocks kept by every rowBlocks.
var cachedBlocks atomic.Int64

// decoded holds one rowBlocks' decoded blocks by block index (nil: not
// kept). A kept batch holds one reference that is never released while it
// is kept, so a reader's Retain/Release never frees its buffers.
type decoded struct {
	slots []atomic.Pointer[arrow.RecordBatch]
	n     atomic.Int64 // slots filled, given back to cachedBlocks by forget
}

func newDecoded(blocks int) *decoded {
	return &decoded{slots: make([]atomic.Pointer[arrow.RecordBatch], blocks)}
}

// block returns block i retained for the caller (who releases it),
// decoding it with read when it is not kept, and keeping it when the
// process's budget allows.
func (d *decoded) block(i int, read func(int) (arrow.RecordBatch, error)) (arrow.RecordBatch, error) {
	if p := d.slots[i].Load(); p != nil {
		(*p).Retain()
		return *p, nil
	}
	rec, err := read(i)
	if err != nil {
		return nil, err
	}
	if cachedBlocks.Add(1) > maxCachedBlocks {
		cachedBlocks.Add(-1)
		return rec, nil
	}
	rec.Retain() // the slot's reference
	if !d.slots[i].CompareAndSwap(nil, &rec) {
		rec.Release() // another request kept its copy first
		cachedBlocks.Add(-1)
		return rec, nil
	}
	d.n.Add(1)
	return rec, nil
}

// forget gives the kept blocks' budget back (the batches are left to the
// garbage collector: a request may still read one).
func (d *decoded) forget() {
	cachedBlocks.Add(-d.n.Swap(0))
}
