package gaps

import (
	"context"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// Factories returns the factories of the gaps validators, for a
// validators.Registry.
func Factories() []validators.Factory {
	return []validators.Factory{
		validators.NewFactory(TimeBucketsKind, "time-bucket coverage: runs of empty buckets", bucketCodes, DefaultTimeBucketsConfig, NewTimeBuckets),
		validators.NewFactory(FreshnessKind, "staleness against the source's heartbeat and values frozen too long", freshCodes, DefaultFreshnessConfig, NewFreshness),
		validators.NewFactory(SequenceKind, "sequence gaps (proposal ids, message indexes) and references to ids never seen", seqCodes, DefaultSequenceConfig, NewSequence),
		validators.NewFactory(TallyKind, "passed proposals whose recorded votes cannot have passed: missing votes", tallyCodes, DefaultTallyConfig, NewTally),
		validators.NewFactory(BlockRangeKind, "block-range coverage against the previous version; rows outside the declared range", blockCodes, DefaultBlockRangeConfig, NewBlockRange),
		validators.NewFactory(CompletenessKind, "null rates per column against limits or the baseline", nullCodes, DefaultCompletenessConfig, NewCompleteness),
		validators.NewFactory(RowCountKind, "row-count anomalies against the metric history", rowCountCodes, DefaultRowCountConfig, NewRowCount),
	}
}

// selected returns the rows of t that w selects, checking w first.
func selected(t *validators.Table, w validators.Where) ([]int, error) {
	if err := w.Check(t); err != nil {
		return nil, err
	}
	return w.Rows(t)
}

// historyTable loads the dataset's history tail (nil when there is none).
func historyTable(ctx context.Context, in *validators.Input, rows int) (*validators.Table, func(), error) {
	t, err := validators.HistoryTable(ctx, in, in.Dataset, uint64(max(rows, 0)))
	return t, func() {}, err
}

// unsealedTable returns the dataset's own rows that earlier runs observed
// but did not seal (quarantined), nil when there are none: a source that
// delivered a row has not gone silent, whatever the row's fate.
func unsealedTable(ctx context.Context, in *validators.Input) (*validators.Table, error) {
	u, err := validators.UnsealedTable(ctx, in, in.Dataset)
	if err != nil || u == nil {
		return nil, err
	}
	return u.Table, nil
}

func sortedInts(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
