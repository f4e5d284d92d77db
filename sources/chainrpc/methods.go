package chainrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Range is an inclusive block range.
type Range struct {
	From, To uint64
}

// Len returns the number of blocks in r.
func (r Range) Len() uint64 { return r.To - r.From + 1 }

func (r Range) String() string {
	if r.From == r.To {
		return fmt.Sprintf("block %d", r.From)
	}
	return fmt.Sprintf("blocks %d-%d", r.From, r.To)
}

// Header is the part of a block header the sources use.
type Header struct {
	Number     uint64
	Hash       common.Hash
	ParentHash common.Hash
	Time       uint64
}

// headerJSON is the JSON form of a block (transactions not requested).
type headerJSON struct {
	Number     *hexutil.Uint64 `json:"number"`
	Hash       *common.Hash    `json:"hash"`
	ParentHash *common.Hash    `json:"parentHash"`
	Timestamp  *hexutil.Uint64 `json:"timestamp"`
}

// decodeResult decodes a small result with encoding/json, reporting byte
// offsets in the body.
func (c *Client) decodeResult(method, what string, resp *Response, v any) error {
	if err := json.Unmarshal(resp.Result, v); err != nil {
		off := -1
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = resp.ResultOffset + int(se.Offset)
		case errors.As(err, &te):
			off = resp.ResultOffset + int(te.Offset)
		default:
			off = resp.ResultOffset
		}
		return &ResponseError{Source: c.opts.Source, Method: method, What: what, Offset: off, Msg: err.Error()}
	}
	return nil
}

// isNull reports whether a result is JSON null.
func isNull(resp *Response) bool { return bytes.Equal(resp.Result, []byte("null")) }

// header fetches a block header with method and its argument; a missing
// block gives (nil, nil).
func (c *Client) header(ctx context.Context, method, what string, arg any) (*Header, error) {
	resp, err := c.Call(ctx, method, what, arg, false)
	if err != nil {
		return nil, err
	}
	if isNull(resp) {
		return nil, nil
	}
	var hj headerJSON
	if err := c.decodeResult(method, what, resp, &hj); err != nil {
		return nil, err
	}
	if hj.Number == nil || hj.Hash == nil || hj.ParentHash == nil || hj.Timestamp == nil {
		return nil, &ResponseError{Source: c.opts.Source, Method: method, What: what, Offset: resp.ResultOffset,
			Msg: "block lacks number, hash, parentHash or timestamp"}
	}
	return &Header{Number: uint64(*hj.Number), Hash: *hj.Hash, ParentHash: *hj.ParentHash, Time: uint64(*hj.Timestamp)}, nil
}

// HeaderByNumber returns the header of block n, or nil when the node has no
// such block.
func (c *Client) HeaderByNumber(ctx context.Context, n uint64) (*Header, error) {
	return c.header(ctx, "eth_getBlockByNumber", fmt.Sprintf("block %d", n), hexutil.Uint64(n))
}

// HeaderByTag returns the header of a tagged block: latest, safe or finalized.
func (c *Client) HeaderByTag(ctx context.Context, tag string) (*Header, error) {
	h, err := c.header(ctx, "eth_getBlockByNumber", "block "+tag, tag)
	if err == nil && h == nil {
		err = &ResponseError{Source: c.opts.Source, Method: "eth_getBlockByNumber", What: "block " + tag, Offset: -1, Msg: "the node has no " + tag + " block"}
	}
	return h, err
}

// HeaderByHash returns the header of the block with hash h, or nil when the
// node does not know it (it was reorganised away).
func (c *Client) HeaderByHash(ctx context.Context, h common.Hash) (*Header, error) {
	return c.header(ctx, "eth_getBlockByHash", "block "+h.Hex(), h)
}

// ChainID returns eth_chainId; the first answer is cached.
func (c *Client) ChainID(ctx context.Context) (uint64, error) {
	if id := c.chainID.Load(); id != 0 {
		return id, nil
	}
	resp, err := c.Call(ctx, "eth_chainId", "")
	if err != nil {
		return 0, err
	}
	var id hexutil.Uint64
	if err := c.decodeResult("eth_chainId", "", resp, &id); err != nil {
		return 0, err
	}
	c.chainID.Store(uint64(id))
	return uint64(id), nil
}

// Filter selects logs by emitter and topics (as eth_getLogs does).
type Filter struct {
	Addresses []common.Address
	// Topics[i] lists the accepted values at topic position i (empty: any).
	Topics [][]common.Hash
}

// filterJSON is the eth_getLogs filter object.
type filterJSON struct {
	FromBlock hexutil.Uint64   `json:"fromBlock"`
	ToBlock   hexutil.Uint64   `json:"toBlock"`
	Address   []common.Address `json:"address,omitempty"`
	Topics    [][]common.Hash  `json:"topics,omitempty"`
}

// GetLogs returns the logs of f in r with the raw body they came from. A
// refusal of the range wraps ErrRangeTooLarge.
func (c *Client) GetLogs(ctx context.Context, f Filter, r Range) (*Logs, error) {
	topics := f.Topics
	for len(topics) > 0 && len(topics[len(topics)-1]) == 0 {
		topics = topics[:len(topics)-1]
	}
	what := r.String()
	resp, err := c.Call(ctx, "eth_getLogs", what, filterJSON{FromBlock: hexutil.Uint64(r.From), ToBlock: hexutil.Uint64(r.To), Address: f.Addresses, Topics: topics})
	if err != nil {
		return nil, err
	}
	logs, err := parseLogs(resp.Result, resp.ResultOffset)
	if err != nil {
		return nil, c.badResponse("eth_getLogs", what, err)
	}
	for i := range logs {
		lg := &logs[i]
		if lg.BlockNumber < r.From || lg.BlockNumber > r.To {
			return nil, &ResponseError{Source: c.opts.Source, Method: "eth_getLogs", What: what, Offset: lg.Offset,
				Msg: fmt.Sprintf("log of block %d is outside the requested range", lg.BlockNumber)}
		}
	}
	return &Logs{Logs: logs, Body: resp.Body}, nil
}

// Call executes eth_call of data on contract at block n and returns the
// raw response and the returned bytes.
func (c *Client) EthCall(ctx context.Context, contract common.Address, data []byte, n uint64, what string) (*Response, []byte, error) {
	call := map[string]any{"to": contract, "data": hexutil.Bytes(data)}
	resp, err := c.Call(ctx, "eth_call", what, call, hexutil.Uint64(n))
	if err != nil {
		return nil, nil, err
	}
	var out hexutil.Bytes
	if err := c.decodeResult("eth_call", what, resp, &out); err != nil {
		return nil, nil, err
	}
	return resp, out, nil
}
