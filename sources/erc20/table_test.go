package erc20

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

func TestAppendRejects(t *testing.T) {
	addr := common.BytesToHash([]byte{0xaa})
	dirty := common.Hash{1}
	word := make([]byte, 32)
	tests := []struct {
		name string
		lg   chainrpc.Log
		err  string
	}{
		{"erc721 transfer", chainrpc.Log{Topics: []common.Hash{signatures[EventTransfer], addr, addr, addr}}, "ERC-721"},
		{"short value", chainrpc.Log{Topics: []common.Hash{signatures[EventTransfer], addr, addr}, Data: word[:31]}, "data bytes"},
		{"dirty address topic", chainrpc.Log{Topics: []common.Hash{signatures[EventDelegateChanged], addr, dirty, addr}}, "padding"},
		{"votes without data", chainrpc.Log{Topics: []common.Hash{signatures[EventDelegateVotesChanged], addr}}, "data bytes"},
		{"other event", chainrpc.Log{Topics: []common.Hash{{9}}}, chainrpc.ErrSkip.Error()},
	}
	s := &datasets.Schema{Columns: columns}
	as, _ := s.ArrowSchema()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb := array.NewRecordBuilder(memory.DefaultAllocator, as)
			defer rb.Release()
			err := newTable([]string{EventTransfer, EventDelegateChanged, EventDelegateVotesChanged}).Append(rb.Fields(), &tt.lg)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.err)
			}
			for i, f := range rb.Fields() {
				if f.Len() != 0 {
					t.Errorf("column %d got a value from a rejected log", i)
				}
			}
		})
	}
}
