package sourcetest

import (
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// Harness describes how to test one source implementation.
type Harness struct {
	// New returns a fresh source over a fresh origin. The origin must
	// already hold at least two records, so that a fetch can be interrupted
	// between them (make batches small, e.g. one or two rows, so the source
	// emits several records). Clean up with t.Cleanup. Required.
	New func(t testing.TB) Instance
	// Provenance names columns that every row must carry, never null (for
	// example _source, _file_sha256, _line). A column named _source must
	// also hold the source's ID.
	Provenance []string
	// Volatile names columns whose values may change when the same row is
	// read again (a fetch time, the digest of a file that has grown since);
	// rows are compared without them.
	Volatile []string
	// FinishesUnit says that the source, told sources.ErrEnough, finishes
	// its current input unit (one HTTP answer, one block range) before it
	// stops, as the Source contract allows: the suite then does not
	// require it to stop right after the record it was told at.
	FinishesUnit bool
	// CloseIdle, when set, closes the idle connections of clients the
	// test itself holds to the origin (anvil's RPC client that deploys
	// and grows it), not the source's. The suite calls it before it
	// checks for leaked goroutines: such a client may open a keep-alive
	// connection while the suite runs (two goroutines of net/http's idle
	// pool, alive until the origin is closed after the suite), which the
	// check would otherwise blame on the source.
	CloseIdle func()
	// FetchTimeout bounds each Fetch; zero means one minute.
	FetchTimeout time.Duration
	// CancelWithin is how soon Fetch must return once its context is
	// cancelled; zero means five seconds.
	CancelWithin time.Duration
}

// Instance is one source under test with its origin.
type Instance struct {
	// Source reads the origin. Required.
	Source sources.Source
	// Grow adds data to the origin (appends rows to the file, mines blocks,
	// adds responses); every call must add at least one record with a key
	// not seen before. nil when the origin cannot grow: the growth checks
	// are then skipped.
	Grow func(t testing.TB)
}

func (h *Harness) fetchTimeout() time.Duration {
	if h.FetchTimeout > 0 {
		return h.FetchTimeout
	}
	return time.Minute
}

func (h *Harness) cancelWithin() time.Duration {
	if h.CancelWithin > 0 {
		return h.CancelWithin
	}
	return 5 * time.Second
}
