package file

import (
	"context"
	"fmt"
	"io"
	"math/big"

	"github.com/apache/arrow-go/v18/parquet"
	pqfile "github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// pqChunkRows is how many rows are read from each column at a time.
const pqChunkRows = 4096

// fetchParquet reads a whole parquet file. A file already read whole
// yields nothing; any other change is ErrChanged. A fetch that stops
// before the last row (Partial) records the file's stamp, and the next
// part of an unchanged file (same stamp) trusts the SHA-256 computed
// then instead of hashing the whole file twice again; the last part
// hashes the file once more and compares.
func (s *Source) fetchParquet(ctx context.Context, fst fileState, size int64, c cursor, emit sources.Emit) (sources.Result, error) {
	f := fst.f
	digest := c.SHA256
	resumed := c.Partial && c.File != nil && fst.stamped && c.File.stamp == fst.stamp && c.File.SHA256 == c.SHA256 && c.Bytes == size
	if !resumed {
		sc, err := scanFile(ctx, f, size, size)
		if err != nil {
			return sources.Result{}, s.wrapIO(ctx, err)
		}
		digest = sc.digest
	}
	if c.Bytes != 0 || c.Records != 0 {
		if c.Bytes != size || c.SHA256 != digest {
			return sources.Result{}, s.changedErr("changed: parquet files are read whole, and it had %d bytes with SHA-256 %s when read before and has %d bytes with SHA-256 %s now", c.Bytes, c.SHA256, size, digest)
		}
		if !c.Partial {
			return s.result(c, digest), nil
		}
	}
	b := s.newBatcher(ctx, s.mem, digest[:], emit)
	defer b.release()
	b.skip = c.Records
	if err := s.readParquet(ctx, io.NewSectionReader(f, 0, size), b); err != nil && !b.enough {
		return sources.Result{}, err
	}
	if !b.enough {
		if err := b.finish(); err != nil {
			return sources.Result{}, err
		}
	}
	if err := s.ctxErr(ctx); err != nil {
		return sources.Result{}, err
	}
	next := cursor{Bytes: size, SHA256: digest, Records: c.Records + b.total}
	if b.enough && next.Records < b.rowsInFile {
		next.Partial = true
	}
	if next.Partial && fst.unchanged() {
		next.File = &partResume{stamp: fst.stamp, SHA256: digest}
	} else if err := s.rehashParquet(ctx, f, size, digest, resumed); err != nil {
		return sources.Result{}, err
	}
	if b.total == 0 {
		s.logger.InfoContext(ctx, "file source: the file holds no records", "source", s.id, "file", s.cfg.Path)
	}
	res := s.result(next, digest)
	res.BadValues = b.bad
	return res, nil
}

// rehashParquet hashes the file again after a read and compares.
func (s *Source) rehashParquet(ctx context.Context, f readFile, size int64, digest datasets.Hash, resumed bool) error {
	again, err := scanFile(ctx, f, size, size)
	if err != nil {
		return s.wrapIO(ctx, err)
	}
	switch {
	case again.digest == digest:
		return nil
	case resumed:
		return s.changedErr("changed while being read in parts (SHA-256 %s when its first part was read, %s now)", digest, again.digest)
	default:
		return s.changedErr("changed while being read (SHA-256 %s, then %s)", digest, again.digest)
	}
}

// readParquet reads every row group; a malformed file that makes the
// parquet reader panic is reported as bad input.
func (s *Source) readParquet(ctx context.Context, r parquet.ReaderAtSeeker, b *batcher) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = s.inputErr(0, "cannot read the parquet file: %v", p)
		}
	}()
	pr, err := pqfile.NewParquetReader(r)
	if err != nil {
		return s.inputErr(0, "not a readable parquet file: %v", err)
	}
	defer pr.Close()
	cols, err := s.parquetColumns(pr.MetaData().Schema)
	if err != nil {
		return err
	}
	var row uint64
	b.rowsInFile = uint64(pr.NumRows())
	for g := range pr.NumRowGroups() {
		if err := s.ctxErr(ctx); err != nil {
			return err
		}
		rg := pr.RowGroup(g)
		if n := uint64(rg.NumRows()); row+n <= b.skip {
			row += n // read by an earlier fetch that stopped (Partial)
			continue
		}
		n, err := s.readRowGroup(rg, cols, row, b)
		if err != nil {
			return err
		}
		row += n
	}
	return nil
}

// pqCol reads one declared column from the current row group.
type pqCol struct {
	leaf  int
	desc  *schema.Column
	rd    pqfile.ColumnChunkReader
	defs  []int16
	cells []cell
	buf   any // reused value buffer
}

// parquetColumns finds each declared column's leaf column.
func (s *Source) parquetColumns(sch *schema.Schema) ([]*pqCol, error) {
	cols := make([]*pqCol, len(s.cfg.Columns))
	for i := range s.cfg.Columns {
		name := s.inputName(i)
		leaf := sch.ColumnIndexByName(name)
		if leaf < 0 {
			var names []string
			for j := range sch.NumColumns() {
				names = append(names, sch.Column(j).Path())
			}
			return nil, s.cellErr(0, i, fmt.Sprintf("input column %q is not in the parquet file (it has: %s)", name, headerList(names)))
		}
		desc := sch.Column(leaf)
		if desc.MaxRepetitionLevel() > 0 {
			return nil, s.cellErr(0, i, fmt.Sprintf("input column %q is repeated (a list); only flat columns are supported", name))
		}
		cols[i] = &pqCol{leaf: leaf, desc: desc, defs: make([]int16, pqChunkRows), cells: make([]cell, pqChunkRows)}
	}
	return cols, nil
}

// readRowGroup reads the rows of one row group; first is the number of
// rows before it. It returns the number of rows read.
func (s *Source) readRowGroup(rg *pqfile.RowGroupReader, cols []*pqCol, first uint64, b *batcher) (uint64, error) {
	for i, c := range cols {
		rd, err := rg.Column(c.leaf)
		if err != nil {
			return 0, s.cellErr(first+1, i, fmt.Sprintf("cannot read the column: %v", err))
		}
		c.rd = rd
	}
	total := rg.NumRows()
	row := make([]cell, len(cols))
	for off := int64(0); off < total; off += pqChunkRows {
		n := min(pqChunkRows, total-off)
		for i, c := range cols {
			if k, err := c.read(n); err != nil {
				return 0, s.cellErr(first+uint64(off)+uint64(k)+1, i, err.Error())
			}
		}
		for k := range n {
			for i, c := range cols {
				row[i] = c.cells[k]
			}
			if first+uint64(off+k) < b.skip {
				continue
			}
			if err := b.add(first+uint64(off+k)+1, row); err != nil {
				return 0, err
			}
		}
	}
	return uint64(total), nil
}

// batchReader is the ReadBatch method of parquet's typed column readers.
type batchReader[T any] interface {
	ReadBatch(n int64, values []T, defs, reps []int16) (int64, int, error)
}

// readTyped reads n rows into c.cells, converting values with conv. On a
// conversion error it returns the row's index within the chunk.
func readTyped[T any](c *pqCol, rd batchReader[T], n int64, conv func(T) (cell, error)) (int, error) {
	vals, _ := c.buf.([]T)
	if int64(len(vals)) < n {
		vals = make([]T, pqChunkRows)
		c.buf = vals
	}
	levels, nv, err := rd.ReadBatch(n, vals, c.defs, nil)
	if err != nil {
		return 0, fmt.Errorf("cannot read the column: %w", err)
	}
	if levels != n {
		return int(levels), fmt.Errorf("the column ends after %d of %d rows", levels, n)
	}
	maxDef, v := c.desc.MaxDefinitionLevel(), 0
	for k := range int(n) {
		if maxDef > 0 && c.defs[k] < maxDef {
			c.cells[k] = cell{kind: cellNull}
			continue
		}
		if v >= nv {
			return k, fmt.Errorf("the column has fewer values than rows")
		}
		if c.cells[k], err = conv(vals[v]); err != nil {
			return k, err
		}
		v++
	}
	return 0, nil
}

// read reads the next n rows of the column into c.cells.
func (c *pqCol) read(n int64) (int, error) {
	lt := c.desc.LogicalType()
	switch rd := c.rd.(type) {
	case *pqfile.BooleanColumnChunkReader:
		return readTyped(c, rd, n, func(v bool) (cell, error) { return cell{kind: cellBool, b: v}, nil })
	case *pqfile.Int32ColumnChunkReader:
		return readTyped(c, rd, n, func(v int32) (cell, error) { return intCell(int64(v), 32, lt) })
	case *pqfile.Int64ColumnChunkReader:
		return readTyped(c, rd, n, func(v int64) (cell, error) { return intCell(v, 64, lt) })
	case *pqfile.Int96ColumnChunkReader:
		return readTyped(c, rd, n, func(v parquet.Int96) (cell, error) { return nanosCell(v.ToTime().UnixNano()) })
	case *pqfile.Float32ColumnChunkReader:
		return readTyped(c, rd, n, func(v float32) (cell, error) { return cell{kind: cellFloat, f: float64(v)}, nil })
	case *pqfile.Float64ColumnChunkReader:
		return readTyped(c, rd, n, func(v float64) (cell, error) { return cell{kind: cellFloat, f: v}, nil })
	case *pqfile.ByteArrayColumnChunkReader:
		text := isText(c.desc)
		return readTyped(c, rd, n, func(v parquet.ByteArray) (cell, error) { return bytesCell(v, text, lt), nil })
	case *pqfile.FixedLenByteArrayColumnChunkReader:
		return readTyped(c, rd, n, func(v parquet.FixedLenByteArray) (cell, error) { return bytesCell(v, false, lt), nil })
	}
	return 0, fmt.Errorf("unsupported parquet column type %s", c.desc.PhysicalType())
}

func isText(d *schema.Column) bool {
	switch d.LogicalType().(type) {
	case schema.StringLogicalType, schema.EnumLogicalType, schema.JSONLogicalType:
		return true
	}
	return d.ConvertedType() == schema.ConvertedTypes.UTF8
}

// intCell converts an INT32 or INT64 value according to its logical type.
func intCell(v int64, bits int, lt schema.LogicalType) (cell, error) {
	switch t := lt.(type) {
	case schema.IntLogicalType:
		if !t.IsSigned() {
			return cell{kind: cellUint, u: unsigned(v, bits)}, nil
		}
	case schema.DateLogicalType:
		return cell{kind: cellTime, i: v * 86400 * 1e6}, nil
	case schema.TimestampLogicalType:
		return timestampCell(v, t.TimeUnit())
	case schema.DecimalLogicalType:
		return cell{kind: cellNumber, s: fmt.Sprintf("%de-%d", v, t.Scale())}, nil
	}
	return cell{kind: cellInt, i: v}, nil
}

func unsigned(v int64, bits int) uint64 {
	if bits == 32 {
		return uint64(uint32(v))
	}
	return uint64(v)
}

func timestampCell(v int64, unit schema.TimeUnitType) (cell, error) {
	switch unit {
	case schema.TimeUnitMillis:
		if v > maxInt64.Int64()/1000 || v < minInt64.Int64()/1000 {
			return cell{}, fmt.Errorf("timestamp %d ms is out of range", v)
		}
		return cell{kind: cellTime, i: v * 1000}, nil
	case schema.TimeUnitNanos:
		return nanosCell(v)
	}
	return cell{kind: cellTime, i: v}, nil
}

func nanosCell(ns int64) (cell, error) {
	if ns%1000 != 0 {
		return cell{}, fmt.Errorf("timestamp %d ns has more than microsecond precision", ns)
	}
	return cell{kind: cellTime, i: ns / 1000}, nil
}

// bytesCell converts BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values.
func bytesCell(v []byte, text bool, lt schema.LogicalType) cell {
	if t, ok := lt.(schema.DecimalLogicalType); ok {
		scale := t.Scale()
		u := new(big.Int).SetBytes(v)
		if len(v) > 0 && v[0]&0x80 != 0 {
			u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(v))))
		}
		return cell{kind: cellNumber, s: fmt.Sprintf("%se-%d", u, scale)}
	}
	if text {
		return cell{kind: cellText, s: string(v)}
	}
	return cell{kind: cellBytes, raw: v}
}
