package sqlview

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Dir is the store-relative folder of the Parquet copies.
const Dir = "sql"

// DefaultRowGroupRows is the most rows a Parquet row group holds: DuckDB
// scans one row group per thread, so a 1 Mi-row segment gives 16 units.
const DefaultRowGroupRows = 1 << 16

// ParquetPath is the store-relative path of a segment's Parquet copy.
func ParquetPath(segment datasets.Hash) string { return Dir + "/" + segment.Hex() + ".parquet" }

// Writer writes the Parquet copy of one segment from its record batches, as
// the seal produces them, into a temporary file; Commit names it by the
// segment's SHA-256. Row groups hold DefaultRowGroupRows rows whatever the
// batches, so the copy depends only on the rows.
type Writer struct {
	root   string
	schema *datasets.Schema
	out    *arrow.Schema
	file   *os.File
	bufw   *bufio.Writer
	pw     *pqarrow.FileWriter
	rows   uint64
	done   bool
	closed bool
	// text marks the uint256/int256 columns (by schema index) with a
	// value beyond DECIMAL(38,0); Commit records them in the footer.
	text []bool
	// maxAbs is the largest |value| of each uint256/int256 column in
	// DECIMAL(38,0) (by schema index), recorded in the footer too.
	maxAbs []decimal128.Num
}

// NewWriter starts the Parquet copy of a segment with schema s under root.
func NewWriter(root string, s *datasets.Schema) (*Writer, error) {
	return newWriter(root, s, CopyCreatedBy)
}

// newWriter is NewWriter with the footer's created_by given: a copy is
// proven by writing it again with the created_by its footer carries.
func newWriter(root string, s *datasets.Schema, createdBy string) (*Writer, error) {
	out, err := parquetSchema(s)
	if err != nil {
		return nil, err
	}
	f, err := datasets.CreateTemp(root, "sql-*.parquet")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrParquet, err)
	}
	w := &Writer{root: root, schema: s, out: out, file: f, bufw: bufio.NewWriterSize(f, 1<<20), text: make([]bool, len(s.Columns)), maxAbs: make([]decimal128.Num, len(s.Columns))}
	props := parquet.NewWriterProperties(writerProps(s, createdBy)...)
	w.pw, err = pqarrow.NewFileWriter(out, w.bufw, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(memory.DefaultAllocator)))
	if err != nil {
		w.Abort()
		return nil, fmt.Errorf("%w: %v", ErrParquet, err)
	}
	return w, nil
}

// writerProps are the Parquet settings of a copy of a segment with schema
// s by the writer named createdBy: zstd at its fastest level, row groups
// of DefaultRowGroupRows, statistics, no dictionaries. Measured on 1 Mi
// votes rows (CPU time, loaded machine): dictionaries cost 12 % more CPU
// for a copy 1 % larger; leaving hashes and addresses uncompressed saves
// 20 % CPU but makes the copy 19 % larger (over the disk budget of 1.0×
// the segments); snappy is 19 % larger for no gain; 256 Ki-row groups or
// v2 pages change nothing that matters. CopyCreatedBy leaves the address
// and bytes32 columns without statistics: the views show them as
// '0x' || lower(hex(col)), a filter on which DuckDB never prunes with the
// column's statistics, and the min and max of random 20- and 32-byte
// values cost about 2 % of a seal writing the copies (BenchmarkSQLView).
// Any other createdBy is an earlier writer's, with statistics everywhere.
func writerProps(s *datasets.Schema, createdBy string) []parquet.WriterProperty {
	props := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(1),
		parquet.WithMaxRowGroupLength(DefaultRowGroupRows),
		parquet.WithDictionaryDefault(false),
		parquet.WithStats(true),
		parquet.WithCreatedBy(createdBy),
	}
	if createdBy != CopyCreatedBy {
		return props
	}
	for _, c := range s.Columns {
		if hexColumn(c.Type) {
			props = append(props, parquet.WithStatsPath(parquet.ColumnPath{c.Name}, false))
		}
	}
	return props
}

// Write adds the rows of rec, a batch of the segment (its Arrow schema).
func (w *Writer) Write(rec arrow.RecordBatch) error {
	if err := w.schema.CheckArrow(rec.Schema()); err != nil {
		return fmt.Errorf("%w: %v", ErrInput, err)
	}
	conv, err := convertBatch(memory.DefaultAllocator, w.schema, w.out, rec, w.text, w.maxAbs)
	if err != nil {
		return err
	}
	defer conv.Release()
	if err := w.pw.WriteBuffered(conv); err != nil {
		return fmt.Errorf("%w: %v", ErrParquet, err)
	}
	w.rows += uint64(rec.NumRows())
	return nil
}

// Rows returns the number of rows written so far.
func (w *Writer) Rows() uint64 { return w.rows }

// Close writes the footer and flushes the temporary file, releasing the
// writer's buffers; Commit then names it. Commit calls it when needed.
func (w *Writer) Close() error {
	if w.done || w.closed {
		return nil
	}
	w.closed = true
	if err := w.writeFooterKeys(); err != nil {
		w.pw.Close()
		return err
	}
	if err := w.pw.Close(); err != nil {
		return fmt.Errorf("%w: closing %s: %v", ErrParquet, w.file.Name(), err)
	}
	w.pw = nil
	if err := w.bufw.Flush(); err != nil {
		return fmt.Errorf("%w: writing %s: %v", ErrParquet, w.file.Name(), err)
	}
	w.bufw = nil
	return nil
}

// Commit closes the file and makes it durable as ParquetPath(segment):
// fsync, rename, fsync of the folder. It returns the store-relative path.
func (w *Writer) Commit(segment datasets.Hash) (string, error) {
	if w.done {
		return "", fmt.Errorf("%w: writer already finished", ErrInput)
	}
	if !w.closed {
		if err := w.Close(); err != nil {
			w.done = true
			w.removeTemp()
			return "", err
		}
	}
	w.done = true
	rel := ParquetPath(segment)
	if err := datasets.CommitFile(w.file, w.root, rel); err != nil {
		return "", fmt.Errorf("%w: %v", ErrParquet, err)
	}
	return rel, nil
}

// Abort removes the temporary file.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	if w.pw != nil && !w.closed {
		w.pw.Close()
	}
	w.removeTemp()
}

func (w *Writer) removeTemp() {
	w.file.Close()
	os.Remove(w.file.Name())
}

// WriteSegment writes the Parquet copy of a committed segment from its
// segment file under root, unless a readable copy of this format with the
// segment's rows exists already. It returns the copy's store-relative path.
func WriteSegment(ctx context.Context, root string, ref datasets.SegmentRef, s *datasets.Schema) (string, error) {
	rel := ParquetPath(ref.SHA256)
	if info, err := ReadCopyInfo(filepath.Join(root, rel)); err == nil && info.Rows == ref.Rows {
		return rel, nil
	}
	sr, err := datasets.OpenSegment(root, ref, s)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrParquet, err)
	}
	defer sr.Close()
	return copyBatches(ctx, root, s, ref.SHA256, CopyCreatedBy, sr.NumBatches(), sr.Batch)
}

func copyBatches(ctx context.Context, root string, s *datasets.Schema, sum datasets.Hash, createdBy string, n int, batch func(int) (arrow.RecordBatch, error)) (string, error) {
	w, err := newWriter(root, s, createdBy)
	if err != nil {
		return "", err
	}
	for b := 0; b < n; b++ {
		if err := ctx.Err(); err != nil {
			w.Abort()
			return "", err
		}
		rec, err := batch(b)
		if err != nil {
			w.Abort()
			return "", fmt.Errorf("%w: %v", ErrParquet, err)
		}
		err = w.Write(rec)
		rec.Release()
		if err != nil {
			w.Abort()
			return "", err
		}
	}
	return w.Commit(sum)
}

// Rebuild recreates the Parquet copy of the segment file at segmentPath
// (absolute, or relative to root; segments/xx/<sha256>.arrow) from the file
// alone: the schema is read from the file's own metadata and the file's
// bytes must hash to the SHA-256 its name carries. An existing copy is
// replaced. It returns the copy's store-relative path.
func Rebuild(ctx context.Context, root, segmentPath string) (string, error) {
	if !filepath.IsAbs(segmentPath) {
		segmentPath = filepath.Join(root, segmentPath)
	}
	name := strings.TrimSuffix(filepath.Base(segmentPath), ".arrow")
	want, err := datasets.ParseHash(name)
	if err != nil || !strings.HasSuffix(segmentPath, ".arrow") {
		return "", fmt.Errorf("%w: %s is not a segment file (segments/xx/<sha256>.arrow)", ErrInput, segmentPath)
	}
	os.Remove(filepath.Join(root, ParquetPath(want)))
	return copyOfFile(ctx, segmentPath, want, root, CopyCreatedBy)
}

// copyOfFile writes, under dst, the Parquet copy of the segment file at
// segmentPath, whose bytes must hash to want; the schema is read from the
// file's own metadata. It returns the copy's path relative to dst.
func copyOfFile(ctx context.Context, segmentPath string, want datasets.Hash, dst, createdBy string) (string, error) {
	raw, err := os.ReadFile(segmentPath)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrParquet, err)
	}
	if got := datasets.Hash(sha256.Sum256(raw)); got != want {
		return "", fmt.Errorf("%w: segment %s hashes to %s, not the SHA-256 its name carries (%s)", ErrParquet, segmentPath, got.Hex(), want.Hex())
	}
	r, err := ipc.NewFileReader(bytes.NewReader(raw), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return "", fmt.Errorf("%w: segment %s is not a readable Arrow IPC file: %v", ErrParquet, segmentPath, err)
	}
	defer r.Close()
	s, err := datasets.SchemaFromArrow(r.Schema())
	if err != nil {
		return "", fmt.Errorf("%w: segment %s: %v", ErrParquet, segmentPath, err)
	}
	return copyBatches(ctx, dst, s, want, createdBy, r.NumRecords(), r.RecordBatchAt)
}

// segmentCopy is a Writer as a datasets.SegmentCopy.
type segmentCopy struct{ *Writer }

// Sync makes the closed copy durable in its temporary file.
func (c segmentCopy) Sync() error {
	if !c.closed || c.done {
		return fmt.Errorf("%w: sync of a copy that is not closed", ErrInput)
	}
	if err := c.file.Sync(); err != nil {
		return fmt.Errorf("%w: fsync %s: %v", ErrParquet, c.file.Name(), err)
	}
	return nil
}

// Commit makes the copy durable as ParquetPath(segment).
func (c segmentCopy) Commit(segment datasets.Hash) error {
	_, err := c.Writer.Commit(segment)
	return err
}

// CopyFactory returns the datasets.BuilderOptions.Copy that writes the
// Parquet copy of every new segment (schema s) under root inside the seal,
// from the batches the seal holds: no second read of the segment file.
func CopyFactory(root string, s *datasets.Schema) func() (datasets.SegmentCopy, error) {
	return func() (datasets.SegmentCopy, error) {
		w, err := NewWriter(root, s)
		if err != nil {
			return nil, err
		}
		return segmentCopy{w}, nil
	}
}
