package chainlink

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// Kind is the source kind name used in configuration.
const Kind = "chainlink"

// Factory returns the factory of chainlink sources, for a sources.Registry.
func Factory() sources.Factory {
	return sources.NewFactory(Kind,
		"Chainlink AggregatorV3 rounds (getRoundData since the last round) with decimals and the heartbeat",
		DefaultConfig, New)
}

// columns of a chainlink dataset.
var columns = []datasets.Column{
	{Name: "feed", Type: datasets.TypeAddress},
	{Name: "round_id", Type: datasets.TypeUint256},
	{Name: "phase_id", Type: datasets.TypeUint16},
	{Name: "aggregator_round", Type: datasets.TypeUint64},
	{Name: "answer", Type: datasets.TypeInt256},
	{Name: "decimals", Type: datasets.TypeUint8},
	{Name: "started_at", Type: datasets.TypeTimestamp},
	{Name: "updated_at", Type: datasets.TypeTimestamp},
	{Name: "answered_in_round", Type: datasets.TypeUint256},
	{Name: "heartbeat_seconds", Type: datasets.TypeUint64},
	{Name: chainrpc.ColBlockNumber, Type: datasets.TypeUint64},
	{Name: chainrpc.ColBlockHash, Type: datasets.TypeBytes32},
	{Name: chainrpc.ColBlockTime, Type: datasets.TypeTimestamp},
	{Name: chainrpc.ColSource, Type: datasets.TypeString},
	{Name: chainrpc.ColRawSHA256, Type: datasets.TypeBytes32},
}

// Source polls one AggregatorV3 feed. Each fetch reads the feed at one
// block (the safe head): the rounds after the cursor's last one, up to the
// latest.
type Source struct {
	id     string
	cfg    Config
	feed   common.Address
	client *chainrpc.Client
	deps   sources.Deps
	schema *datasets.Schema
	arrow  *arrow.Schema
	log    *slog.Logger
}

// New returns a chainlink source with the given id and configuration.
func New(id string, cfg Config, deps sources.Deps) (*Source, error) {
	if id == "" {
		return nil, chainrpc.ConfigErr(Kind, id, errors.New("empty source id"))
	}
	if err := errors.Join(cfg.RPC.Validate(), cfg.Validate()); err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	client, err := cfg.RPC.Client(id, deps)
	if err != nil {
		return nil, err
	}
	s := &Source{id: id, cfg: cfg, feed: common.HexToAddress(cfg.Feed), client: client, deps: deps,
		schema: &datasets.Schema{Columns: columns, Key: []string{"feed", "round_id"}}, log: deps.Logger}
	if s.arrow, err = s.schema.ArrowSchema(); err != nil {
		return nil, chainrpc.ConfigErr(Kind, id, err)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// ID returns the source id.
func (s *Source) ID() string { return s.id }

// Schema returns the round columns, the block read at and provenance.
func (s *Source) Schema() *datasets.Schema { return s.schema }

// state is the kind-specific part of the cursor.
type state struct {
	// Next is the round id to try next (decimal).
	Next string `json:"next"`
}

func (s *Source) wrap(err error) error { return fmt.Errorf("chainlink source %q: %w", s.id, err) }

// Fetch re-checks the block of the last poll (a changed hash returns a
// Rewind), then reads the feed at the safe head: decimals, the latest round
// id and getRoundData for every round after the cursor's, oldest first.
func (s *Source) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	if err := ctx.Err(); err != nil {
		return sources.Result{}, s.wrap(err)
	}
	c, err := chainrpc.DecodeCursor(cur, 0)
	if err != nil {
		return sources.Result{}, err
	}
	sc := s.cfg.scan()
	if err := chainrpc.CheckChain(ctx, s.client, s.id, sc.ChainID, &c); err != nil {
		return sources.Result{}, s.wrap(err)
	}
	prov := datasets.Provenance{Sources: []string{s.id}, Inputs: []datasets.Hash{}}
	rw, rc, err := chainrpc.CheckReorg(ctx, s.client, s.id, c, 0)
	if err != nil {
		return sources.Result{}, s.wrap(err)
	}
	if rw != nil {
		s.log.WarnContext(ctx, "chain source: reorganisation", "source", s.id, "reason", rw.Reason)
		return sources.Result{Cursor: rc.Encode(), Provenance: prov, Rewind: rw}, nil
	}
	block, hdr, err := chainrpc.Target(ctx, s.client, sc, c.Next)
	if err != nil {
		return sources.Result{}, s.wrap(err)
	}
	if hdr == nil {
		return sources.Result{Cursor: c.Encode(), Provenance: prov}, nil
	}
	p := &poll{s: s, call: &caller{src: s.id, cl: s.client, feed: s.feed, block: block}, hdr: hdr, emit: emit}
	next, err := p.run(ctx, c.State)
	if err != nil {
		return sources.Result{}, unwrapEmit(err, s.wrap)
	}
	st, _ := json.Marshal(state{Next: next.String()})
	c.Next, c.Rows, c.State = block+1, c.Rows+p.rows, st
	c.AddMark(chainrpc.Mark{Block: block, Hash: hdr.Hash, Rows: c.Rows, State: st}, sc.ReorgWindow)
	prov.Inputs = p.digests
	prov.BlockRange = &datasets.BlockRange{From: block, To: block, FromHash: datasets.Hash(hdr.Hash), ToHash: datasets.Hash(hdr.Hash)}
	return sources.Result{Cursor: c.Encode(), Provenance: prov}, nil
}

// poll is one fetch's reading of the feed.
type poll struct {
	s       *Source
	call    *caller
	hdr     *chainrpc.Header
	emit    sources.Emit
	rows    uint64
	digests []datasets.Hash
}

// run reads the rounds from the cursor state's next round to the latest,
// emits them and returns the round to try next time.
func (p *poll) run(ctx context.Context, raw json.RawMessage) (RoundID, error) {
	latest, err := p.call.latest(ctx)
	if err != nil {
		return RoundID{}, err
	}
	decimals, err := p.call.decimals(ctx)
	if err != nil {
		return RoundID{}, err
	}
	next, err := p.start(raw, latest)
	if err != nil {
		return RoundID{}, err
	}
	b := newBatch(p, decimals)
	defer b.release()
	for tried := uint64(0); tried < p.s.cfg.MaxRoundsPerFetch && !after(next, latest); tried++ {
		r, err := p.call.round(ctx, next)
		if err != nil {
			return RoundID{}, err
		}
		switch {
		case r != nil:
			if err := b.add(ctx, r); err != nil {
				return RoundID{}, err
			}
			next.Round++
		case next.Phase < latest.Phase: // an older phase ended: go on with the next one
			p.s.log.InfoContext(ctx, "chainlink: phase ended", "source", p.s.id, "phase", next.Phase, "last_round", next.Round-1)
			next = RoundID{Phase: next.Phase + 1, Round: 1}
		default: // a round without data inside the current phase: a gap
			p.s.log.WarnContext(ctx, "chainlink: round has no data", "source", p.s.id, "round", next.String())
			next.Round++
		}
	}
	return next, b.flush(ctx)
}

// start returns the first round to read.
func (p *poll) start(raw json.RawMessage, latest RoundID) (RoundID, error) {
	if len(raw) == 0 {
		first := uint64(1)
		if latest.Round > p.s.cfg.Backfill {
			first = latest.Round - p.s.cfg.Backfill
		}
		return RoundID{Phase: latest.Phase, Round: first}, nil
	}
	var st state
	if err := json.Unmarshal(raw, &st); err != nil {
		return RoundID{}, fmt.Errorf("%w: chainlink cursor state %s: %v", sources.ErrCursor, raw, err)
	}
	v, ok := new(big.Int).SetString(st.Next, 10)
	if !ok || v.Sign() < 0 || v.BitLen() > 80 {
		return RoundID{}, fmt.Errorf("%w: chainlink cursor round %q", sources.ErrCursor, st.Next)
	}
	return ParseRoundID(v.FillBytes(make([]byte, 32)))
}

// after reports whether a is past b.
func after(a, b RoundID) bool {
	return a.Phase > b.Phase || (a.Phase == b.Phase && a.Round > b.Round)
}

// digest keeps a raw body and returns its SHA-256.
func (p *poll) digest(ctx context.Context, body []byte) (datasets.Hash, error) {
	if p.s.deps.Raw != nil {
		return p.s.deps.Raw.Put(ctx, body)
	}
	return sha256.Sum256(body), nil
}

// batch builds records of rounds.
type batch struct {
	p        *poll
	rb       *array.RecordBuilder
	decimals uint8
	n        int
}

func newBatch(p *poll, decimals uint8) *batch {
	return &batch{p: p, rb: array.NewRecordBuilder(memory.DefaultAllocator, p.s.arrow), decimals: decimals}
}

func (b *batch) release() { b.rb.Release() }

// add appends one round.
func (b *batch) add(ctx context.Context, r *Round) error {
	d, err := b.p.digest(ctx, r.Body)
	if err != nil {
		return err
	}
	f := b.rb.Fields()
	hdr := b.p.hdr
	f[0].(*array.FixedSizeBinaryBuilder).Append(b.p.s.feed[:])
	f[1].(*array.FixedSizeBinaryBuilder).Append(r.ID.Word())
	f[2].(*array.Uint16Builder).Append(r.ID.Phase)
	f[3].(*array.Uint64Builder).Append(r.ID.Round)
	f[4].(*array.FixedSizeBinaryBuilder).Append(r.Answer)
	f[5].(*array.Uint8Builder).Append(b.decimals)
	f[6].(*array.TimestampBuilder).Append(arrow.Timestamp(int64(r.StartedAt) * 1_000_000))
	f[7].(*array.TimestampBuilder).Append(arrow.Timestamp(int64(r.UpdatedAt) * 1_000_000))
	f[8].(*array.FixedSizeBinaryBuilder).Append(r.AnsweredInRound)
	f[9].(*array.Uint64Builder).Append(uint64(b.p.s.cfg.Heartbeat.Seconds()))
	f[10].(*array.Uint64Builder).Append(hdr.Number)
	f[11].(*array.FixedSizeBinaryBuilder).Append(hdr.Hash[:])
	f[12].(*array.TimestampBuilder).Append(arrow.Timestamp(int64(hdr.Time) * 1_000_000))
	f[13].(*array.StringBuilder).Append(b.p.s.id)
	f[14].(*array.FixedSizeBinaryBuilder).Append(d[:])
	b.n++
	b.p.rows++
	if len(b.p.digests) == 0 || b.p.digests[len(b.p.digests)-1] != d {
		b.p.digests = append(b.p.digests, d)
	}
	if b.n >= b.p.s.cfg.BatchRows {
		return b.flush(ctx)
	}
	return nil
}

// flush emits the rows built so far.
func (b *batch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.n = 0
	// A poll is the unit a feed source does not stop inside (its cursor
	// is a block with the next round to read): told sources.ErrEnough, it
	// finishes the rounds up to the latest one at the polled block.
	if err := b.p.emit(rec); err != nil && !errors.Is(err, sources.ErrEnough) {
		return &emitError{err}
	}
	return nil
}

// emitError carries an Emit error, which Fetch returns unchanged.
type emitError struct{ err error }

func (e *emitError) Error() string { return e.err.Error() }
func (e *emitError) Unwrap() error { return e.err }

func unwrapEmit(err error, wrap func(error) error) error {
	var ee *emitError
	if errors.As(err, &ee) {
		return ee.err
	}
	return wrap(err)
}
