package chainrpc

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// ctxCheckRows is how often (in rows) delivery checks for cancellation.
const ctxCheckRows = 4096

// emitter turns delivered pieces into record batches, in order, and keeps
// the marks and digests the cursor and provenance need.
type emitter struct {
	ctx  context.Context
	s    *LogSource
	emit sources.Emit
	to   uint64
	base uint64 // rows before this fetch

	rb      *array.RecordBuilder
	table   []array.Builder
	number  *array.Uint64Builder
	bhash   *array.FixedSizeBinaryBuilder
	btime   *array.TimestampBuilder
	txhash  *array.FixedSizeBinaryBuilder
	txindex *array.Uint32Builder
	lindex  *array.Uint32Builder
	addr    *array.FixedSizeBinaryBuilder
	src     *array.StringBuilder
	raw     *array.FixedSizeBinaryBuilder

	rows  int    // rows in the current batch
	total uint64 // rows in this fetch

	started   bool
	lastBlock uint64
	lastIndex uint32
	lastHash  common.Hash
	marks     []Mark
	digests   []datasets.Hash
	bad       []sources.BadValue

	// enough is set when Emit returned sources.ErrEnough: the fetch ends
	// with the piece being delivered (its block range is the unit a log
	// source cannot stop inside, because its cursor is a block number),
	// whose last block is stopAt.
	enough bool
	stopAt uint64
}

// errStop ends a scan whose Emit had enough, after a whole piece.
var errStop = errors.New("chain source: enough rows for this fetch")

func (s *LogSource) newEmitter(ctx context.Context, base, to uint64, emit sources.Emit) *emitter {
	rb := array.NewRecordBuilder(s.mem, s.arrow)
	n := len(leading)
	e := &emitter{
		ctx: ctx, s: s, emit: emit, to: to, base: base, rb: rb,
		number:  rb.Field(0).(*array.Uint64Builder),
		bhash:   rb.Field(1).(*array.FixedSizeBinaryBuilder),
		btime:   rb.Field(2).(*array.TimestampBuilder),
		txhash:  rb.Field(3).(*array.FixedSizeBinaryBuilder),
		txindex: rb.Field(4).(*array.Uint32Builder),
		lindex:  rb.Field(5).(*array.Uint32Builder),
		addr:    rb.Field(6).(*array.FixedSizeBinaryBuilder),
		src:     rb.Field(n + s.nTable).(*array.StringBuilder),
		raw:     rb.Field(n + s.nTable + 1).(*array.FixedSizeBinaryBuilder),
	}
	for i := range s.nTable {
		e.table = append(e.table, rb.Field(n+i))
	}
	return e
}

func (e *emitter) release() { e.rb.Release() }

// deliver appends the rows of one piece.
func (e *emitter) deliver(p *Piece) error {
	if len(p.Logs) == 0 {
		return nil
	}
	rowsBefore := e.total
	for i := range p.Logs {
		lg := &p.Logs[i]
		if err := e.check(p, lg); err != nil {
			return err
		}
		bad := lg.Bad
		if len(bad) == 0 {
			err := e.s.cfg.Table.Append(e.table, lg)
			switch {
			case errors.Is(err, ErrSkip):
				continue
			case errors.Is(err, ErrWrongContract):
				return &ResponseError{Source: e.s.id, Method: "eth_getLogs", What: p.Range.String(), Offset: lg.Offset,
					Msg: fmt.Sprintf("log %d of block %d (tx %s): %v", lg.LogIndex, lg.BlockNumber, lg.TxHash.Hex(), err)}
			case err != nil:
				bad = []BadField{undecodable(lg, err)}
			}
		}
		if len(bad) > 0 {
			e.appendPlaceholders(p, lg, bad)
		}
		e.appendCommon(lg, p.Digest)
		if e.rows%ctxCheckRows == 0 {
			if err := e.ctx.Err(); err != nil {
				return err
			}
		}
		if e.rows >= e.s.cfg.Scan.BatchRows {
			if err := e.flush(); err != nil {
				return err
			}
		}
	}
	if e.total > rowsBefore {
		e.digests = append(e.digests, p.Digest)
	}
	if e.enough {
		if err := e.flush(); err != nil {
			return err
		}
		e.stopAt = p.Range.To
		return errStop
	}
	return nil
}

// undecodable describes a log that its table cannot decode: the column
// the table names, else "data" with the log's data as raw value.
func undecodable(lg *Log, err error) BadField {
	var ce *CellError
	if errors.As(err, &ce) {
		return BadField{Field: ce.Column, Raw: ce.Raw, Problem: err.Error()}
	}
	return BadField{Field: "data", Raw: clip([]byte(hexutil.Encode(lg.Data))), Problem: err.Error()}
}

// appendPlaceholders appends a row of placeholders (null in nullable
// columns, the zero value otherwise) for a log with bad fields and reports
// each field as a bad value located by block, log index and transaction.
func (e *emitter) appendPlaceholders(p *Piece, lg *Log, bad []BadField) {
	for i, c := range e.s.cfg.Table.Columns() {
		if c.Nullable {
			e.table[i].AppendNull()
		} else {
			e.table[i].AppendEmptyValue()
		}
	}
	loc := fmt.Sprintf("block %d log %d tx %s (eth_getLogs %s)", lg.BlockNumber, lg.LogIndex, lg.TxHash.Hex(), p.Range)
	for _, b := range bad {
		e.bad = append(e.bad, sources.BadValue{Row: int(e.total), Column: b.Field, Raw: b.Raw, Locator: loc, Problem: b.Problem})
	}
}

// check enforces (block, log index) order, one hash per block and mined
// logs, and records a mark when a block ends.
func (e *emitter) check(p *Piece, lg *Log) error {
	bad := func(format string, args ...any) error {
		return &ResponseError{Source: e.s.id, Method: "eth_getLogs", What: p.Range.String(), Offset: lg.Offset, Msg: fmt.Sprintf(format, args...)}
	}
	if lg.Removed {
		return fmt.Errorf("%w: log %d of block %d is marked removed: the chain reorganised during the fetch", sources.ErrTransient, lg.LogIndex, lg.BlockNumber)
	}
	if !lg.HasBlockTime {
		return bad("log %d of block %d has no block time", lg.LogIndex, lg.BlockNumber)
	}
	if !e.started {
		e.started = true
		e.lastBlock, e.lastIndex, e.lastHash = lg.BlockNumber, lg.LogIndex, lg.BlockHash
		return nil
	}
	switch {
	case lg.BlockNumber < e.lastBlock || (lg.BlockNumber == e.lastBlock && lg.LogIndex <= e.lastIndex):
		return bad("log %d of block %d comes after log %d of block %d: logs out of order or repeated", lg.LogIndex, lg.BlockNumber, e.lastIndex, e.lastBlock)
	case lg.BlockNumber == e.lastBlock && lg.BlockHash != e.lastHash:
		return fmt.Errorf("%w: block %d has logs with hashes %s and %s: the chain reorganised during the fetch", sources.ErrTransient, lg.BlockNumber, e.lastHash.Hex(), lg.BlockHash.Hex())
	case lg.BlockNumber > e.lastBlock:
		e.mark()
	}
	e.lastBlock, e.lastIndex, e.lastHash = lg.BlockNumber, lg.LogIndex, lg.BlockHash
	return nil
}

// mark records the block that just ended and drops the marks more than
// the reorg window older than it (the fetch may stop at any block, see
// enough; marksNear keeps those near the block it ends at).
func (e *emitter) mark() {
	w := e.s.cfg.Scan.ReorgWindow
	e.marks = append(e.marks, Mark{Block: e.lastBlock, Hash: e.lastHash, Rows: e.base + e.total})
	i := 0
	for i < len(e.marks) && e.marks[i].Block+w < e.lastBlock {
		i++
	}
	if i > 0 {
		e.marks = append(e.marks[:0], e.marks[i:]...)
	}
}

// marksNear returns the marks within the reorg window of block to.
func (e *emitter) marksNear(to uint64) []Mark {
	var out []Mark
	for _, m := range e.marks {
		if m.Block+e.s.cfg.Scan.ReorgWindow >= to {
			out = append(out, m)
		}
	}
	return out
}

func (e *emitter) appendCommon(lg *Log, digest datasets.Hash) {
	e.number.Append(lg.BlockNumber)
	e.bhash.Append(lg.BlockHash[:])
	e.btime.Append(arrow.Timestamp(int64(lg.BlockTime) * 1_000_000))
	e.txhash.Append(lg.TxHash[:])
	e.txindex.Append(lg.TxIndex)
	e.lindex.Append(lg.LogIndex)
	e.addr.Append(lg.Address[:])
	e.src.Append(e.s.id)
	e.raw.Append(digest[:])
	e.rows++
	e.total++
}

// flush emits the rows built so far and closes the last block's mark.
func (e *emitter) flush() error {
	if e.rows > 0 {
		if err := e.ctx.Err(); err != nil {
			return err
		}
		rec := e.rb.NewRecordBatch()
		e.rows = 0
		err := e.emit(rec)
		rec.Release()
		if errors.Is(err, sources.ErrEnough) {
			e.enough = true // the rest of the piece follows, then the fetch stops
			return nil
		}
		if err != nil {
			return &emitError{err}
		}
	}
	return nil
}

// finish records the mark of the last block with logs.
func (e *emitter) finish() {
	if e.started {
		e.mark()
	}
}

// emitError carries an error returned by Emit, which Fetch must return
// unchanged.
type emitError struct{ err error }

func (e *emitError) Error() string { return e.err.Error() }
func (e *emitError) Unwrap() error { return e.err }

// unwrapEmit returns an Emit error unchanged and wraps any other error.
func unwrapEmit(err error, wrap func(error) error) error {
	var ee *emitError
	if errors.As(err, &ee) {
		return ee.err
	}
	return wrap(err)
}
