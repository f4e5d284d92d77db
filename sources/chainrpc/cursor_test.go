package chainrpc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// fakeHeaders is a chain of hashes by block number.
type fakeHeaders struct {
	hashes map[uint64]common.Hash
	head   uint64
	calls  int
}

func (f *fakeHeaders) HeaderByNumber(_ context.Context, n uint64) (*Header, error) {
	f.calls++
	h, ok := f.hashes[n]
	if !ok || n > f.head {
		return nil, nil
	}
	return &Header{Number: n, Hash: h}, nil
}

func (f *fakeHeaders) HeaderByTag(context.Context, string) (*Header, error) {
	return &Header{Number: f.head, Hash: f.hashes[f.head]}, nil
}

func hashOf(n uint64, fork int) common.Hash { return common.Hash{byte(fork), byte(n >> 8), byte(n)} }

// chainWithFork returns a chain up to head whose blocks from fork on differ
// from the original (fork 0: no change).
func chainWithFork(head, fork uint64) *fakeHeaders {
	f := &fakeHeaders{hashes: map[uint64]common.Hash{}, head: head}
	for n := uint64(0); n <= head; n++ {
		v := 0
		if fork != 0 && n >= fork {
			v = 1
		}
		f.hashes[n] = hashOf(n, v)
	}
	return f
}

// cursorAt builds a cursor whose marks are blocks marks (rows: 10 per block
// number) on the original chain.
func cursorAt(window uint64, marks ...uint64) Cursor {
	c := Cursor{Next: marks[len(marks)-1] + 1}
	var ms []Mark
	for _, b := range marks {
		ms = append(ms, Mark{Block: b, Hash: hashOf(b, 0), Rows: 10 * b})
	}
	c.AddMarks(ms, window)
	c.Rows = 10 * marks[len(marks)-1]
	return c
}

func TestCheckReorg(t *testing.T) {
	tests := []struct {
		name     string
		cur      Cursor
		chain    *fakeHeaders
		keep     uint64 // rows kept; ^0 when no rewind
		next     uint64
		sentinel error
	}{
		{"no change", cursorAt(100, 10, 20, 30), chainWithFork(40, 0), ^uint64(0), 31, nil},
		{"fork after the last mark but one", cursorAt(100, 10, 20, 30), chainWithFork(40, 25), 200, 21, nil},
		{"fork at the first mark", cursorAt(100, 10, 20, 30), chainWithFork(40, 10), 0, 5, nil},
		{"fork between marks", cursorAt(100, 5, 10, 15, 20, 25, 30), chainWithFork(40, 12), 100, 11, nil},
		{"new chain shorter but head ahead of the fork", cursorAt(100, 10, 20, 30), chainWithFork(35, 21), 200, 21, nil},
		{"deeper than the window", cursorAt(10, 5, 10, 20, 30), chainWithFork(40, 15), 0, 0, sources.ErrChanged},
		{"node behind", cursorAt(100, 10, 20, 30), chainWithFork(25, 0), 0, 0, sources.ErrTransient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rw, next, err := CheckReorg(context.Background(), tt.chain, "s", tt.cur, 5)
			if tt.sentinel != nil {
				if !errors.Is(err, tt.sentinel) {
					t.Fatalf("error %v, want %v", err, tt.sentinel)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.keep == ^uint64(0) {
				if rw != nil {
					t.Fatalf("unexpected rewind %+v", rw)
				}
				return
			}
			if rw == nil || rw.KeepRows != tt.keep || next.Next != tt.next || next.Rows != tt.keep {
				t.Fatalf("rewind %+v, cursor next %d rows %d; want keep %d, next %d", rw, next.Next, next.Rows, tt.keep, tt.next)
			}
			if !strings.Contains(rw.Reason, "chain reorganisation") {
				t.Errorf("reason %q", rw.Reason)
			}
			if last, ok := next.Last(); ok && last.Block >= tt.next {
				t.Errorf("the rewound cursor keeps mark %d at or after its next block %d", last.Block, tt.next)
			}
		})
	}
}

func TestMarksWindow(t *testing.T) {
	c := cursorAt(10, 1, 2, 3, 50, 55, 60)
	if len(c.Marks) != 3 || c.Marks[0].Block != 50 || !c.Trimmed {
		t.Fatalf("marks %+v trimmed %v, want 50, 55, 60 and trimmed", c.Marks, c.Trimmed)
	}
	d, err := DecodeCursor(c.Encode(), 0)
	if err != nil || d.Next != c.Next || len(d.Marks) != 3 {
		t.Fatalf("round trip: %+v, %v", d, err)
	}
	if _, err := DecodeCursor(sources.Cursor(`{"next":1,"bogus":2}`), 0); !errors.Is(err, sources.ErrCursor) {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := DecodeCursor(sources.Cursor(`{"next":1,"marks":[{"block":5},{"block":4}]}`), 0); !errors.Is(err, sources.ErrCursor) {
		t.Errorf("marks out of order: %v", err)
	}
}
