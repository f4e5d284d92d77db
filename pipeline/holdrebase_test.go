package pipeline

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// TestRebaseHeld moves a held cursor's source cursor forward to the last
// record boundary at or before the consumed rows once enough rows were
// consumed, and a fetch from the moved cursor reads exactly the rows a
// fetch from the old one read. Without it a job that holds rows on every
// run would re-read everything since its first hold on each run.
func TestRebaseHeld(t *testing.T) {
	ctx := context.Background()
	pts := hourly(time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC), 20_000, 100)
	src := &pointSource{pts: pts, per: 1000}
	whole, err := fetchFrom(ctx, src, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer release(whole.recs)
	num := func(n int) []byte { b, _ := json.Marshal(n); return b }
	for _, tc := range []struct {
		name     string
		inner    []byte
		consumed int
		want     []byte
	}{
		{"few consumed: no re-read", nil, rebaseMinRows - 1, wrapHeld(nil, rebaseMinRows-1)},
		{"on a boundary: the source's own cursor", nil, 10_000, num(10_000)},
		{"inside a record", nil, 10_500, wrapHeld(num(10_000), 500)},
		{"from a cursor", num(3000), 7_250, wrapHeld(num(10_000), 250)},
		{"inside the first record", num(3000), 999, wrapHeld(num(3000), 999)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := fetchFrom(ctx, src, tc.inner, 0)
			if err != nil {
				t.Fatal(err)
			}
			release(f.recs)
			got := rebaseHeld(ctx, src, tc.inner, tc.consumed, f.sizes)
			if string(got) != string(tc.want) {
				t.Fatalf("rebased cursor %s, want %s", got, tc.want)
			}
			old, err := fetchFrom(ctx, src, wrapHeld(tc.inner, tc.consumed), 0)
			if err != nil {
				t.Fatal(err)
			}
			defer release(old.recs)
			moved, err := fetchFrom(ctx, src, got, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer release(moved.recs)
			if a, b := firstTimes(old.recs), firstTimes(moved.recs); a != b {
				t.Fatalf("rows after the moved cursor %s, after the old one %s", b, a)
			}
		})
	}
	// A source that cannot stop where asked keeps the old base.
	failing := &pointSource{pts: pts, per: 1000, failAt: 3000}
	if got := rebaseHeld(ctx, failing, num(3000), 5000, []int{1000, 1000, 1000, 1000, 1000}); string(got) != string(wrapHeld(num(3000), 5000)) {
		t.Fatalf("failing source: %s", got)
	}
}

// firstTimes describes recs by their row count and first and last times.
func firstTimes(recs []arrow.RecordBatch) string {
	n := rowsOf(recs)
	if n == 0 {
		return "0 rows"
	}
	ts := func(r arrow.RecordBatch, i int) string {
		return r.Column(0).(*array.Timestamp).Value(i).ToTime(arrow.Microsecond).String()
	}
	last := recs[len(recs)-1]
	return ts(recs[0], 0) + " .. " + ts(last, int(last.NumRows())-1) + " (" + strconv.Itoa(n) + " rows)"
}

var _ sources.Source = (*pointSource)(nil)
