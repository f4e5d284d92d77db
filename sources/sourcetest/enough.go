package sourcetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// fetchEnough runs one Fetch whose Emit returns sources.ErrEnough once
// it has accepted `after` records (and for every record after those).
func (c *checker) fetchEnough(ctx context.Context, cur sources.Cursor, after int) fetched {
	ctx, cancel := context.WithTimeout(ctx, c.h.fetchTimeout())
	defer cancel()
	var out fetched
	var bad error
	out.res, out.err = c.src.Fetch(ctx, cur, func(rec arrow.RecordBatch) error {
		out.records++
		rows, err := c.check(rec)
		if err != nil && bad == nil {
			bad = err
		}
		out.rows = append(out.rows, rows...)
		if out.records >= after {
			return fmt.Errorf("sourcetest: %w", sources.ErrEnough)
		}
		return nil
	})
	if bad != nil && out.err == nil {
		out.err = bad
	}
	return out
}

// readInParts reads from cur until a fetch yields nothing, each fetch
// told enough after `after` records; it returns the rows and the last
// cursor.
func (c *checker) readInParts(t *testing.T, label string, cur sources.Cursor, after, total int) ([]row, sources.Cursor) {
	t.Helper()
	var all []row
	for part := 1; ; part++ {
		if part > total+2 {
			t.Fatalf("%s: still yielding rows after %d fetches for %d rows", label, part-1, total)
		}
		f := c.fetchEnough(context.Background(), cur, after)
		if f.err != nil {
			t.Fatalf("%s: part %d: Fetch told ErrEnough returned %v, want a nil error and a cursor", label, part, f.err)
		}
		if f.res.Cursor == nil {
			t.Fatalf("%s: part %d: Fetch told ErrEnough returned a nil cursor", label, part)
		}
		if part == 1 && !c.h.FinishesUnit && after < total && f.records > after {
			t.Errorf("%s: Fetch emitted %d records after its Emit returned ErrEnough at record %d", label, f.records-after, after)
		}
		if len(f.rows) == 0 {
			return all, f.res.Cursor
		}
		all, cur = append(all, f.rows...), f.res.Cursor
	}
}

// testEnough: a source told enough stops with a cursor after the last
// record it emitted; reading on from that cursor yields the rest, nothing
// skipped and nothing duplicated.
func testEnough(t *testing.T, h *Harness) {
	inst := h.New(t)
	c := newChecker(t, h, inst.Source)
	want := c.mustFetch(t, nil)
	for _, after := range []int{1, 2, want.records} {
		label := fmt.Sprintf("enough after %d records", after)
		got, _ := c.readInParts(t, label, nil, after, want.records)
		compareRows(t, label+": parts vs one fetch", got, want.rows)
		if dup := duplicateKey(got); dup != "" {
			t.Errorf("%s: key %q was emitted twice", label, dup)
		}
	}
	if inst.Grow == nil {
		return
	}
	_, cur := c.readInParts(t, "before growth", nil, 1, want.records)
	inst.Grow(t)
	grown := c.mustFetch(t, cur)
	got, _ := c.readInParts(t, "after growth", cur, 1, grown.records)
	compareRows(t, "after growth: parts vs one fetch", got, grown.rows)
}
