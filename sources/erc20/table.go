package erc20

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Event names, as the event column holds them.
const (
	EventTransfer             = "Transfer"
	EventDelegateChanged      = "DelegateChanged"
	EventDelegateVotesChanged = "DelegateVotesChanged"
)

// Event signatures (ERC-20 and ERC-5805 / Compound COMP votes).
var signatures = map[string]common.Hash{
	EventTransfer:             crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)")),
	EventDelegateChanged:      crypto.Keccak256Hash([]byte("DelegateChanged(address,address,address)")),
	EventDelegateVotesChanged: crypto.Keccak256Hash([]byte("DelegateVotesChanged(address,uint256,uint256)")),
}

// Column positions in columns.
const (
	colEvent = iota
	colFrom
	colTo
	colValue
	colDelegator
	colFromDelegate
	colToDelegate
	colDelegate
	colPreviousVotes
	colNewVotes
)

// columns of the erc20 table: the event name, then the fields of each
// event (null in the rows of the other events).
var columns = []datasets.Column{
	{Name: "event", Type: datasets.TypeString},
	{Name: "from_address", Type: datasets.TypeAddress, Nullable: true},
	{Name: "to_address", Type: datasets.TypeAddress, Nullable: true},
	{Name: "value", Type: datasets.TypeUint256, Nullable: true},
	{Name: "delegator", Type: datasets.TypeAddress, Nullable: true},
	{Name: "from_delegate", Type: datasets.TypeAddress, Nullable: true},
	{Name: "to_delegate", Type: datasets.TypeAddress, Nullable: true},
	{Name: "delegate", Type: datasets.TypeAddress, Nullable: true},
	{Name: "previous_votes", Type: datasets.TypeUint256, Nullable: true},
	{Name: "new_votes", Type: datasets.TypeUint256, Nullable: true},
}

// table is the chainrpc.Table of a votes token.
type table struct {
	events map[common.Hash]string
	topics []common.Hash
}

func newTable(events []string) *table {
	t := &table{events: map[common.Hash]string{}}
	for _, name := range []string{EventTransfer, EventDelegateChanged, EventDelegateVotesChanged} {
		for _, e := range events {
			if e == name {
				t.events[signatures[name]] = name
				t.topics = append(t.topics, signatures[name])
			}
		}
	}
	return t
}

// Columns returns the event column and the nullable event fields.
func (t *table) Columns() []datasets.Column { return columns }

// Topics filters on the configured events' signatures.
func (t *table) Topics() [][]common.Hash { return [][]common.Hash{t.topics} }

// Append decodes one Transfer, DelegateChanged or DelegateVotesChanged.
func (t *table) Append(bs []array.Builder, lg *chainrpc.Log) error {
	if len(lg.Topics) == 0 {
		return chainrpc.ErrSkip
	}
	name, ok := t.events[lg.Topics[0]]
	if !ok {
		return chainrpc.ErrSkip
	}
	vals := make([][]byte, len(columns))
	var err error
	switch name {
	case EventTransfer:
		if len(lg.Topics) == 4 {
			return fmt.Errorf("%w: a Transfer event with 4 topics is an ERC-721 transfer (token id indexed): the contract is not an ERC-20 token", chainrpc.ErrWrongContract)
		}
		err = decode(lg, 3, 1, vals, colFrom, colTo, colValue)
	case EventDelegateChanged:
		err = decode(lg, 4, 0, vals, colDelegator, colFromDelegate, colToDelegate)
	case EventDelegateVotesChanged:
		err = decode(lg, 2, 2, vals, colDelegate, colPreviousVotes, colNewVotes)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	bs[colEvent].(*array.StringBuilder).Append(name)
	for i := 1; i < len(columns); i++ {
		if vals[i] == nil {
			bs[i].AppendNull()
		} else {
			bs[i].(*array.FixedSizeBinaryBuilder).Append(vals[i])
		}
	}
	return nil
}

// decode reads an event with topics topics (indexed addresses after the
// signature) and words data words (uint256 values) into the columns cols.
func decode(lg *chainrpc.Log, topics, words int, vals [][]byte, cols ...int) error {
	if len(lg.Topics) != topics || len(lg.Data) != 32*words {
		return fmt.Errorf("%d topics and %d data bytes, want %d and %d", len(lg.Topics), len(lg.Data), topics, 32*words)
	}
	k := 0
	for i := 1; i < topics; i++ {
		a, err := chainrpc.WordAddress(lg.Topics[i][:])
		if err != nil {
			return err
		}
		vals[cols[k]] = a
		k++
	}
	for i := range words {
		w, _ := chainrpc.Word(lg.Data, i)
		vals[cols[k]] = w
		k++
	}
	return nil
}
