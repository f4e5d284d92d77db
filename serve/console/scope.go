package console

import (
	"context"
	"fmt"
	"slices"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// The console applies the token's dataset scope as /v1 does
// (docs/serving.md): a steward token names the datasets it may read, and
// every other dataset is 404 to it — its quarantine entries, runs,
// reports, versions, typed data and signatures — and left out of the
// overview, the queue, the run list and an entry's peer series and related
// rows. A token with "*" sees everything.

// allowed reports whether the caller (set by RequireSteward) may read
// dataset.
func allowed(ctx context.Context, dataset string) bool {
	return serve.PrincipalFrom(ctx).Allows(dataset)
}

// inScope returns ErrNotFound, worded as for a dataset that does not
// exist, unless the caller may read dataset; what names the object asked
// for.
func inScope(ctx context.Context, dataset, what string) error {
	if allowed(ctx, dataset) {
		return nil
	}
	return fmt.Errorf("%w: %s", store.ErrNotFound, what)
}

// scopeDatasets is the run filter's dataset list of the caller: nil for
// every dataset.
func scopeDatasets(ctx context.Context) []string {
	return serve.PrincipalFrom(ctx).Datasets()
}

// scopeEntries keeps the entries of the datasets the caller may read.
func scopeEntries(ctx context.Context, list []Entry) []Entry {
	return slices.DeleteFunc(list, func(e Entry) bool { return !allowed(ctx, e.Dataset) })
}

// scopeJobs keeps the jobs writing datasets the caller may read.
func scopeJobs(ctx context.Context, jobs []JobState) []JobState {
	return slices.DeleteFunc(jobs, func(j JobState) bool { return !allowed(ctx, j.Dataset) })
}
