package governor

import (
	"math/big"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/evmlogs"
)

// synth builds a log of the event declared by sig with the given values
// (indexed ones become topics).
func synth(t *testing.T, sig string, vals ...any) *chainrpc.Log {
	t.Helper()
	ev, err := evmlogs.ParseEvent(sig)
	if err != nil {
		t.Fatal(err)
	}
	lg := &chainrpc.Log{Topics: []common.Hash{ev.ID}}
	var data []any
	for i, a := range ev.Inputs {
		if a.Indexed {
			var h common.Hash
			switch v := vals[i].(type) {
			case common.Address:
				h = common.BytesToHash(v[:])
			case *big.Int:
				h = common.BigToHash(v)
			}
			lg.Topics = append(lg.Topics, h)
			continue
		}
		data = append(data, vals[i])
	}
	if lg.Data, err = ev.Inputs.NonIndexed().Pack(data...); err != nil {
		t.Fatal(err)
	}
	return lg
}

// decodeRow appends one log to a fresh record of the table and renders it.
func decodeRow(t *testing.T, tb *table, lg *chainrpc.Log) (chaintest.Row, error) {
	t.Helper()
	s := &datasets.Schema{Columns: tb.Columns()}
	as, err := s.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	rb := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer rb.Release()
	if err := tb.Append(rb.Fields(), lg); err != nil {
		return nil, err
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return chaintest.RecordRows(s, rec)[0], nil
}

func TestFamilies(t *testing.T) {
	voter := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	id := big.NewInt(42)
	w := chaintest.Tokens(7)
	tests := []struct {
		name, family, table string
		lg                  *chainrpc.Log
		want                map[string]any
		err                 string
	}{
		{"bravo vote", FamilyBravo, TableVotes, synth(t, sigVoteCast, voter, id, uint8(2), w, "no"),
			map[string]any{"proposal_id": "42", "voter": chaintest.Hex(voter[:]), "support": uint64(2), "weight": w.String(), "reason": "no", "params": nil, "event": "VoteCast"}, ""},
		{"alpha vote for", FamilyAlpha, TableVotes, synth(t, sigVoteCastAlpha, voter, id, true, w),
			map[string]any{"support": uint64(1), "reason": nil, "params": nil, "weight": w.String()}, ""},
		{"alpha vote against", FamilyAlpha, TableVotes, synth(t, sigVoteCastAlpha, voter, id, false, w),
			map[string]any{"support": uint64(0)}, ""},
		{"bravo vote read as alpha", FamilyAlpha, TableVotes, synth(t, sigVoteCast, voter, id, uint8(1), w, ""), nil, "oz/bravo event"},
		{"alpha vote read as bravo", FamilyBravo, TableVotes, synth(t, sigVoteCastAlpha, voter, id, true, w), nil, "alpha event"},
		{"oz params vote", FamilyOZ, TableVotes, synth(t, sigVoteCastWithParams, voter, id, uint8(1), w, "r", []byte{}),
			map[string]any{"params": "0x", "event": "VoteCastWithParams"}, ""},
		{"extended", FamilyOZ, TableStates, synth(t, sigProposalExtended, id, uint64(99)),
			map[string]any{"state": "extended", "vote_end": uint64(99), "vote_start": nil, "eta": nil}, ""},
		{"extended read as bravo", FamilyBravo, TableStates, synth(t, sigProposalExtended, id, uint64(99)), nil, "check the configured family"},
		{"queued", FamilyBravo, TableStates, synth(t, sigProposalQueued, id, big.NewInt(1_700_000_000)),
			map[string]any{"state": "queued", "eta": int64(1_700_000_000)}, ""},
		{"queued eta not a time", FamilyBravo, TableStates, synth(t, sigProposalQueued, id, new(big.Int).Lsh(big.NewInt(1), 70)), nil, "not a timestamp"},
		{"proposal start beyond 64 bits", FamilyBravo, TableProposals,
			synth(t, sigProposalCreated, id, voter, []common.Address{}, []*big.Int{}, []string{}, [][]byte{}, new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1), "d"),
			nil, "does not fit 64 bits"},
		{"other event", FamilyOZ, TableVotes, synth(t, sigProposalExecuted, id), nil, chainrpc.ErrSkip.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, err := newTable(tt.table, tt.family)
			if err != nil {
				t.Fatal(err)
			}
			row, err := decodeRow(t, tb, tt.lg)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if row[k] != v {
					t.Errorf("%s = %#v, want %#v", k, row[k], v)
				}
			}
		})
	}
}

func TestTopicsCoverEveryFamily(t *testing.T) {
	tb, err := newTable(TableVotes, FamilyOZ)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(tb.Topics()[0]); got != 3 {
		t.Errorf("votes filter has %d topics, want VoteCast, VoteCastWithParams and alpha's VoteCast", got)
	}
}
