package chainrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// Mark is an ingested block: its hash and the number of rows the dataset
// held once the block's rows were written. Marks let a source map a fork
// point to a row count.
type Mark struct {
	Block uint64      `json:"block"`
	Hash  common.Hash `json:"hash"`
	Rows  uint64      `json:"rows"`
	// State is the kind-specific position after this block (chainlink's
	// last round), restored when a reorganisation rewinds to the mark.
	State json.RawMessage `json:"state,omitempty"`
}

// Cursor is the position of a chain source, committed with each version.
type Cursor struct {
	// Next is the first block not read yet.
	Next uint64 `json:"next"`
	// Rows is the number of rows emitted so far (the dataset's row count).
	Rows uint64 `json:"rows"`
	// ChainID is the chain the rows came from; a different chain is refused.
	ChainID uint64 `json:"chainId,omitempty"`
	// Span is the adaptive eth_getLogs range state.
	Span SpanState `json:"span,omitzero"`
	// Marks are recent ingested blocks, oldest first; the last one is the
	// last ingested block (Next-1).
	Marks []Mark `json:"marks,omitempty"`
	// Trimmed says marks older than the reorg window were dropped.
	Trimmed bool `json:"trimmed,omitempty"`
	// State is the kind-specific position (see Mark.State).
	State json.RawMessage `json:"state,omitempty"`
}

// DecodeCursor decodes a committed cursor; nil means "from start".
func DecodeCursor(b sources.Cursor, start uint64) (Cursor, error) {
	if len(b) == 0 {
		return Cursor{Next: start}, nil
	}
	var c Cursor
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%w: chain cursor %.200q: %v", sources.ErrCursor, b, err)
	}
	if !sort.SliceIsSorted(c.Marks, func(i, j int) bool { return c.Marks[i].Block < c.Marks[j].Block }) {
		return c, fmt.Errorf("%w: chain cursor: marks are not in block order", sources.ErrCursor)
	}
	return c, nil
}

// Encode returns the cursor's JSON.
func (c Cursor) Encode() sources.Cursor {
	b, _ := json.Marshal(c)
	return b
}

// Last returns the last ingested block, if any.
func (c Cursor) Last() (Mark, bool) {
	if len(c.Marks) == 0 {
		return Mark{}, false
	}
	return c.Marks[len(c.Marks)-1], true
}

// AddMark records an ingested block and drops marks more than window blocks
// older than it (the last mark is always kept).
func (c *Cursor) AddMark(m Mark, window uint64) {
	if n := len(c.Marks); n > 0 && c.Marks[n-1].Block == m.Block {
		c.Marks[n-1] = m
	} else {
		c.Marks = append(c.Marks, m)
	}
	drop := 0
	for drop < len(c.Marks)-1 && c.Marks[drop].Block+window < m.Block {
		drop++
	}
	if drop > 0 {
		c.Marks = append([]Mark(nil), c.Marks[drop:]...)
		c.Trimmed = true
	}
}

// HeaderSource returns canonical headers by number (a *Client).
type HeaderSource interface {
	HeaderByNumber(ctx context.Context, n uint64) (*Header, error)
	HeaderByTag(ctx context.Context, tag string) (*Header, error)
}

// CheckReorg re-checks the hash of the last ingested block. When it
// changed, it finds the fork point among the cursor's marks and returns the
// rewind (rows before the fork are kept) with the rewound cursor; start is
// the configured first block, used when the fork precedes every mark and no
// mark was ever dropped. A fork older than every kept mark is an error
// wrapping sources.ErrChanged; a node that lags behind the last ingested
// block is sources.ErrTransient.
func CheckReorg(ctx context.Context, hs HeaderSource, source string, c Cursor, start uint64) (*sources.Rewind, Cursor, error) {
	last, ok := c.Last()
	if !ok {
		return nil, c, nil
	}
	h, err := hs.HeaderByNumber(ctx, last.Block)
	if err != nil {
		return nil, c, err
	}
	if h != nil && h.Hash == last.Hash {
		return nil, c, nil
	}
	now := "missing"
	if h == nil {
		head, err := hs.HeaderByTag(ctx, "latest")
		if err != nil {
			return nil, c, err
		}
		if head.Number < last.Block {
			return nil, c, fmt.Errorf("%w: source %q: the node's head %d is behind the last ingested block %d", sources.ErrTransient, source, head.Number, last.Block)
		}
	} else {
		now = h.Hash.Hex()
	}
	// Marks before the fork match, marks after it do not: binary search.
	var searchErr error
	k := sort.Search(len(c.Marks)-1, func(i int) bool {
		if searchErr != nil {
			return true
		}
		hi, err := hs.HeaderByNumber(ctx, c.Marks[i].Block)
		if err != nil {
			searchErr = err
			return true
		}
		return hi == nil || hi.Hash != c.Marks[i].Hash
	})
	if searchErr != nil {
		return nil, c, searchErr
	}
	next := c
	next.Marks = append([]Mark(nil), c.Marks[:k]...)
	var fork string
	if k == 0 {
		if c.Trimmed {
			return nil, c, fmt.Errorf("%w: source %q: chain reorganisation deeper than the reorg window: block %d was %s, now %s, and no kept mark (oldest: block %d) is still canonical",
				sources.ErrChanged, source, last.Block, last.Hash.Hex(), now, c.Marks[0].Block)
		}
		next.Next, next.Rows, next.State = start, 0, nil
		fork = fmt.Sprintf("no ingested block is still canonical; starting again from block %d", start)
	} else {
		m := c.Marks[k-1]
		next.Next, next.Rows, next.State = m.Block+1, m.Rows, m.State
		fork = fmt.Sprintf("fork after block %d (%s)", m.Block, m.Hash.Hex())
	}
	reason := fmt.Sprintf("chain reorganisation: block %d was %s, now %s; %s; keeping %d of %d rows and re-reading from block %d",
		last.Block, last.Hash.Hex(), now, fork, next.Rows, c.Rows, next.Next)
	return &sources.Rewind{KeepRows: next.Rows, Reason: reason}, next, nil
}
