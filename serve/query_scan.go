package serve

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// sqlTypes are the DuckDB types the table function produces: addresses and
// 32-byte hashes as 0x text, timestamps as TIMESTAMPTZ, and uint256/int256
// as decimal text, which the views cast to exact BIGNUM (a table function
// cannot produce BIGNUM), as in the catalog's views.
var sqlTypes = map[datasets.Type]duckdb.Type{
	datasets.TypeBool: duckdb.TYPE_BOOLEAN, datasets.TypeInt8: duckdb.TYPE_TINYINT, datasets.TypeInt16: duckdb.TYPE_SMALLINT,
	datasets.TypeInt32: duckdb.TYPE_INTEGER, datasets.TypeInt64: duckdb.TYPE_BIGINT, datasets.TypeUint8: duckdb.TYPE_UTINYINT,
	datasets.TypeUint16: duckdb.TYPE_USMALLINT, datasets.TypeUint32: duckdb.TYPE_UINTEGER, datasets.TypeUint64: duckdb.TYPE_UBIGINT,
	datasets.TypeFloat64: duckdb.TYPE_DOUBLE, datasets.TypeString: duckdb.TYPE_VARCHAR, datasets.TypeBytes: duckdb.TYPE_BLOB,
	datasets.TypeAddress: duckdb.TYPE_VARCHAR, datasets.TypeBytes32: duckdb.TYPE_VARCHAR, datasets.TypeUint256: duckdb.TYPE_VARCHAR,
	datasets.TypeInt256: duckdb.TYPE_VARCHAR, datasets.TypeTimestamp: duckdb.TYPE_TIMESTAMP_TZ,
}

// scanSources are the open table-function scans of one query.
type scanSources struct {
	mu   sync.Mutex
	open []*versionSource
	err  error // the first refusal of a scan (revoked, corrupt)
}

// fail records why a scan stopped.
func (s *scanSources) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// failure returns the first refusal of a scan, if any.
func (s *scanSources) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *scanSources) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.open {
		v.close()
	}
	s.open = nil
}

// registerScan registers one table function per version the query may
// read, gt_version_<i>() for the i-th of tables in name order, which reads
// that attested version from its segment files. The functions take no
// arguments on purpose: duckdb-go reads a table function's bind arguments
// without a NULL check, so any argument, NULL or typed NULL, smuggled past
// the SQL guard (e.g. through json_execute_serialized_sql) would abort the
// whole process inside DuckDB. With no arguments there is nothing to pass,
// and a caller who reaches a function by name still reads only a version
// its token may read.
func (q *QueryEngine) registerScan(conn *sql.Conn, tables map[string]*versionState, srcs *scanSources) (map[string]string, error) {
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	sort.Strings(names)
	funcs := make(map[string]string, len(names))
	for i, name := range names {
		fn := fmt.Sprintf("gt_version_%d", i)
		if err := q.registerVersionFunc(conn, fn, tables[name], srcs); err != nil {
			return nil, err
		}
		funcs[name] = fn
	}
	return funcs, nil
}

// registerVersionFunc registers fn() as the reader of version v.
func (q *QueryEngine) registerVersionFunc(conn *sql.Conn, fn string, v *versionState, srcs *scanSources) error {
	return duckdb.RegisterTableUDF(conn, fn, duckdb.RowTableFunction{
		BindArguments: func(map[string]any, ...any) (duckdb.RowTableSource, error) {
			src, err := newVersionSource(q.s, v, srcs)
			if err != nil {
				return nil, err
			}
			srcs.mu.Lock()
			srcs.open = append(srcs.open, src)
			srcs.mu.Unlock()
			return src, nil
		},
	})
}

// versionSource produces a version's rows, _row first. Each segment is
// checked against its attested hash (and the version's servability) before
// it is read.
type versionSource struct {
	srv   *Server
	v     *versionState
	srcs  *scanSources
	root  string
	m     *datasets.Manifest
	cols  []duckdb.ColumnInfo
	seg   int
	sr    *checkedSegment
	batch int
	rec   arrow.RecordBatch
	i     int
	row   uint64
}

func newVersionSource(srv *Server, v *versionState, srcs *scanSources) (*versionSource, error) {
	s := &versionSource{srv: srv, v: v, srcs: srcs, root: srv.cfg.Catalog.Root(), m: v.manifest}
	ti, err := duckdb.NewTypeInfo(duckdb.TYPE_UBIGINT)
	if err != nil {
		return nil, err
	}
	s.cols = append(s.cols, duckdb.ColumnInfo{Name: RowColumn, T: ti})
	for _, c := range v.manifest.Schema.Columns {
		ti, err := duckdb.NewTypeInfo(sqlTypes[c.Type])
		if err != nil {
			return nil, err
		}
		s.cols = append(s.cols, duckdb.ColumnInfo{Name: c.Name, T: ti})
	}
	return s, nil
}

// ColumnInfos implements duckdb.RowTableSource.
func (s *versionSource) ColumnInfos() []duckdb.ColumnInfo { return s.cols }

// Init implements duckdb.RowTableSource.
func (s *versionSource) Init() {}

// Cardinality implements duckdb.RowTableSource.
func (s *versionSource) Cardinality() *duckdb.CardinalityInfo {
	return &duckdb.CardinalityInfo{Cardinality: uint(s.m.RowCount), Exact: true}
}

// advance positions the source on its next row; false at the end.
func (s *versionSource) advance() (bool, error) {
	for s.rec == nil || s.i >= int(s.rec.NumRows()) {
		if s.rec != nil {
			s.rec.Release()
			s.rec = nil
		}
		if s.sr != nil && s.batch < s.sr.NumBatches() {
			rec, err := s.sr.Batch(s.batch)
			if err != nil {
				return false, err
			}
			s.rec, s.i = rec, 0
			s.batch++
			continue
		}
		if s.sr != nil {
			err := s.sr.done() // the bytes read were the checked file's
			s.sr.Close()
			s.sr = nil
			if err != nil {
				s.srcs.fail(err)
				return false, err
			}
		}
		if s.seg >= len(s.m.Segments) {
			return false, nil
		}
		if err := s.check(); err != nil {
			return false, err
		}
		sr, err := s.srv.integ.openChecked(s.m.Segments[s.seg], &s.m.Schema)
		if err != nil {
			s.srcs.fail(err)
			return false, err
		}
		s.sr, s.batch = sr, 0
		s.seg++
	}
	return true, nil
}

// check refuses the next segment when the version may not be served or the
// segment is not the attested one.
func (s *versionSource) check() error {
	err := s.srv.refuse(s.v)
	if err == nil {
		err = s.srv.verifySegment(s.v, &s.m.Segments[s.seg])
	}
	if err != nil {
		s.srcs.fail(err)
	}
	return err
}

// FillRow implements duckdb.RowTableSource.
func (s *versionSource) FillRow(r duckdb.Row) (bool, error) {
	ok, err := s.advance()
	if !ok || err != nil {
		s.close()
		return false, err
	}
	if r.IsProjected(0) {
		if err := r.SetRowValue(0, s.row); err != nil {
			return false, err
		}
	}
	for c, col := range s.m.Schema.Columns {
		if !r.IsProjected(c + 1) {
			continue
		}
		if err := r.SetRowValue(c+1, sqlValue(s.rec.Column(c), col.Type, s.i)); err != nil {
			return false, err
		}
	}
	s.i++
	s.row++
	return true, nil
}

func (s *versionSource) close() {
	if s.rec != nil {
		s.rec.Release()
		s.rec = nil
	}
	if s.sr != nil {
		s.sr.Close()
		s.sr = nil
	}
	s.seg = len(s.m.Segments)
}

// sqlValue is the Go value DuckDB stores for row i of a column.
func sqlValue(a arrow.Array, t datasets.Type, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch x := a.(type) {
	case *array.Boolean:
		return x.Value(i)
	case *array.Int8:
		return x.Value(i)
	case *array.Int16:
		return x.Value(i)
	case *array.Int32:
		return x.Value(i)
	case *array.Int64:
		return x.Value(i)
	case *array.Uint8:
		return x.Value(i)
	case *array.Uint16:
		return x.Value(i)
	case *array.Uint32:
		return x.Value(i)
	case *array.Uint64:
		return x.Value(i)
	case *array.Float64:
		return x.Value(i)
	case *array.String:
		return x.Value(i)
	case *array.Binary:
		return append([]byte(nil), x.Value(i)...)
	case *array.Timestamp:
		return time.UnixMicro(int64(x.Value(i))).UTC()
	case *array.FixedSizeBinary:
		b := x.Value(i)
		switch t {
		case datasets.TypeUint256:
			return new(big.Int).SetBytes(b).String()
		case datasets.TypeInt256:
			v := new(big.Int).SetBytes(b)
			if b[0]&0x80 != 0 {
				v.Sub(v, new(big.Int).Lsh(big.NewInt(1), 256))
			}
			return v.String()
		}
		return "0x" + hex.EncodeToString(b)
	}
	return nil
}

// viewSQL is the view of one version over its table function fn, with
// the catalog's column types.
func viewSQL(name, fn string, v *versionState) string {
	cols := []string{quoteIdent(RowColumn)}
	for _, c := range v.manifest.Schema.Columns {
		q := quoteIdent(c.Name)
		if c.Type == datasets.TypeUint256 || c.Type == datasets.TypeInt256 {
			q = "CAST(" + q + " AS BIGNUM) AS " + q
		}
		cols = append(cols, q)
	}
	return fmt.Sprintf("CREATE VIEW %s AS SELECT %s FROM %s()", quoteIdent(name), strings.Join(cols, ", "), fn)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
