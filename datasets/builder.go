package datasets

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
)

// BuilderOptions tune how a Builder cuts and writes segments.
type BuilderOptions struct {
	// SegmentRows is the number of rows per segment file (default 1 Mi).
	SegmentRows int
	// BatchRows is the target rows per IPC record batch (default 64 Ki).
	BatchRows int
	// Workers is how many segments are written in parallel (default GOMAXPROCS).
	Workers int
}

func (o *BuilderOptions) withDefaults() BuilderOptions {
	out := *o
	if out.SegmentRows <= 0 {
		out.SegmentRows = 1 << 20
	}
	if out.BatchRows <= 0 {
		out.BatchRows = 1 << 16
	}
	if out.Workers <= 0 {
		out.Workers = runtime.GOMAXPROCS(0)
	}
	return out
}

// segmentJob is one segment being written by a worker goroutine.
type segmentJob struct {
	in   chan arrow.RecordBatch
	done chan struct{}
	ref  SegmentRef
	acc  *Accumulator
	err  error
}

// Builder writes the new rows of a version as segment files, several
// segments in parallel, and computes the version's Merkle tree. Write must be
// called from one goroutine; records are not modified and may be released by
// the caller after Write returns.
type Builder struct {
	root   string
	schema *Schema
	opts   BuilderOptions
	sem    chan struct{}

	next    uint64 // leaf index of the next row
	curRows int    // rows sent to the current segment
	cur     *segmentJob
	jobs    []*segmentJob
	failed  error
}

// NewBuilder starts writing rows whose first leaf index is firstLeaf (the
// number of rows kept from the parent for an append).
func NewBuilder(root string, s *Schema, firstLeaf uint64, opts BuilderOptions) (*Builder, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	return &Builder{root: root, schema: s, opts: o, sem: make(chan struct{}, o.Workers), next: firstLeaf}, nil
}

// NextLeaf returns the leaf index the next written row will have.
func (b *Builder) NextLeaf() uint64 { return b.next }

// Write adds the rows of rec, which must match the builder's schema.
func (b *Builder) Write(rec arrow.RecordBatch) error {
	if b.failed != nil {
		return b.failed
	}
	if err := b.schema.CheckArrow(rec.Schema()); err != nil {
		return err
	}
	for off := int64(0); off < rec.NumRows(); {
		if b.cur == nil || b.curRows == b.opts.SegmentRows {
			if err := b.startSegment(); err != nil {
				return err
			}
		}
		n := min(rec.NumRows()-off, int64(b.opts.SegmentRows-b.curRows))
		part := rec.NewSlice(off, off+n)
		b.cur.in <- part
		b.curRows += int(n)
		b.next += uint64(n)
		off += n
	}
	return nil
}

func (b *Builder) startSegment() error {
	if b.cur != nil {
		close(b.cur.in)
	}
	b.sem <- struct{}{}
	sw, err := NewSegmentWriter(b.root, b.schema, b.next, b.opts.BatchRows)
	if err != nil {
		<-b.sem
		b.failed = err
		return err
	}
	job := &segmentJob{in: make(chan arrow.RecordBatch, 4), done: make(chan struct{})}
	b.cur, b.curRows = job, 0
	b.jobs = append(b.jobs, job)
	go b.runSegment(job, sw)
	return nil
}

// runSegment drains a segment's records into its writer.
func (b *Builder) runSegment(job *segmentJob, sw *SegmentWriter) {
	defer func() { <-b.sem; close(job.done) }()
	for rec := range job.in {
		if job.err == nil {
			job.err = sw.Write(rec)
		}
		rec.Release()
	}
	if job.err != nil {
		sw.Abort()
		return
	}
	job.ref, job.acc, job.err = sw.Finish()
}

// Finish waits for every segment and returns them in order with the
// accumulator over all new leaves (it begins at firstLeaf).
func (b *Builder) Finish() ([]SegmentRef, *Accumulator, error) {
	b.closeAll()
	var refs []SegmentRef
	var acc *Accumulator
	var firstErr error
	for _, j := range b.jobs {
		if j.err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("writing segment: %w", j.err)
			}
			continue
		}
		refs = append(refs, j.ref)
		if acc == nil {
			acc = j.acc
		} else if err := acc.Join(j.acc); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return nil, nil, firstErr
	}
	if acc == nil {
		acc = NewAccumulator(b.next)
	}
	return refs, acc, nil
}

// Abort stops the builder and waits for its workers. Segment files already
// made durable are left for the store's sweep of unreferenced files.
func (b *Builder) Abort() {
	b.failed = fmt.Errorf("builder aborted")
	b.closeAll()
}

func (b *Builder) closeAll() {
	if b.cur != nil {
		close(b.cur.in)
		b.cur = nil
	}
	var wg sync.WaitGroup
	for _, j := range b.jobs {
		wg.Add(1)
		go func() { <-j.done; wg.Done() }()
	}
	wg.Wait()
}
