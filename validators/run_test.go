package validators_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/validators"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// funcV is a validator running fn.
type funcV struct {
	name string
	fn   func(ctx context.Context, in *validators.Input) ([]validators.Finding, error)
}

func (f *funcV) Name() string                 { return f.name }
func (f *funcV) Codes() []validators.CodeInfo { return codes }
func (f *funcV) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	return f.fn(ctx, in)
}

// pass is a finding that passed, named after its validator.
func pass(name string) []validators.Finding {
	return []validators.Finding{{Code: "poisoning.a", Severity: validators.Warn, Validator: name, Passed: true, Message: name}}
}

// TestSuiteParallelOrder runs validators that take random times, share a
// memoized value and a decoded column, and requires, for every worker
// count, the findings in call order, one build of the shared value and
// one decoded column.
func TestSuiteParallelOrder(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, workers := range []int{0, 1, 2, 3, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var builds atomic.Int32
			var cols atomic.Pointer[validators.Col[float64]]
			var vals []validators.Validator
			rng := rand.New(rand.NewPCG(uint64(workers), 1))
			for i := range 12 {
				name, d := fmt.Sprintf("v%02d", i), time.Duration(rng.IntN(3000))*time.Microsecond
				vals = append(vals, &funcV{name, func(_ context.Context, in *validators.Input) ([]validators.Finding, error) {
					time.Sleep(d)
					if _, err := in.Memo("test.shared", func() (any, func(), error) {
						builds.Add(1)
						time.Sleep(time.Millisecond)
						return 1, nil, nil
					}); err != nil {
						return nil, err
					}
					c, err := in.Table.Floats("price")
					if err != nil {
						return nil, err
					}
					if old := cols.Swap(c); old != nil && old != c {
						return nil, errors.New("the column was decoded twice")
					}
					return pass(name), nil
				}})
			}
			s, err := validators.NewSuite(vals, nil, validators.SuiteOptions{Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			out, err := s.Run(context.Background(), priceInput(t))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range out.Findings {
				got = append(got, f.Validator)
			}
			if want := "v00 v01 v02 v03 v04 v05 v06 v07 v08 v09 v10 v11"; strings.Join(got, " ") != want {
				t.Errorf("findings of %s, want %s", strings.Join(got, " "), want)
			}
			if n := builds.Load(); n != 1 {
				t.Errorf("the shared value was built %d times, want 1", n)
			}
		})
	}
}

// TestSuiteParallelFailures requires the error of the first validator in
// call order that failed (whichever finished first), and a validator's
// panic raised again in the caller's goroutine.
func TestSuiteParallelFailures(t *testing.T) {
	defer goleak.VerifyNone(t)
	slowFail := &funcV{"slow", func(context.Context, *validators.Input) ([]validators.Finding, error) {
		time.Sleep(20 * time.Millisecond)
		return nil, errors.New("slow failure")
	}}
	fastFail := &funcV{"fast", func(context.Context, *validators.Input) ([]validators.Finding, error) {
		return nil, errors.New("fast failure")
	}}
	panics := &funcV{"panics", func(context.Context, *validators.Input) ([]validators.Finding, error) {
		panic("boom")
	}}
	ok := &funcV{"ok", func(context.Context, *validators.Input) ([]validators.Finding, error) { return pass("ok"), nil }}
	tests := []struct {
		name    string
		vals    []validators.Validator
		workers int
		wantErr string
		wantPan string
	}{
		{"first in call order wins", []validators.Validator{ok, slowFail, fastFail}, 2, "validator slow on p: slow failure", ""},
		{"serial stops at the first", []validators.Validator{slowFail, fastFail}, 1, "validator slow on p: slow failure", ""},
		{"panic raised again", []validators.Validator{ok, panics}, 2, "", "boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := validators.NewSuite(tc.vals, nil, validators.SuiteOptions{Workers: tc.workers})
			if err != nil {
				t.Fatal(err)
			}
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				_, err = s.Run(context.Background(), priceInput(t))
			}()
			if tc.wantPan != "" {
				if recovered != tc.wantPan {
					t.Fatalf("recovered %v, want panic %q", recovered, tc.wantPan)
				}
				return
			}
			if recovered != nil {
				t.Fatalf("panic: %v", recovered)
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
	if _, err := validators.NewSuite([]validators.Validator{ok}, nil, validators.SuiteOptions{Workers: -1}); !errors.Is(err, validators.ErrConfig) {
		t.Fatalf("workers -1: error %v, want ErrConfig", err)
	}
}

// TestSuiteWaitGivesSlotUp runs, on two workers, a validator building a
// shared value that is only finished when the third validator runs, and
// a second validator waiting for that value: the waiter must give its
// slot up, or the third never starts.
func TestSuiteWaitGivesSlotUp(t *testing.T) {
	defer goleak.VerifyNone(t)
	thirdRan := make(chan struct{})
	memo := func(in *validators.Input) error {
		_, err := in.Memo("test.slow", func() (any, func(), error) {
			select {
			case <-thirdRan:
				return 1, nil, nil
			case <-time.After(10 * time.Second):
				return nil, nil, errors.New("the third validator never ran: the waiting validator kept its slot")
			}
		})
		return err
	}
	builder := &funcV{"builder", func(_ context.Context, in *validators.Input) ([]validators.Finding, error) {
		return pass("builder"), memo(in)
	}}
	waiter := &funcV{"waiter", func(_ context.Context, in *validators.Input) ([]validators.Finding, error) {
		time.Sleep(5 * time.Millisecond) // the builder starts first
		return pass("waiter"), memo(in)
	}}
	third := &funcV{"third", func(context.Context, *validators.Input) ([]validators.Finding, error) {
		close(thirdRan)
		return pass("third"), nil
	}}
	s, err := validators.NewSuite([]validators.Validator{builder, waiter, third}, nil, validators.SuiteOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), priceInput(t)); err != nil {
		t.Fatal(err)
	}
}

// TestSuiteParallelSlicedRecords runs validators in parallel on sliced
// records, whose null counts arrow-go computes on first use: the table
// computes them before the validators start, so they only read them (a
// data race here fails the test under -race).
func TestSuiteParallelSlicedRecords(t *testing.T) {
	defer goleak.VerifyNone(t)
	reason := "r"
	var vs []vt.Vote
	for i := range 200 {
		v := vt.Vote{Event: vt.Event{Block: uint64(100 + i), Time: time.Unix(1.6e9+int64(i)*12, 0), Tx: vt.Hash(uint64(i)), Log: 1},
			Proposal: 1, Voter: vt.Addr(uint64(i)), Support: 1, Weight: vt.Tokens(1)}
		if i%3 == 0 {
			v.Reason = &reason
		}
		vs = append(vs, v)
	}
	rec := vt.VotesRecord(vs)
	defer rec.Release()
	sliced := rec.NewSlice(1, 150)
	defer sliced.Release()
	schema := vt.VotesSchema()
	idx := schema.Index("reason")
	var vals []validators.Validator
	for i := range 6 {
		name := fmt.Sprint("reader", i)
		vals = append(vals, &funcV{name, func(_ context.Context, in *validators.Input) ([]validators.Finding, error) {
			a := in.Records[0].Column(idx)
			if n := a.NullN(); n != 100 {
				return nil, fmt.Errorf("%d nulls, want 100", n)
			}
			return pass(name), nil
		}})
	}
	s, err := validators.NewSuite(vals, nil, validators.SuiteOptions{Workers: 6})
	if err != nil {
		t.Fatal(err)
	}
	in := &validators.Input{Dataset: "v", Schema: schema, Records: []arrow.RecordBatch{sliced}, Now: time.Unix(1.7e9, 0)}
	if _, err := s.Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}
