package console

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// maxScanRows bounds the rows the console reads from one version for a
// plot: context is drawn from at most this many rows.
const maxScanRows = 200_000

// errStop ends a scan early.
var errStop = errors.New("stop")

// readRows reads the named columns of a dataset's latest version as text
// (timestamps as RFC 3339), keeping the rows keep accepts. A dataset
// without versions, or without one of the columns, gives no rows.
func (c *Console) readRows(ctx context.Context, dataset string, cols []string, keep func(map[string]string) bool) ([]map[string]string, error) {
	vs, err := c.cfg.Store.Versions(ctx, dataset)
	if errors.Is(err, store.ErrNotFound) || (err == nil && len(vs) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	seen := 0
	err = pipeline.NewCatalogHistory(c.cfg.Store).Scan(ctx, dataset, vs[len(vs)-1].Version, 0, 0, func(b arrow.RecordBatch) error {
		idx := make([]int, len(cols))
		for i, name := range cols {
			f := b.Schema().FieldIndices(name)
			if len(f) == 0 {
				return errStop
			}
			idx[i] = f[0]
		}
		for r := 0; r < int(b.NumRows()); r++ {
			if seen++; seen > maxScanRows {
				return errStop
			}
			row := make(map[string]string, len(cols))
			for i, name := range cols {
				row[name] = cell(b.Column(idx[i]), r)
			}
			if keep == nil || keep(row) {
				out = append(out, row)
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, fmt.Errorf("reading %s: %w", dataset, err)
	}
	return out, nil
}

// cell renders one value as text; null is "".
func cell(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	if ts, ok := a.(*array.Timestamp); ok {
		unit := ts.DataType().(*arrow.TimestampType).Unit
		return ts.Value(i).ToTime(unit).UTC().Format(time.RFC3339Nano)
	}
	return a.ValueStr(i)
}

// parseTime reads the times the catalog and rows hold.
func parseTime(s string) (time.Time, bool) {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000000Z", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05Z"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseNum reads a decimal value.
func parseNum(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}
