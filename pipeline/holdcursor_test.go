package pipeline

import (
	"errors"
	"fmt"
	"testing"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// TestHeldCursor round-trips held checkpoints and leaves a source's own
// cursors alone; a damaged held checkpoint is a cursor error.
func TestHeldCursor(t *testing.T) {
	for _, tc := range []struct {
		name  string
		inner []byte
		skip  int
	}{
		{"nil cursor", nil, 3},
		{"json cursor", []byte(`{"offset":12,"file":"a.csv"}`), 1},
		{"number", []byte(`17`), 250},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, skip, err := unwrapHeld(wrapHeld(tc.inner, tc.skip))
			if err != nil || string(in) != string(tc.inner) || skip != tc.skip {
				t.Fatalf("round trip: %q %d %v, want %q %d", in, skip, err, tc.inner, tc.skip)
			}
			in, skip, err = unwrapHeld(tc.inner)
			if err != nil || string(in) != string(tc.inner) || skip != 0 {
				t.Fatalf("own cursor: %q %d %v", in, skip, err)
			}
		})
	}
	for _, bad := range []string{`{"groundtruth_hold":`, `{"groundtruth_hold":{"skip":-1}}`} {
		if _, _, err := unwrapHeld([]byte(bad)); !errors.Is(err, sources.ErrCursor) {
			t.Errorf("%s: %v, want ErrCursor", bad, err)
		}
	}
}

// TestShiftResult keeps the bad values and page items of a row range,
// renumbered from its first row.
func TestShiftResult(t *testing.T) {
	res := sources.Result{
		BadValues: []sources.BadValue{{Row: 0}, {Row: 3}, {Row: 5}},
		Pages: []sources.Page{
			{URL: "u1", Unit: "item", FirstRow: 0, Items: []int{0, 1, 2}},
			{URL: "u2", Unit: "item", FirstRow: 3, Items: []int{0, 1, 2, 3}},
		},
	}
	for _, tc := range []struct {
		from, to   int
		bad, pages string
	}{
		{2, -1, "[1 3]", "[{u1 item 0 [2]} {u2 item 1 [0 1 2 3]}]"},
		{0, 4, "[0 3]", "[{u1 item 0 [0 1 2]} {u2 item 3 [0]}]"},
		{3, 5, "[0]", "[{u2 item 0 [0 1]}]"},
		{7, -1, "[]", "[]"},
	} {
		got := shiftResult(res, tc.from, tc.to)
		var rows []int
		for _, b := range got.BadValues {
			rows = append(rows, b.Row)
		}
		if fmt.Sprint(rows) != tc.bad && !(len(rows) == 0 && tc.bad == "[]") {
			t.Errorf("[%d,%d): bad rows %v, want %s", tc.from, tc.to, rows, tc.bad)
		}
		if p := fmt.Sprint(got.Pages); p != tc.pages && !(len(got.Pages) == 0 && tc.pages == "[]") {
			t.Errorf("[%d,%d): pages %s, want %s", tc.from, tc.to, p, tc.pages)
		}
	}
}
