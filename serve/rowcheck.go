package serve

import (
	"errors"
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// The row-block cache (rowcache.go) is built from verified segment bytes,
// but it is a memory-mapped file in the cache folder: whoever can write
// that folder can change it afterwards, in place, and the mapping serves
// the change. So every row read from it is hashed (one canonical encoding
// and one SHA-256, docs/SPEC.md §3–§4) and compared with the leaf its proof
// carries (the leaf index is itself checked against the attested root)
// before it leaves the server. A mismatch drops the cache file, logs and
// counts it (groundtruth_serve_row_cache_mismatches_total), and the row is
// read again from blocks rebuilt from the verified segment; if even those
// do not hash to the leaf, the answer is 503 corrupt.

// newRowCacheMetric is the counter of rows whose cached values did not
// hash to their attested leaf.
func newRowCacheMetric() prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Name: "groundtruth_serve_row_cache_mismatches_total",
		Help: "Rows read from the row-block cache whose values did not hash to their attested leaf (the cache file was dropped and rebuilt)."})
}

func (m *Metrics) rowCacheMismatch() {
	if m != nil {
		m.rowCache.Inc()
	}
}

// checkedRowValues returns the values of row off of segment seg of v in
// form, read from the row-block cache and checked against leaf, the row's
// attested leaf hash (see above).
func (s *Server) checkedRowValues(v *versionState, seg int, off uint64, leaf datasets.Hash, form api.Form) (api.Values, error) {
	m := v.manifest
	ref := m.Segments[seg]
	for attempt := 0; ; attempt++ {
		rb, err := s.rows.get(s.cfg.Catalog.Root(), ref, &m.Schema)
		if errors.Is(err, ErrCorrupt) {
			// The file changed since its last check: check it now, which
			// marks the versions holding it.
			s.integ.expire(ref.SHA256)
			if verr := s.verifySegment(v, &ref); verr != nil {
				return nil, verr
			}
		}
		if err != nil {
			return nil, err
		}
		var values api.Values
		var got datasets.Hash
		var herr error
		err = rb.read(func() error {
			rec, j, err := rb.row(off)
			if err != nil {
				return err
			}
			defer rec.Release()
			if got, herr = rowLeaf(&m.Schema, rec, j); herr == nil && got == leaf {
				values = form.RowValues(&m.Schema, rec, j)
			}
			return nil
		})
		if errors.Is(err, ErrCorrupt) && attempt == 0 { // F107: the mapped file was truncated: rebuild it once
			s.log.Error("the row-block file faulted when read; dropping and rebuilding it from the verified segment",
				"version", v.ref(), "segment", ref.SHA256.String(), "file", s.rows.path(ref.SHA256), "error", err)
			s.rows.drop(ref.SHA256)
			continue
		}
		if err != nil {
			return nil, err
		}
		if values != nil {
			return values, nil
		}
		s.cfg.Metrics.rowCacheMismatch()
		s.log.Error("a cached row does not hash to its attested leaf: the row-block file was changed after it was built; dropping and rebuilding it from the verified segment",
			"version", v.ref(), "segment", ref.SHA256.String(), "row", off, "file", s.rows.path(ref.SHA256), "leaf", leaf.String(), "got", got.String(), "error", herr)
		s.rows.drop(ref.SHA256)
		if attempt > 0 {
			return nil, fmt.Errorf("%w: row %d of %s does not hash to its attested leaf even when read from row blocks rebuilt from the verified segment", ErrCorrupt, off, v.ref())
		}
	}
}

// encoders holds idle row encoders per schema (a *sync.Pool per
// *datasets.Schema of a manifest): making one validates the schema, which
// costs more than the hash itself.
var encoders sync.Map

// rowLeaf is the leaf hash of row j of rec.
func rowLeaf(sch *datasets.Schema, rec arrow.RecordBatch, j int) (datasets.Hash, error) {
	pool := loadOrAdd[sync.Pool](&encoders, sch)
	enc, _ := pool.Get().(*datasets.RowEncoder)
	if enc == nil {
		var err error
		if enc, err = datasets.NewRowEncoder(sch); err != nil {
			return datasets.Hash{}, err
		}
	}
	defer pool.Put(enc)
	if err := enc.Bind(rec); err != nil {
		return datasets.Hash{}, err
	}
	var buf [512]byte
	return datasets.LeafHash(enc.AppendRow(buf[:1], j)), nil
}
