package governor

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/evmlogs"
)

// Columns of each table (after the common leading columns).
var tableColumns = map[string][]datasets.Column{
	TableProposals: {
		{Name: "proposal_id", Type: datasets.TypeUint256},
		{Name: "proposer", Type: datasets.TypeAddress},
		{Name: "targets", Type: datasets.TypeString},
		{Name: "values", Type: datasets.TypeString},
		{Name: "signatures", Type: datasets.TypeString},
		{Name: "calldatas", Type: datasets.TypeString},
		{Name: "vote_start", Type: datasets.TypeUint64},
		{Name: "vote_end", Type: datasets.TypeUint64},
		{Name: "description", Type: datasets.TypeString},
	},
	TableVotes: {
		{Name: "proposal_id", Type: datasets.TypeUint256},
		{Name: "voter", Type: datasets.TypeAddress},
		{Name: "support", Type: datasets.TypeUint8},
		{Name: "weight", Type: datasets.TypeUint256},
		{Name: "reason", Type: datasets.TypeString, Nullable: true},
		{Name: "params", Type: datasets.TypeBytes, Nullable: true},
		{Name: "event", Type: datasets.TypeString},
	},
	TableStates: {
		{Name: "proposal_id", Type: datasets.TypeUint256},
		{Name: "state", Type: datasets.TypeString},
		{Name: "vote_start", Type: datasets.TypeUint64, Nullable: true},
		{Name: "vote_end", Type: datasets.TypeUint64, Nullable: true},
		{Name: "eta", Type: datasets.TypeTimestamp, Nullable: true},
	},
}

// States recorded in the states table, one per event.
var stateOf = map[string]string{
	"ProposalCreated":  "created",
	"ProposalQueued":   "queued",
	"ProposalExecuted": "executed",
	"ProposalCanceled": "canceled",
	"ProposalExtended": "extended",
}

// table is the chainrpc.Table of one governor table and family.
type table struct {
	name, family string
	events       map[common.Hash]*event
}

func newTable(name, family string) (*table, error) {
	evs, err := tableEvents(name)
	if err != nil {
		return nil, err
	}
	t := &table{name: name, family: family, events: map[common.Hash]*event{}}
	for _, ev := range evs {
		t.events[ev.abi.ID] = ev
	}
	return t, nil
}

// Columns returns the table's columns.
func (t *table) Columns() []datasets.Column { return tableColumns[t.name] }

// Topics filters on the signatures of every family's events of the table.
func (t *table) Topics() [][]common.Hash {
	ids := make([]common.Hash, 0, len(t.events))
	for id := range t.events {
		ids = append(ids, id)
	}
	// A stable order keeps equal requests byte-identical.
	slices.SortFunc(ids, func(a, b common.Hash) int { return a.Cmp(b) })
	return [][]common.Hash{ids}
}

// decode unpacks a log of one of the table's events.
func (t *table) decode(lg *chainrpc.Log) (*event, map[string]any, error) {
	if len(lg.Topics) == 0 {
		return nil, nil, chainrpc.ErrSkip
	}
	ev := t.events[lg.Topics[0]]
	if ev == nil {
		return nil, nil, chainrpc.ErrSkip
	}
	if !ev.emittedBy(t.family) {
		return nil, nil, fmt.Errorf("%w: the contract emits %s, which %s governors do not emit (it is a %s event): check the configured family",
			chainrpc.ErrWrongContract, ev.abi.Sig, t.family, strings.Join(ev.families, "/"))
	}
	var indexed abi.Arguments
	for _, a := range ev.abi.Inputs {
		if a.Indexed {
			indexed = append(indexed, a)
		}
	}
	if len(lg.Topics) != 1+len(indexed) {
		return nil, nil, fmt.Errorf("%s has %d topics, want %d", ev.abi.Name, len(lg.Topics), 1+len(indexed))
	}
	vals := map[string]any{}
	if err := ev.abi.Inputs.UnpackIntoMap(vals, lg.Data); err != nil {
		return nil, nil, fmt.Errorf("%s data: %v", ev.abi.Name, err)
	}
	if err := abi.ParseTopicsIntoMap(vals, indexed, lg.Topics[1:]); err != nil {
		return nil, nil, fmt.Errorf("%s topics: %v", ev.abi.Name, err)
	}
	return ev, vals, nil
}

// Append decodes one log into the table's columns.
func (t *table) Append(bs []array.Builder, lg *chainrpc.Log) error {
	ev, vals, err := t.decode(lg)
	if err != nil {
		return err
	}
	var row []any
	switch t.name {
	case TableProposals:
		row, err = proposalRow(vals)
	case TableVotes:
		row, err = voteRow(ev.abi.Name, t.family, vals)
	case TableStates:
		row, err = stateRow(ev.abi.Name, vals)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", ev.abi.Name, err)
	}
	appendRow(bs, row)
	return nil
}

func proposalRow(v map[string]any) ([]any, error) {
	start, err1 := toUint64(v["voteStart"], "voteStart")
	end, err2 := toUint64(v["voteEnd"], "voteEnd")
	if err := firstErr(err1, err2); err != nil {
		return nil, err
	}
	var lists [4]string
	for i, k := range []string{"targets", "values", "signatures", "calldatas"} {
		s, err := evmlogs.JSONValue(v[k])
		if err != nil {
			return nil, err
		}
		lists[i] = s
	}
	proposer := v["proposer"].(common.Address)
	return []any{word(v["proposalId"]), proposer[:], lists[0], lists[1], lists[2], lists[3], start, end,
		chainrpc.ValidString([]byte(v["description"].(string)))}, nil
}

func voteRow(name, family string, v map[string]any) ([]any, error) {
	voter := v["voter"].(common.Address)
	var support uint8
	var reason any
	switch family {
	case FamilyAlpha: // bool support: true is "for" (1), false "against" (0)
		if v["support"].(bool) {
			support = 1
		}
	default:
		support = v["support"].(uint8)
		reason = chainrpc.ValidString([]byte(v["reason"].(string)))
	}
	var params any
	if p, ok := v["params"]; ok {
		params = p.([]byte)
	}
	return []any{word(v["proposalId"]), voter[:], support, word(v["weight"]), reason, params, name}, nil
}

func stateRow(name string, v map[string]any) ([]any, error) {
	var start, end, eta any
	switch name {
	case "ProposalCreated":
		s, err1 := toUint64(v["voteStart"], "voteStart")
		e, err2 := toUint64(v["voteEnd"], "voteEnd")
		if err := firstErr(err1, err2); err != nil {
			return nil, err
		}
		start, end = s, e
	case "ProposalQueued":
		secs, err := toUint64(v["eta"], "eta")
		if err != nil || secs > 1<<62/1_000_000 {
			return nil, fmt.Errorf("eta %v is not a timestamp in seconds", v["eta"])
		}
		eta = arrow.Timestamp(int64(secs) * 1_000_000)
	case "ProposalExtended":
		end = v["extendedDeadline"].(uint64)
	}
	return []any{word(v["proposalId"]), stateOf[name], start, end, eta}, nil
}

// word returns a uint256 as 32 big-endian bytes.
func word(v any) []byte {
	return v.(*big.Int).FillBytes(make([]byte, 32))
}

func toUint64(v any, name string) (uint64, error) {
	b := v.(*big.Int)
	if !b.IsUint64() {
		return 0, fmt.Errorf("%s %s does not fit 64 bits", name, b)
	}
	return b.Uint64(), nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// appendRow appends one value per builder; nil appends a null.
func appendRow(bs []array.Builder, row []any) {
	for i, v := range row {
		if v == nil {
			bs[i].AppendNull()
			continue
		}
		switch b := bs[i].(type) {
		case *array.FixedSizeBinaryBuilder:
			b.Append(v.([]byte))
		case *array.BinaryBuilder:
			b.Append(v.([]byte))
		case *array.StringBuilder:
			b.Append(v.(string))
		case *array.Uint64Builder:
			b.Append(v.(uint64))
		case *array.Uint8Builder:
			b.Append(v.(uint8))
		case *array.TimestampBuilder:
			b.Append(v.(arrow.Timestamp))
		default:
			panic(fmt.Sprintf("governor: no appender for %T", b))
		}
	}
}
