package validators_test

import (
	"context"
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// TestScanHistory checks ScanHistory's contract: batches in row order
// (the tail of maxRows rows), none for a dataset without a version, one
// empty table for a version without rows, and fn's or ctx's error returned.
func TestScanHistory(t *testing.T) {
	errStop := errors.New("stop")
	h := validators.NewMemHistory()
	defer h.Release()
	var recs []arrow.RecordBatch
	for i := 0; i < 3; i++ {
		r := datasetstest.VotesBatch(nil, i*100, 100)
		defer r.Release()
		recs = append(recs, r)
	}
	h.Add("votes", datasetstest.VotesSchema(), recs...)
	h.Add("empty", datasetstest.VotesSchema())
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name      string
		ctx       context.Context
		dataset   string
		maxRows   uint64
		stopAfter int // fn fails on this call (0: never)
		wantCalls []int
		wantFirst uint64 // log_index of the first row seen (row % 300)
		wantErr   error
	}{
		{"whole history", context.Background(), "votes", 0, 0, []int{100, 100, 100}, 0, nil},
		{"tail of 150 rows", context.Background(), "votes", 150, 0, []int{50, 100}, 150, nil},
		{"more than the history", context.Background(), "votes", 1000, 0, []int{100, 100, 100}, 0, nil},
		{"no version", context.Background(), "missing", 0, 0, nil, 0, nil},
		{"version without rows", context.Background(), "empty", 0, 0, []int{0}, 0, nil},
		{"fn fails", context.Background(), "votes", 0, 2, []int{100, 100}, 0, errStop},
		{"context cancelled", cancelled, "votes", 0, 0, nil, 0, context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var calls []int
			first := uint64(1 << 63)
			err := validators.ScanHistory(c.ctx, h, c.dataset, c.maxRows, func(tb *validators.Table) error {
				calls = append(calls, tb.Len())
				if tb.Len() > 0 && first == 1<<63 {
					li, err := tb.Ints("log_index")
					if err != nil {
						return err
					}
					first = uint64(li.Values[0])
				}
				if len(calls) == c.stopAfter {
					return errStop
				}
				return nil
			})
			if !errors.Is(err, c.wantErr) || (err != nil && c.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if len(calls) != len(c.wantCalls) {
				t.Fatalf("fn saw tables of %v rows, want %v", calls, c.wantCalls)
			}
			for i := range calls {
				if calls[i] != c.wantCalls[i] {
					t.Fatalf("fn saw tables of %v rows, want %v", calls, c.wantCalls)
				}
			}
			if len(calls) > 0 && c.wantCalls[0] > 0 && first != c.wantFirst {
				t.Errorf("first row has log_index %d, want %d", first, c.wantFirst)
			}
		})
	}
}

// TestAnyWord checks the proposal test a history scan skips batches by.
func TestAnyWord(t *testing.T) {
	r := datasetstest.VotesBatch(nil, 0, 10) // proposal 1 on every row
	defer r.Release()
	tb := validators.NewTable(datasetstest.VotesSchema(), []arrow.RecordBatch{r})
	var one, two [32]byte
	one[31], two[31] = 1, 2
	cases := []struct {
		name    string
		column  string
		set     map[[32]byte]bool
		want    bool
		wantErr error
	}{
		{"present", "proposal_id", map[[32]byte]bool{one: true}, true, nil},
		{"absent", "proposal_id", map[[32]byte]bool{two: true}, false, nil},
		{"empty set", "proposal_id", nil, false, nil},
		{"no such column", "nope", map[[32]byte]bool{one: true}, false, validators.ErrConfig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := validators.AnyWord(tb, c.column, c.set)
			if !errors.Is(err, c.wantErr) || (err != nil && c.wantErr == nil) || got != c.want {
				t.Fatalf("AnyWord = %v, %v; want %v, %v", got, err, c.want, c.wantErr)
			}
		})
	}
}
