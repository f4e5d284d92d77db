package chainrpc

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Column names every log-based dataset starts and ends with.
const (
	ColBlockNumber = "block_number"
	ColBlockHash   = "block_hash"
	ColBlockTime   = "block_time"
	ColTxHash      = "tx_hash"
	ColTxIndex     = "tx_index"
	ColLogIndex    = "log_index"
	ColAddress     = "address"
	// ColSource holds the source id and ColRawSHA256 the SHA-256 of the raw
	// JSON-RPC response body the row was decoded from (kept in the store's
	// raw area when sources.Deps.Raw is set).
	ColSource    = "_source"
	ColRawSHA256 = "_raw_sha256"
)

// leading are the columns before a table's own.
var leading = []datasets.Column{
	{Name: ColBlockNumber, Type: datasets.TypeUint64},
	{Name: ColBlockHash, Type: datasets.TypeBytes32},
	{Name: ColBlockTime, Type: datasets.TypeTimestamp},
	{Name: ColTxHash, Type: datasets.TypeBytes32},
	{Name: ColTxIndex, Type: datasets.TypeUint32},
	{Name: ColLogIndex, Type: datasets.TypeUint32},
	{Name: ColAddress, Type: datasets.TypeAddress},
}

// trailing are the provenance columns after a table's own.
var trailing = []datasets.Column{
	{Name: ColSource, Type: datasets.TypeString},
	{Name: ColRawSHA256, Type: datasets.TypeBytes32},
}

// ReservedColumn reports whether name is one of the common columns.
func ReservedColumn(name string) bool {
	for _, c := range append(append([]datasets.Column(nil), leading...), trailing...) {
		if c.Name == name {
			return true
		}
	}
	return false
}

// ErrSkip is returned by Table.Append for a log that is not a row.
var ErrSkip = errors.New("log is not a row of this table")

// ErrWrongContract is wrapped by Table.Append errors that say the
// configured contract is not of the table's kind (an ERC-721 token read
// as ERC-20): such an error fails the fetch, whatever on_bad_value says,
// because every row of the contract would be bad.
var ErrWrongContract = errors.New("the contract is not of the configured kind")

// CellError is a Table.Append error that names the column whose value
// does not decode; other errors are reported on the column "data".
type CellError struct {
	Column string
	Raw    string
	Err    error
}

// Error implements error.
func (e *CellError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *CellError) Unwrap() error { return e.Err }

// Table turns the logs of one dataset into rows.
type Table interface {
	// Columns are the table's own columns, placed between the common
	// leading columns (block_number … address) and the provenance columns.
	Columns() []datasets.Column
	// Topics is the eth_getLogs topic filter.
	Topics() [][]common.Hash
	// Append decodes lg into bs (one builder per column of Columns). It
	// returns ErrSkip, having appended nothing, for a log that is not a
	// row; any other error (appending nothing either) means the log does
	// not decode: the log source then emits the row with placeholders and
	// reports it as a bad value (Result.BadValues), or fails the fetch
	// for errors wrapping ErrWrongContract.
	Append(bs []array.Builder, lg *Log) error
}

// LogSourceConfig configures a LogSource.
type LogSourceConfig struct {
	Kind      string
	Client    *Client
	Addresses []common.Address
	Table     Table
	// Key names the key columns (default tx_hash, log_index).
	Key  []string
	Scan ScanConfig
	Deps sources.Deps
}

// LogSource is a sources.Source over eth_getLogs: it reads the logs of
// configured contracts block range by block range and decodes them with a
// Table. The evm_logs, governor and erc20 kinds are LogSources.
type LogSource struct {
	id     string
	cfg    LogSourceConfig
	schema *datasets.Schema
	arrow  *arrow.Schema
	nTable int
	times  *TimeCache
	log    *slog.Logger
	mem    memory.Allocator
}

// NewLogSource returns a log source with the given id.
func NewLogSource(id string, cfg LogSourceConfig) (*LogSource, error) {
	cols := append(append(append([]datasets.Column(nil), leading...), cfg.Table.Columns()...), trailing...)
	key := cfg.Key
	if len(key) == 0 {
		key = []string{ColTxHash, ColLogIndex}
	}
	schema := &datasets.Schema{Columns: cols, Key: key}
	if err := schema.Validate(); err != nil {
		return nil, ConfigErr(cfg.Kind, id, err)
	}
	as, err := schema.ArrowSchema()
	if err != nil {
		return nil, ConfigErr(cfg.Kind, id, err)
	}
	return &LogSource{id: id, cfg: cfg, schema: schema, arrow: as, nTable: len(cfg.Table.Columns()),
		times: NewTimeCache(), log: logger(cfg.Deps), mem: memory.DefaultAllocator}, nil
}

// ID returns the source id.
func (s *LogSource) ID() string { return s.id }

// Schema returns block_number, block_hash, block_time, tx_hash, tx_index,
// log_index, address, the table's columns, _source and _raw_sha256.
func (s *LogSource) Schema() *datasets.Schema { return s.schema }

// Client returns the source's RPC client.
func (s *LogSource) Client() *Client { return s.cfg.Client }

func (s *LogSource) wrap(err error) error {
	return fmt.Errorf("%s source %q: %w", s.cfg.Kind, s.id, err)
}

// Fetch re-checks the last ingested block (a changed hash returns a
// Rewind), then reads the logs from the cursor's next block up to the safe
// head and emits them in (block, log index) order.
func (s *LogSource) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	if err := ctx.Err(); err != nil {
		return sources.Result{}, s.wrap(err)
	}
	c, err := DecodeCursor(cur, s.cfg.Scan.StartBlock)
	if err != nil {
		return sources.Result{}, err
	}
	if err := CheckChain(ctx, s.cfg.Client, s.id, s.cfg.Scan.ChainID, &c); err != nil {
		return sources.Result{}, s.wrap(err)
	}
	prov := datasets.Provenance{Sources: []string{s.id}, Inputs: []datasets.Hash{}}
	rw, rc, err := CheckReorg(ctx, s.cfg.Client, s.id, c, s.cfg.Scan.StartBlock)
	if err != nil {
		return sources.Result{}, s.wrap(err)
	}
	if rw != nil {
		s.log.WarnContext(ctx, "chain source: reorganisation", "source", s.id, "reason", rw.Reason)
		return sources.Result{Cursor: rc.Encode(), Provenance: prov, Rewind: rw}, nil
	}
	to, toHdr, err := Target(ctx, s.cfg.Client, s.cfg.Scan, c.Next)
	if err != nil {
		return sources.Result{}, s.wrap(err)
	}
	if toHdr == nil {
		return sources.Result{Cursor: c.Encode(), Provenance: prov}, nil
	}
	fromHdr, err := s.cfg.Client.HeaderByNumber(ctx, c.Next)
	if err != nil || fromHdr == nil {
		return sources.Result{}, s.wrap(missingBlock(s.id, c.Next, err))
	}
	e := s.newEmitter(ctx, c.Rows, to, emit)
	defer e.release()
	filter := Filter{Addresses: s.cfg.Addresses, Topics: s.cfg.Table.Topics()}
	fetch := func(ctx context.Context, r Range) (*Logs, error) { return s.cfg.Client.GetLogs(ctx, filter, r) }
	opts := ScanOptions{InitialSpan: s.cfg.Scan.BlockRange, MaxSpan: s.cfg.Scan.MaxBlockRange, Concurrency: s.cfg.Scan.Concurrency}
	span, err := Scan(ctx, opts, c.Span, c.Next, to, fetch, s.prep, e.deliver)
	if errors.Is(err, errStop) {
		// Emit had enough: the fetch ends with the piece it was told in.
		span, err = c.Span, nil
		if to, toHdr, err = e.stopAt, nil, ctx.Err(); err == nil {
			toHdr, err = s.cfg.Client.HeaderByNumber(ctx, to)
			if err == nil && toHdr == nil {
				err = missingBlock(s.id, to, nil)
			}
		}
	} else if err == nil {
		err = e.flush()
	}
	if err != nil {
		return sources.Result{}, unwrapEmit(err, s.wrap)
	}
	e.finish()
	if err := s.recheck(ctx, toHdr, e); err != nil {
		return sources.Result{}, s.wrap(err)
	}
	marks := append(e.marksNear(to), Mark{Block: to, Hash: toHdr.Hash, Rows: c.Rows + e.total})
	from := c.Next
	c.Next, c.Rows, c.Span = to+1, c.Rows+e.total, span
	c.AddMarks(marks, s.cfg.Scan.ReorgWindow)
	prov.Inputs = e.digests
	prov.BlockRange = &datasets.BlockRange{From: from, To: to, FromHash: datasets.Hash(fromHdr.Hash), ToHash: datasets.Hash(toHdr.Hash)}
	s.log.DebugContext(ctx, "chain source: fetched", "source", s.id, "from", from, "to", to, "rows", e.total, "span", span.Size)
	return sources.Result{Cursor: c.Encode(), Provenance: prov, BadValues: e.bad}, nil
}

// recheck verifies that the range's last block is still canonical and
// agrees with the logs read from it.
func (s *LogSource) recheck(ctx context.Context, toHdr *Header, e *emitter) error {
	if n := len(e.marks); n > 0 && e.marks[n-1].Block == toHdr.Number && e.marks[n-1].Hash != toHdr.Hash {
		return fmt.Errorf("%w: block %d changed during the fetch (header %s, logs %s)", sources.ErrTransient, toHdr.Number, toHdr.Hash.Hex(), e.marks[n-1].Hash.Hex())
	}
	h, err := s.cfg.Client.HeaderByNumber(ctx, toHdr.Number)
	if err != nil {
		return err
	}
	if h == nil || h.Hash != toHdr.Hash {
		return fmt.Errorf("%w: block %d was reorganised during the fetch", sources.ErrTransient, toHdr.Number)
	}
	return nil
}

// prep hashes and keeps the raw body of a piece with logs and resolves the
// block times the node did not send.
func (s *LogSource) prep(ctx context.Context, p *Piece) error {
	body := p.Body
	p.Body = nil
	if len(p.Logs) == 0 {
		return nil
	}
	if s.cfg.Deps.Raw != nil {
		d, err := s.cfg.Deps.Raw.Put(ctx, body)
		if err != nil {
			return fmt.Errorf("keeping the raw response of %s: %w", p.Range, err)
		}
		p.Digest = d
	} else {
		p.Digest = sha256.Sum256(body)
	}
	return s.times.Resolve(ctx, s.cfg.Client, p.Logs)
}

// AddMarks records ingested blocks (in block order) and drops marks more
// than window blocks older than the newest.
func (c *Cursor) AddMarks(ms []Mark, window uint64) {
	for i, m := range ms {
		if i < len(ms)-1 && m.Block+window < ms[len(ms)-1].Block {
			continue
		}
		c.AddMark(m, window)
	}
	if len(ms) > 0 && ms[0].Block+window < ms[len(ms)-1].Block {
		c.Trimmed = true
	}
}

// CheckChain checks the node's chain id against the configured one and the
// one the cursor's rows came from, and records it in the cursor.
func CheckChain(ctx context.Context, cl *Client, source string, want uint64, c *Cursor) error {
	id, err := cl.ChainID(ctx)
	if err != nil {
		return err
	}
	switch {
	case want != 0 && id != want:
		return fmt.Errorf("%w: source %q: the node at %s serves chain %d, the configuration says chain_id %d", sources.ErrConfig, source, cl.Endpoint(), id, want)
	case c.ChainID != 0 && id != c.ChainID:
		return fmt.Errorf("%w: source %q: the node at %s serves chain %d, the rows so far came from chain %d", sources.ErrChanged, source, cl.Endpoint(), id, c.ChainID)
	}
	c.ChainID = id
	return nil
}

// Target returns the last block to read from next on: the safe head (or
// the end block, or next+max_blocks_per_fetch-1, whichever is first) with
// its header; the header is nil when there is nothing to read.
func Target(ctx context.Context, cl *Client, sc ScanConfig, next uint64) (uint64, *Header, error) {
	tag := sc.Finality
	head, err := cl.HeaderByTag(ctx, tag)
	if err != nil {
		return 0, nil, err
	}
	if tag == FinalityLatest && head.Number < sc.Confirmations {
		return 0, nil, nil
	}
	to := head.Number
	if tag == FinalityLatest {
		to -= sc.Confirmations
	}
	if sc.EndBlock > 0 {
		to = min(to, sc.EndBlock)
	}
	if sc.MaxBlocksPerFetch > 0 && next+sc.MaxBlocksPerFetch-1 >= next {
		to = min(to, next+sc.MaxBlocksPerFetch-1)
	}
	if to < next {
		return 0, nil, nil
	}
	if to == head.Number {
		return to, head, nil
	}
	h, err := cl.HeaderByNumber(ctx, to)
	if err != nil || h == nil {
		return 0, nil, missingBlock(cl.opts.Source, to, err)
	}
	return to, h, nil
}

func missingBlock(source string, n uint64, err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: source %q: the node has no block %d below its head", sources.ErrTransient, source, n)
}
