package sourcetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Run runs the conformance suite against the harness.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("sourcetest: Harness.New is required")
	}
	ignore := goleak.IgnoreCurrent()
	defer func() {
		// The source's own connections are closed by then: each instance's
		// clean-up closes its idle ones, and a dial that outlived a
		// cancelled request is closed as it completes (a transport whose
		// idle connections were closed does not pool new ones). What the
		// harness's own origin client opened meanwhile is closed here.
		if h.CloseIdle != nil {
			h.CloseIdle()
		}
		goleak.VerifyNone(t, ignore)
	}()
	t.Run("Schema", func(t *testing.T) { testSchema(t, &h) })
	t.Run("FetchAgain", func(t *testing.T) { testFetchAgain(t, &h) })
	t.Run("Grow", func(t *testing.T) { testGrow(t, &h) })
	t.Run("Interrupt", func(t *testing.T) { testInterrupt(t, &h) })
	t.Run("Cancel", func(t *testing.T) { testCancel(t, &h) })
	t.Run("Enough", func(t *testing.T) { testEnough(t, &h) })
}

// row is one emitted row, rendered for comparison.
type row struct {
	key    string // the key columns (all stable columns when there is no key)
	stable string // every column except the volatile ones
}

// fetched is what one Fetch produced.
type fetched struct {
	rows    []row
	records int
	res     sources.Result
	err     error
}

// checker validates records against a source's schema.
type checker struct {
	h      *Harness
	src    sources.Source
	schema *datasets.Schema
	keyIdx []int
	stable []int
}

func newChecker(t testing.TB, h *Harness, src sources.Source) *checker {
	t.Helper()
	s := src.Schema()
	if s == nil {
		t.Fatal("Schema() returned nil")
	}
	c := &checker{h: h, src: src, schema: s}
	for i, col := range s.Columns {
		if !slices.Contains(h.Volatile, col.Name) {
			c.stable = append(c.stable, i)
		}
	}
	for _, k := range s.Key {
		c.keyIdx = append(c.keyIdx, s.Index(k))
	}
	if len(c.keyIdx) == 0 {
		c.keyIdx = c.stable
	}
	return c
}

// check verifies one record and renders its rows.
func (c *checker) check(rec arrow.RecordBatch) ([]row, error) {
	if err := c.schema.CheckArrow(rec.Schema()); err != nil {
		return nil, fmt.Errorf("record does not match Schema(): %w", err)
	}
	for i, f := range rec.Schema().Fields() {
		col := c.schema.Columns[i]
		if f.Nullable != col.Nullable {
			return nil, fmt.Errorf("column %q: record says nullable=%v, Schema() says %v", col.Name, f.Nullable, col.Nullable)
		}
		mustHave := !col.Nullable || slices.Contains(c.h.Provenance, col.Name)
		if n := rec.Column(i).NullN(); mustHave && n > 0 {
			return nil, fmt.Errorf("column %q has %d nulls but must have none", col.Name, n)
		}
		if col.Name == "_source" && col.Type == datasets.TypeString {
			for r := 0; r < int(rec.NumRows()); r++ {
				if v := rec.Column(i).ValueStr(r); v != c.src.ID() {
					return nil, fmt.Errorf("_source is %q, the source's ID is %q", v, c.src.ID())
				}
			}
		}
	}
	rows := make([]row, rec.NumRows())
	for r := range rows {
		rows[r] = row{key: render(rec, r, c.keyIdx), stable: render(rec, r, c.stable)}
	}
	return rows, nil
}

func render(rec arrow.RecordBatch, r int, cols []int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		if rec.Column(c).IsNull(r) {
			parts[i] = "∅"
		} else {
			parts[i] = rec.Column(c).ValueStr(r)
		}
	}
	return strings.Join(parts, "\x1f")
}

// fetch runs one Fetch; stop, when non-nil, is called before each record
// is accepted and may return an error to interrupt the fetch.
func (c *checker) fetch(ctx context.Context, cur sources.Cursor, stop func(n int) error) fetched {
	ctx, cancel := context.WithTimeout(ctx, c.h.fetchTimeout())
	defer cancel()
	var out fetched
	var bad error
	out.res, out.err = c.src.Fetch(ctx, cur, func(rec arrow.RecordBatch) error {
		if stop != nil {
			if err := stop(out.records); err != nil {
				return err
			}
		}
		out.records++
		rows, err := c.check(rec)
		if err != nil && bad == nil {
			bad = err
		}
		out.rows = append(out.rows, rows...)
		return nil
	})
	if bad != nil && out.err == nil {
		out.err = bad
	}
	return out
}

// mustFetch fetches and fails the test on error.
func (c *checker) mustFetch(t testing.TB, cur sources.Cursor) fetched {
	t.Helper()
	f := c.fetch(context.Background(), cur, nil)
	if f.err != nil {
		t.Fatalf("Fetch(%s): %v", showCursor(cur), f.err)
	}
	if f.res.Cursor == nil {
		t.Fatalf("Fetch(%s) returned a nil cursor", showCursor(cur))
	}
	if len(f.rows) > 0 && !slices.Contains(f.res.Provenance.Sources, c.src.ID()) {
		t.Errorf("Result.Provenance.Sources = %v, want it to hold %q", f.res.Provenance.Sources, c.src.ID())
	}
	return f
}

func showCursor(c sources.Cursor) string {
	if c == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", c)
}

func testSchema(t *testing.T, h *Harness) {
	inst := h.New(t)
	s := inst.Source.Schema()
	if err := s.Validate(); err != nil {
		t.Fatalf("Schema() is invalid: %v", err)
	}
	for _, p := range h.Provenance {
		i := s.Index(p)
		if i < 0 {
			t.Errorf("provenance column %q is not in Schema()", p)
		}
	}
	c := newChecker(t, h, inst.Source)
	f := c.mustFetch(t, nil)
	if len(f.rows) < 2 {
		t.Errorf("the initial origin yielded %d rows; the harness must start with at least two", len(f.rows))
	}
	if f.records < 2 {
		t.Logf("the initial fetch emitted one record; use small batches so interruption is tested between records")
	}
}

func testFetchAgain(t *testing.T, h *Harness) {
	inst := h.New(t)
	c := newChecker(t, h, inst.Source)
	first := c.mustFetch(t, nil)
	again := c.mustFetch(t, first.res.Cursor)
	if len(again.rows) != 0 {
		t.Errorf("fetching again from the returned cursor yielded %d rows, want none", len(again.rows))
	}
	third := c.mustFetch(t, again.res.Cursor)
	if len(third.rows) != 0 {
		t.Errorf("a third fetch yielded %d rows, want none", len(third.rows))
	}
	if dup := duplicateKey(first.rows); dup != "" {
		t.Errorf("key %q appears twice in one fetch", dup)
	}
}

func testGrow(t *testing.T, h *Harness) {
	inst := h.New(t)
	if inst.Grow == nil {
		t.Skip("the origin cannot grow (Instance.Grow is nil)")
	}
	c := newChecker(t, h, inst.Source)
	f := c.mustFetch(t, nil)
	all, cur := f.rows, f.res.Cursor
	for round := 1; round <= 2; round++ {
		inst.Grow(t)
		next := c.mustFetch(t, cur)
		if len(next.rows) == 0 {
			t.Fatalf("round %d: no rows after the origin grew", round)
		}
		all, cur = append(all, next.rows...), next.res.Cursor
		if dup := duplicateKey(all); dup != "" {
			t.Fatalf("round %d: key %q was emitted twice", round, dup)
		}
		full := c.mustFetch(t, nil)
		compareRows(t, fmt.Sprintf("round %d: incremental fetches vs a full re-read", round), all, full.rows)
		if again := c.mustFetch(t, cur); len(again.rows) != 0 {
			t.Errorf("round %d: fetching again yielded %d rows, want none", round, len(again.rows))
		}
	}
}

func testInterrupt(t *testing.T, h *Harness) {
	inst := h.New(t)
	c := newChecker(t, h, inst.Source)
	stopErr := errors.New("sourcetest: emit refused")
	check := func(label string, cur sources.Cursor) {
		want := c.mustFetch(t, cur)
		at := min(1, want.records-1)
		if want.records == 0 {
			t.Fatalf("%s: nothing to fetch", label)
		}
		got := c.fetch(context.Background(), cur, func(n int) error {
			if n == at {
				return stopErr
			}
			return nil
		})
		if got.err != stopErr { //nolint:errorlint // Emit's error must come back unchanged
			t.Fatalf("%s: Fetch interrupted by Emit returned %v, want the Emit error unchanged", label, got.err)
		}
		if !slices.Equal(got.rows, want.rows[:len(got.rows)]) {
			t.Errorf("%s: the rows before the interruption differ from an uninterrupted fetch", label)
		}
		resumed := c.mustFetch(t, cur)
		compareRows(t, label+": resumed fetch vs uninterrupted fetch", resumed.rows, want.rows)
	}
	check("from nil", nil)
	if inst.Grow != nil {
		f := c.mustFetch(t, nil)
		inst.Grow(t)
		check("after growth", f.res.Cursor)
	}
}

func testCancel(t *testing.T, h *Harness) {
	inst := h.New(t)
	c := newChecker(t, h, inst.Source)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := c.fetch(ctx, nil, nil)
	if !errors.Is(f.err, context.Canceled) {
		t.Errorf("Fetch with a cancelled context returned %v, want an error wrapping context.Canceled", f.err)
	}
	if len(f.rows) != 0 {
		t.Errorf("Fetch with a cancelled context emitted %d rows", len(f.rows))
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var cancelled time.Time
	f = c.fetch(ctx, nil, func(n int) error {
		if n == 0 {
			cancel()
			cancelled = time.Now()
		}
		return nil
	})
	if !errors.Is(f.err, context.Canceled) {
		t.Errorf("Fetch cancelled during its first Emit returned %v, want an error wrapping context.Canceled", f.err)
	}
	if d := time.Since(cancelled); !cancelled.IsZero() && d > h.cancelWithin() {
		t.Errorf("Fetch returned %v after its context was cancelled, want within %v", d, h.cancelWithin())
	}
}

func duplicateKey(rows []row) string {
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		if seen[r.key] {
			return r.key
		}
		seen[r.key] = true
	}
	return ""
}

// compareRows reports the first difference between two row sequences.
func compareRows(t testing.TB, label string, got, want []row) {
	t.Helper()
	for i := range min(len(got), len(want)) {
		if got[i].stable != want[i].stable {
			t.Errorf("%s: row %d differs:\n got  %q\n want %q", label, i, got[i].stable, want[i].stable)
			return
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d", label, len(got), len(want))
	}
}
