package validatorstest

import (
	"encoding/binary"
	"encoding/json"
	"math/big"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The schemas below are projections of what the chain sources (governor,
// erc20) emit: the same column names, types and key, without the columns
// no validator reads (block_hash, tx_index, the provenance columns, the
// votes' params and event). TestSchemasMatchSources checks them against
// the sources' own schemas; docs/validators.md documents them column by
// column and the gaming validators' default column names follow them.

func col(name string, t datasets.Type, nullable bool) datasets.Column {
	return datasets.Column{Name: name, Type: t, Nullable: nullable}
}

// eventColumns are the columns every event row starts with (the contract
// is the address column, as in every log-based dataset).
func eventColumns() []datasets.Column {
	return []datasets.Column{
		col("block_number", datasets.TypeUint64, false), col("block_time", datasets.TypeTimestamp, false),
		col("tx_hash", datasets.TypeBytes32, false), col("log_index", datasets.TypeUint32, false),
		col("address", datasets.TypeAddress, false),
	}
}

var eventKey = []string{"tx_hash", "log_index"}

// VotesSchema is the governor source's votes table (VoteCast rows).
func VotesSchema() *datasets.Schema {
	return &datasets.Schema{Columns: append(eventColumns(),
		col("proposal_id", datasets.TypeUint256, false), col("voter", datasets.TypeAddress, false),
		col("support", datasets.TypeUint8, false), col("weight", datasets.TypeUint256, false),
		col("reason", datasets.TypeString, true)), Key: eventKey}
}

// ProposalsSchema is the governor source's proposals table. List columns
// hold JSON arrays of strings: targets and calldatas as 0x hex, values as
// decimal integers, signatures as Solidity signatures ("" when the
// calldata carries its selector).
func ProposalsSchema() *datasets.Schema {
	return &datasets.Schema{Columns: append(eventColumns(),
		col("proposal_id", datasets.TypeUint256, false), col("proposer", datasets.TypeAddress, false),
		col("targets", datasets.TypeString, false), col("values", datasets.TypeString, false),
		col("signatures", datasets.TypeString, false), col("calldatas", datasets.TypeString, false),
		col("vote_start", datasets.TypeUint64, false), col("vote_end", datasets.TypeUint64, false),
		col("description", datasets.TypeString, false)), Key: eventKey}
}

// StatesSchema is the governor source's states table: one row per
// ProposalCreated ("created"), ProposalQueued ("queued"), ProposalExecuted
// ("executed"), ProposalCanceled ("canceled") and ProposalExtended
// ("extended").
func StatesSchema() *datasets.Schema {
	return &datasets.Schema{Columns: append(eventColumns(),
		col("proposal_id", datasets.TypeUint256, false), col("state", datasets.TypeString, false),
		col("vote_start", datasets.TypeUint64, true), col("vote_end", datasets.TypeUint64, true),
		col("eta", datasets.TypeTimestamp, true)), Key: eventKey}
}

// TokenEventsSchema is the erc20 source's dataset: Transfer (from_address,
// to_address, value), DelegateChanged (delegator, from_delegate,
// to_delegate) and DelegateVotesChanged (delegate, previous_votes,
// new_votes); columns that do not apply to an event are null.
func TokenEventsSchema() *datasets.Schema {
	a, u := datasets.TypeAddress, datasets.TypeUint256
	return &datasets.Schema{Columns: append(eventColumns(),
		col("event", datasets.TypeString, false),
		col("from_address", a, true), col("to_address", a, true), col("value", u, true),
		col("delegator", a, true), col("from_delegate", a, true), col("to_delegate", a, true),
		col("delegate", a, true), col("previous_votes", u, true), col("new_votes", u, true)), Key: eventKey}
}

// CodeHashesSchema is the dataset of contract code hashes observed at
// blocks (eth_getCode, hashed), used to see a target's code change.
func CodeHashesSchema() *datasets.Schema {
	return &datasets.Schema{Columns: []datasets.Column{
		col("chain_id", datasets.TypeUint64, false), col("address", datasets.TypeAddress, false),
		col("block_number", datasets.TypeUint64, false), col("code_hash", datasets.TypeBytes32, false),
	}, Key: []string{"chain_id", "address", "block_number"}}
}

// Addr returns a deterministic address for n (the same n gives the same
// address); Hash the same for 32-byte hashes.
func Addr(n uint64) [20]byte {
	var a [20]byte
	binary.BigEndian.PutUint64(a[4:12], mix(n))
	binary.BigEndian.PutUint64(a[12:], mix(n+1))
	return a
}

// Hash returns a deterministic 32-byte hash for n.
func Hash(n uint64) [32]byte {
	var h [32]byte
	for i := 0; i < 4; i++ {
		binary.BigEndian.PutUint64(h[8*i:], mix(n*4+uint64(i)))
	}
	return h
}

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Tokens returns f whole tokens of 18 decimals as a raw amount.
func Tokens(f float64) *big.Int {
	b, _ := new(big.Float).Mul(big.NewFloat(f), big.NewFloat(1e18)).Int(nil)
	return b
}

// Event locates an event row.
type Event struct {
	Block uint64
	Time  time.Time
	Tx    [32]byte
	Log   uint32
}

// Vote is one VoteCast row.
type Vote struct {
	Event
	Proposal uint64
	Voter    [20]byte
	Support  uint8
	Weight   *big.Int
	Reason   *string
}

// Proposal is one ProposalCreated row.
type Proposal struct {
	Event
	ID          uint64
	Proposer    [20]byte
	Targets     []string
	Values      []string
	Signatures  []string
	Calldatas   []string
	VoteStart   uint64
	VoteEnd     uint64
	Description string
}

// Outcome is one row of the states table; State is created, queued,
// executed, canceled or extended.
type Outcome struct {
	Event
	State    string
	Proposal uint64
}

// TokenEvent is one row of the erc20 dataset; Kind is Transfer,
// DelegateChanged or DelegateVotesChanged and only its columns are set.
type TokenEvent struct {
	Event
	Kind                                string
	From, To, Delegator, FromDel, ToDel *[20]byte
	Delegate                            *[20]byte
	Value, PreviousVotes, NewVotes      *big.Int
}

// CodeHash is one code observation.
type CodeHash struct {
	Address [20]byte
	Block   uint64
	Hash    [32]byte
}

// Governor and token addresses used by the builders.
var (
	GovernorAddr = Addr(1 << 40)
	TokenAddr    = Addr(1<<40 + 1)
)

type builder struct{ *array.RecordBuilder }

// reserve makes room for n rows in every column but the fixed-size binary
// ones: arrow-go's FixedSizeBinaryBuilder.Reserve rounds its value buffer up
// to twice the size for a power-of-two n (a 65,536-row chunk of 32-byte
// words would hold 4 MiB of slack), while appending grows it to exactly n
// values when n is a power of two.
func (b builder) reserve(n int) {
	for i := 0; i < b.Schema().NumFields(); i++ {
		if _, ok := b.Field(i).(*array.FixedSizeBinaryBuilder); !ok {
			b.Field(i).Reserve(n)
		}
	}
}

func newBuilder(s *datasets.Schema) builder {
	as, err := s.ArrowSchema()
	if err != nil {
		panic(err)
	}
	return builder{array.NewRecordBuilder(memory.DefaultAllocator, as)}
}

func (b builder) u64(i int, v uint64) { b.Field(i).(*array.Uint64Builder).Append(v) }
func (b builder) str(i int, v string) { b.Field(i).(*array.StringBuilder).Append(v) }
func (b builder) fixed(i int, v []byte) {
	b.Field(i).(*array.FixedSizeBinaryBuilder).Append(v)
}
func (b builder) optAddr(i int, a *[20]byte) {
	if a == nil {
		b.Field(i).AppendNull()
		return
	}
	b.fixed(i, a[:])
}
func (b builder) word(i int, v *big.Int) {
	if v == nil {
		b.Field(i).AppendNull()
		return
	}
	var w [32]byte
	v.FillBytes(w[:])
	b.fixed(i, w[:])
}
func (b builder) event(e Event, contract [20]byte) {
	b.u64(0, e.Block)
	b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(e.Time.UnixMicro()))
	b.fixed(2, e.Tx[:])
	b.Field(3).(*array.Uint32Builder).Append(e.Log)
	b.fixed(4, contract[:])
}

// VotesRecord builds a VotesSchema record; the caller releases it.
func VotesRecord(vs []Vote) arrow.RecordBatch {
	b := newBuilder(VotesSchema())
	defer b.Release()
	b.reserve(len(vs))
	for _, v := range vs {
		b.event(v.Event, GovernorAddr)
		b.word(5, new(big.Int).SetUint64(v.Proposal))
		b.fixed(6, v.Voter[:])
		b.Field(7).(*array.Uint8Builder).Append(v.Support)
		b.word(8, v.Weight)
		if v.Reason == nil {
			b.Field(9).AppendNull()
		} else {
			b.str(9, *v.Reason)
		}
	}
	return b.NewRecordBatch()
}

// ProposalsRecord builds a ProposalsSchema record; the caller releases it.
func ProposalsRecord(ps []Proposal) arrow.RecordBatch {
	b := newBuilder(ProposalsSchema())
	defer b.Release()
	b.reserve(len(ps))
	for _, p := range ps {
		b.event(p.Event, GovernorAddr)
		b.word(5, new(big.Int).SetUint64(p.ID))
		b.fixed(6, p.Proposer[:])
		for i, l := range [][]string{p.Targets, p.Values, p.Signatures, p.Calldatas} {
			js, _ := json.Marshal(l)
			if l == nil {
				js = []byte("[]")
			}
			b.str(7+i, string(js))
		}
		b.u64(11, p.VoteStart)
		b.u64(12, p.VoteEnd)
		b.str(13, p.Description)
	}
	return b.NewRecordBatch()
}

// StatesRecord builds a StatesSchema record; the caller releases it.
func StatesRecord(os []Outcome) arrow.RecordBatch {
	b := newBuilder(StatesSchema())
	defer b.Release()
	b.reserve(len(os))
	for _, o := range os {
		b.event(o.Event, GovernorAddr)
		b.word(5, new(big.Int).SetUint64(o.Proposal))
		b.str(6, o.State)
		for i := 7; i < 10; i++ {
			b.Field(i).AppendNull()
		}
	}
	return b.NewRecordBatch()
}

// TokenEventsRecord builds a TokenEventsSchema record; the caller releases it.
func TokenEventsRecord(es []TokenEvent) arrow.RecordBatch {
	b := newBuilder(TokenEventsSchema())
	defer b.Release()
	b.reserve(len(es))
	for _, e := range es {
		b.event(e.Event, TokenAddr)
		b.str(5, e.Kind)
		b.optAddr(6, e.From)
		b.optAddr(7, e.To)
		b.word(8, e.Value)
		b.optAddr(9, e.Delegator)
		b.optAddr(10, e.FromDel)
		b.optAddr(11, e.ToDel)
		b.optAddr(12, e.Delegate)
		b.word(13, e.PreviousVotes)
		b.word(14, e.NewVotes)
	}
	return b.NewRecordBatch()
}

// CodeHashesRecord builds a CodeHashesSchema record; the caller releases it.
func CodeHashesRecord(cs []CodeHash) arrow.RecordBatch {
	b := newBuilder(CodeHashesSchema())
	defer b.Release()
	b.reserve(len(cs))
	for _, c := range cs {
		b.u64(0, 1)
		b.fixed(1, c.Address[:])
		b.u64(2, c.Block)
		b.fixed(3, c.Hash[:])
	}
	return b.NewRecordBatch()
}
