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
	// Workers is the number of goroutines hashing rows (default GOMAXPROCS).
	Workers int
	// Copy, when set, starts a derived copy of each new segment (the
	// store's Parquet copy for SQL), fed the segment's records on a
	// goroutine of its own while the segment file is compressed and
	// written, and committed after the segment file, with its SHA-256.
	// The copy never changes the segment's bytes.
	Copy func() (SegmentCopy, error)
}

// SegmentCopy is a derived copy of one segment that a Builder writes with
// the segment file (see BuilderOptions.Copy).
type SegmentCopy interface {
	// Write adds the next rows of the segment, in order; rec is released
	// by the builder after Write returns.
	Write(rec arrow.RecordBatch) error
	// Close ends the input once the segment's rows are written: the copy
	// writes what it buffers and releases its memory (segments are
	// committed only when the whole version is written).
	Close() error
	// Sync makes the closed copy's bytes durable where they are (fsync of
	// its temporary file), ahead of Commit, which then only names it. The
	// builder calls it once Close succeeded, from the segment's goroutine
	// while later segments are still being written.
	Sync() error
	// Commit makes the copy durable once the segment file is, named by
	// the segment's SHA-256.
	Commit(segment Hash) error
	// Abort discards the copy.
	Abort()
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

// segmentJob is one segment: its IPC file is written by its own goroutine,
// its leaves are added in order by the builder's orderer.
type segmentJob struct {
	firstLeaf uint64
	in        chan arrow.RecordBatch
	done      chan struct{}
	file      *segmentFile
	fileErr   error
	leaves    *leafFile
	// copy, when set, is the segment's derived copy, fed through copyIn
	// by its own goroutine (copyDone closes when it has drained).
	copy     SegmentCopy
	copyIn   chan arrow.RecordBatch
	copyDone chan struct{}
	copyErr  error
	// syncErr is the first error of making the segment's finished files
	// durable ahead of Finish (syncFiles).
	syncErr error
	// leavesErr is the error of the background fsync of the leaf file.
	leavesErr error
}

// hashJob asks a worker for the leaf hashes of one record part.
type hashJob struct {
	seq int
	job *segmentJob
	rec arrow.RecordBatch
}

type hashResult struct {
	seq    int
	job    *segmentJob
	leaves []Hash
	err    error
}

// Builder writes the new rows of a version as segment files and computes
// the version's Merkle tree. Work is spread over goroutines: workers hash
// rows in parallel, an orderer adds their leaves to the tree in row order,
// and each segment's IPC file is compressed and written by its own
// goroutine. Write must be called from one goroutine; records are not
// modified and may be released by the caller after Write returns.
type Builder struct {
	root   string
	schema *Schema
	as     *arrow.Schema
	opts   BuilderOptions

	next    uint64 // leaf index of the next row
	curRows int    // rows sent to the current segment
	seq     int    // sequence number of the next record part
	cur     *segmentJob
	jobs    []*segmentJob
	fileSem chan struct{}

	hashIn    chan hashJob
	hashOut   chan hashResult
	hashWG    sync.WaitGroup
	orderDone chan struct{}
	orderErr  error
	// leafJob is the segment the orderer adds leaves to; leafSync counts
	// the background fsyncs of the finished leaf files before it.
	leafJob  *segmentJob
	leafSync sync.WaitGroup
	// leafBufs holds leaf slices the orderer is done with, for the
	// workers to reuse (a 64 Ki-row part's leaves are 2 MiB).
	leafBufs chan []Hash
	closed   bool
	failed   error
}

// NewBuilder starts writing rows whose first leaf index is firstLeaf (the
// number of rows kept from the parent for an append).
func NewBuilder(root string, s *Schema, firstLeaf uint64, opts BuilderOptions) (*Builder, error) {
	as, err := s.ArrowSchema()
	if err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	b := &Builder{
		root: root, schema: s, as: as, opts: o, next: firstLeaf,
		fileSem: make(chan struct{}, 2),
		hashIn:  make(chan hashJob, 2*o.Workers), hashOut: make(chan hashResult, o.Workers),
		orderDone: make(chan struct{}), leafBufs: make(chan []Hash, 2*o.Workers+2),
	}
	for i := 0; i < o.Workers; i++ {
		b.hashWG.Add(1)
		go b.hashWorker()
	}
	go b.runOrderer()
	return b, nil
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
		PrimeNullCounts(part) // the hash worker, the file and the copy read it at once
		part.Retain()         // one reference for the hash worker, one for the file
		b.hashIn <- hashJob{seq: b.seq, job: b.cur, rec: part}
		b.cur.in <- part
		b.seq++
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
	b.fileSem <- struct{}{}
	sf, err := newSegmentFile(b.root, b.as, b.opts.BatchRows)
	if err != nil {
		<-b.fileSem
		b.cur, b.failed = nil, err
		return err
	}
	job := &segmentJob{firstLeaf: b.next, in: make(chan arrow.RecordBatch, 4), done: make(chan struct{}), file: sf}
	if b.opts.Copy != nil {
		if job.copy, err = b.opts.Copy(); err != nil {
			sf.abort()
			<-b.fileSem
			b.cur, b.failed = nil, err
			return err
		}
		job.copyIn, job.copyDone = make(chan arrow.RecordBatch, 4), make(chan struct{})
		go job.writeCopy()
	}
	b.cur, b.curRows = job, 0
	b.jobs = append(b.jobs, job)
	go b.writeFile(job)
	return nil
}

// writeCopy drains a segment's records into its derived copy.
func (j *segmentJob) writeCopy() {
	defer close(j.copyDone)
	for rec := range j.copyIn {
		if j.copyErr == nil {
			j.copyErr = j.copy.Write(rec)
		}
		rec.Release()
	}
	if j.copyErr == nil {
		j.copyErr = j.copy.Close()
	}
}

// writeFile drains a segment's records into its IPC file, handing each
// to the copy's goroutine too; once both are written it gives the next
// segment its place (fileSem) and makes the finished files durable while
// the later segments are written, so Finish's commit renames files whose
// fsync (about 25 ms each) is already done instead of waiting for every
// one of them in turn at the end.
func (b *Builder) writeFile(job *segmentJob) {
	defer close(job.done)
	b.fillFile(job)
	<-b.fileSem
	job.syncErr = job.syncFiles()
}

// syncFiles fsyncs a segment's file and its copy once both are closed.
func (j *segmentJob) syncFiles() error {
	if j.fileErr != nil || j.copyErr != nil {
		return nil // the build fails: nothing to make durable
	}
	if err := j.file.file.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", j.file.file.Name(), err)
	}
	if j.copy != nil {
		if err := j.copy.Sync(); err != nil {
			return fmt.Errorf("fsync of the copy of a segment: %w", err)
		}
	}
	return nil
}

// fillFile writes a segment's records into its IPC file and its copy.
func (b *Builder) fillFile(job *segmentJob) {
	for rec := range job.in {
		if job.copyIn != nil {
			rec.Retain()
			job.copyIn <- rec
		}
		if job.fileErr == nil {
			job.fileErr = job.file.write(rec)
		}
		rec.Release()
	}
	if job.fileErr == nil {
		job.fileErr = job.file.close()
	}
	if job.copyIn != nil {
		close(job.copyIn)
		<-job.copyDone
	}
}

// hashWorker computes leaf hashes of record parts.
func (b *Builder) hashWorker() {
	defer b.hashWG.Done()
	enc, err := NewRowEncoder(b.schema)
	buf := make([]byte, 1, 4096)
	for j := range b.hashIn {
		res := hashResult{seq: j.seq, job: j.job, err: err}
		if err == nil {
			var leaves []Hash
			select {
			case leaves = <-b.leafBufs:
			default:
			}
			res.leaves, buf, res.err = hashRows(enc, buf, leaves, j.rec)
		}
		j.rec.Release()
		b.hashOut <- res
	}
}

// runOrderer adds leaves to their segment's tree in row order.
func (b *Builder) runOrderer() {
	defer close(b.orderDone)
	pending := map[int]hashResult{}
	next := 0
	for res := range b.hashOut {
		pending[res.seq] = res
		for r, ok := pending[next]; ok; r, ok = pending[next] {
			delete(pending, next)
			next++
			if b.orderErr == nil {
				b.orderErr = b.addLeaves(r)
			}
			select {
			case b.leafBufs <- r.leaves:
			default: // enough spares: let this one go
			}
		}
	}
}

func (b *Builder) addLeaves(r hashResult) error {
	if r.err != nil {
		return r.err
	}
	if r.job.leaves == nil {
		b.syncLeaves(r.job)
		lf, err := newLeafFile(b.root, r.job.firstLeaf)
		if err != nil {
			return err
		}
		r.job.leaves = lf
	}
	return r.job.leaves.add(r.leaves)
}

// syncLeaves makes the leaf file of the orderer's previous segment
// durable in the background once the orderer moves on to the next one (its
// last leaves are in); Finish waits for it before committing.
func (b *Builder) syncLeaves(next *segmentJob) {
	prev := b.leafJob
	b.leafJob = next
	if prev == nil || prev.leaves == nil {
		return
	}
	if err := prev.leaves.close(); err != nil {
		prev.leavesErr = err
		return
	}
	b.leafSync.Add(1)
	go func() {
		defer b.leafSync.Done()
		if err := prev.leaves.file.Sync(); err != nil {
			prev.leavesErr = fmt.Errorf("fsync %s: %w", prev.leaves.file.Name(), err)
		}
	}()
}

// drain closes the inputs and waits for every goroutine.
func (b *Builder) drain() {
	if b.closed {
		return
	}
	b.closed = true
	if b.cur != nil {
		close(b.cur.in)
	}
	close(b.hashIn)
	b.hashWG.Wait()
	close(b.hashOut)
	<-b.orderDone
	for _, j := range b.jobs {
		<-j.done
	}
	b.leafSync.Wait()
}

// Finish waits for every segment, makes the files durable under their
// content address and returns the segments in order with the accumulator
// over all new leaves (it begins at the builder's first leaf).
func (b *Builder) Finish() ([]SegmentRef, *Accumulator, error) {
	b.drain()
	if err := b.firstError(); err != nil {
		b.abortFiles()
		return nil, nil, fmt.Errorf("writing segments: %w", err)
	}
	var refs []SegmentRef
	var acc *Accumulator
	for i, j := range b.jobs {
		ref, err := b.commitSegment(j)
		if err != nil {
			for _, rest := range b.jobs[i:] {
				rest.abort()
			}
			return nil, nil, err
		}
		refs = append(refs, ref)
		if acc == nil {
			acc = j.leaves.acc
		} else if err := acc.Join(j.leaves.acc); err != nil {
			return nil, nil, err
		}
	}
	if acc == nil {
		acc = NewAccumulator(b.next)
	}
	return refs, acc, nil
}

func (b *Builder) firstError() error {
	if b.failed != nil {
		return b.failed
	}
	if b.orderErr != nil {
		return b.orderErr
	}
	for _, j := range b.jobs {
		if j.fileErr != nil {
			return j.fileErr
		}
		if j.copyErr != nil {
			return fmt.Errorf("writing the copy of a segment: %w", j.copyErr)
		}
		if j.syncErr != nil {
			return j.syncErr
		}
		if j.leavesErr != nil {
			return j.leavesErr
		}
	}
	return nil
}

// commitSegment renames a segment's files to their content address.
func (b *Builder) commitSegment(j *segmentJob) (SegmentRef, error) {
	sum := j.file.sum()
	ref := SegmentRef{Path: SegmentPath(sum), SHA256: sum, Rows: j.file.rows, Bytes: j.file.hw.n}
	if j.leaves == nil || j.leaves.acc.End()-j.leaves.acc.Begin() != ref.Rows {
		return ref, fmt.Errorf("%w: segment %s has %d rows but its leaves do not match", ErrIntegrity, ref.Path, ref.Rows)
	}
	if err := j.leaves.close(); err != nil {
		return ref, err
	}
	if err := CommitFile(j.leaves.file, b.root, LeavesPath(sum)); err != nil {
		return ref, err
	}
	if err := CommitFile(j.file.file, b.root, ref.Path); err != nil {
		return ref, err
	}
	if j.copy != nil {
		c := j.copy
		j.copy = nil // committed or aborted by its own Commit
		if err := c.Commit(sum); err != nil {
			return ref, fmt.Errorf("committing the copy of segment %s: %w", ref.Path, err)
		}
	}
	return ref, nil
}

func (j *segmentJob) abort() {
	j.file.abort()
	if j.leaves != nil {
		j.leaves.abort()
	}
	if j.copy != nil {
		j.copy.Abort()
		j.copy = nil
	}
}

// Abort stops the builder, waits for its goroutines and removes its
// temporary files. Segment files already made durable are left for the
// store's sweep of unreferenced files.
func (b *Builder) Abort() {
	if b.failed == nil {
		b.failed = fmt.Errorf("builder aborted")
	}
	b.drain()
	b.abortFiles()
}

func (b *Builder) abortFiles() {
	for _, j := range b.jobs {
		j.abort()
	}
}
