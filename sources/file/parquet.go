package file

import (
	"context"
	"os"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// fetchParquet is implemented in a later step.
func (s *Source) fetchParquet(ctx context.Context, f *os.File, size int64, c cursor, emit sources.Emit) (sources.Result, error) {
	return sources.Result{}, s.inputErr(0, "parquet is not supported yet")
}
