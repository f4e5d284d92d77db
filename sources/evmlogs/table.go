package evmlogs

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// wordDecoder appends the value held in one ABI word (or, for dynamic
// values, found through it in data) to b.
type wordDecoder func(b array.Builder, w, data []byte) error

// column is one event parameter and how it is read.
type column struct {
	col     datasets.Column
	indexed bool
	pos     int         // topic position (indexed) or head word (not indexed)
	dec     wordDecoder // nil for complex values, encoded as JSON text
	complex int         // index among the non-indexed arguments, for JSON values
}

// eventTable is the chainrpc.Table of one event.
type eventTable struct {
	ev         abi.Event
	cols       []column
	nonIndexed abi.Arguments
	hasComplex bool
	nTopics    int
	dataWords  int // head words of the non-indexed parameters
}

// newEventTable maps the parameters of ev to columns.
func newEventTable(ev abi.Event) (*eventTable, error) {
	t := &eventTable{ev: ev, nonIndexed: ev.Inputs.NonIndexed(), nTopics: 1}
	if ev.Anonymous {
		t.nTopics = 0
	}
	seen := map[string]bool{}
	head, nonIdx := 0, 0
	for i, arg := range ev.Inputs {
		if err := checkType(arg.Type); err != nil {
			return nil, fmt.Errorf("parameter %d (%s): %v", i, arg.Name, err)
		}
		name := columnName(arg.Name, i)
		if seen[name] {
			return nil, fmt.Errorf("two parameters map to the column %q", name)
		}
		seen[name] = true
		c := column{indexed: arg.Indexed}
		if arg.Indexed {
			c.pos = t.nTopics
			t.nTopics++
			c.col.Type, c.dec = topicType(arg.Type)
		} else {
			c.pos, c.complex = head, nonIdx
			head += headWords(arg.Type)
			nonIdx++
			c.col.Type, c.dec = dataType(arg.Type)
			t.hasComplex = t.hasComplex || c.dec == nil
		}
		if t.nTopics > 4 {
			return nil, fmt.Errorf("an event has at most %d indexed parameters", 4-1)
		}
		c.col.Name = name
		t.cols = append(t.cols, c)
	}
	t.dataWords = head
	return t, nil
}

// columnName names the column of parameter i: its name, "arg<i>" when it
// has none, "arg_<name>" when the name is one of the common columns.
func columnName(name string, i int) string {
	switch {
	case name == "":
		return fmt.Sprintf("arg%d", i)
	case chainrpc.ReservedColumn(name):
		return "arg_" + name
	}
	return name
}

// Columns returns one column per event parameter.
func (t *eventTable) Columns() []datasets.Column {
	out := make([]datasets.Column, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.col
	}
	return out
}

// Topics filters on the event's signature hash (nothing for anonymous
// events, which then rely on the address filter and the topic count).
func (t *eventTable) Topics() [][]common.Hash {
	if t.ev.Anonymous {
		return nil
	}
	return [][]common.Hash{{t.ev.ID}}
}

// Append decodes one log; a log with another signature or topic count is
// skipped.
func (t *eventTable) Append(bs []array.Builder, lg *chainrpc.Log) error {
	if len(lg.Topics) != t.nTopics || (!t.ev.Anonymous && lg.Topics[0] != t.ev.ID) {
		if !t.ev.Anonymous && len(lg.Topics) > 0 && lg.Topics[0] == t.ev.ID {
			return fmt.Errorf("%s log has %d topics, the declaration has %d", t.ev.Name, len(lg.Topics), t.nTopics)
		}
		return chainrpc.ErrSkip
	}
	if len(lg.Data) < 32*t.dataWords {
		return fmt.Errorf("%s log data has %d bytes, its parameters need at least %d", t.ev.Name, len(lg.Data), 32*t.dataWords)
	}
	var complexVals []any
	if t.hasComplex {
		var err error
		if complexVals, err = t.nonIndexed.UnpackValues(lg.Data); err != nil {
			return fmt.Errorf("%s log data: %v", t.ev.Name, err)
		}
	}
	// Decode into a scratch pass first so a bad value appends nothing.
	for i, c := range t.cols {
		if err := t.check(c, lg); err != nil {
			return &chainrpc.CellError{Column: c.col.Name, Raw: t.rawWord(c, lg),
				Err: fmt.Errorf("parameter %q: %v", t.ev.Inputs[i].Name, err)}
		}
	}
	for i, c := range t.cols {
		var err error
		switch {
		case c.indexed:
			err = c.dec(bs[i], lg.Topics[c.pos][:], nil)
		case c.dec != nil:
			err = c.dec(bs[i], lg.Data[32*c.pos:32*c.pos+32], lg.Data)
		default:
			var text string
			text, err = JSONValue(complexVals[c.complex])
			if err == nil {
				bs[i].(*array.StringBuilder).Append(text)
			}
		}
		if err != nil { // unreachable after check, kept for safety
			return fmt.Errorf("parameter %q: %v", t.ev.Inputs[i].Name, err)
		}
	}
	return nil
}

// rawWord returns the word a column is read from, as hex.
func (t *eventTable) rawWord(c column, lg *chainrpc.Log) string {
	if c.indexed {
		return hexutil.Encode(lg.Topics[c.pos][:])
	}
	return hexutil.Encode(lg.Data[32*c.pos : 32*c.pos+32])
}

// check decodes a value without appending it.
func (t *eventTable) check(c column, lg *chainrpc.Log) error {
	if c.dec == nil {
		return nil
	}
	if c.indexed {
		return c.dec(nil, lg.Topics[c.pos][:], nil)
	}
	return c.dec(nil, lg.Data[32*c.pos:32*c.pos+32], lg.Data)
}

// checkType rejects integer and fixed-bytes sizes Solidity does not have
// (go-ethereum's parser accepts uint257).
func checkType(t abi.Type) error {
	switch t.T {
	case abi.UintTy, abi.IntTy:
		if t.Size < 8 || t.Size > 256 || t.Size%8 != 0 {
			return fmt.Errorf("unsupported integer type %s", t)
		}
	case abi.FixedBytesTy:
		if t.Size < 1 || t.Size > 32 {
			return fmt.Errorf("unsupported fixed bytes type %s", t)
		}
	case abi.ArrayTy, abi.SliceTy:
		return checkType(*t.Elem)
	case abi.TupleTy:
		for _, e := range t.TupleElems {
			if err := checkType(*e); err != nil {
				return err
			}
		}
	}
	return nil
}
