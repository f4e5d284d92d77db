package console

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// maxScanRows bounds the rows the console reads from one version for a
// plot: context is drawn from at most this many rows.
const maxScanRows = 200_000

// errStop ends a scan early.
var errStop = errors.New("stop")

// readRows reads the named columns of a dataset's latest version as text
// (as the quarantine's row values render them: validators.FormatValue),
// keeping the rows keep accepts. A dataset without versions, or without
// one of the columns, gives no rows.
func (c *Console) readRows(ctx context.Context, dataset string, cols []string, keep func(map[string]string) bool) ([]map[string]string, error) {
	vs, err := c.cfg.Store.Versions(ctx, dataset)
	if errors.Is(err, store.ErrNotFound) || (err == nil && len(vs) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	h := pipeline.NewCatalogHistory(c.cfg.Store)
	ver := vs[len(vs)-1].Version
	m, err := h.Manifest(ctx, dataset, ver)
	if err != nil {
		return nil, err
	}
	for _, name := range cols {
		if m.Schema.Index(name) < 0 {
			return nil, nil
		}
	}
	var out []map[string]string
	seen := 0
	err = h.Scan(ctx, dataset, ver, 0, 0, func(b arrow.RecordBatch) error {
		t := validators.NewTable(&m.Schema, []arrow.RecordBatch{b})
		for r := 0; r < t.Len(); r++ {
			if seen++; seen > maxScanRows {
				return errStop
			}
			row := make(map[string]string, len(cols))
			for _, name := range cols {
				row[name] = t.Value(r, name)
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
