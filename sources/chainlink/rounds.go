package chainlink

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// AggregatorV3Interface selectors.
var (
	selDecimals        = []byte{0x31, 0x3c, 0xe5, 0x67} // decimals()
	selLatestRoundData = []byte{0xfe, 0xaf, 0x96, 0x8c} // latestRoundData()
	selGetRoundData    = []byte{0x9a, 0x6f, 0xc8, 0xf5} // getRoundData(uint80)
)

// RoundID is a proxy round id: the phase in the top 16 bits of a uint80,
// the aggregator's own round in the low 64.
type RoundID struct {
	Phase uint16
	Round uint64
}

// ParseRoundID reads a round id word.
func ParseRoundID(w []byte) (RoundID, error) {
	if _, err := chainrpc.WordUintBig(w, 80); err != nil {
		return RoundID{}, err
	}
	return RoundID{Phase: uint16(w[22])<<8 | uint16(w[23]), Round: new(big.Int).SetBytes(w[24:]).Uint64()}, nil
}

// Word returns the id as a 32-byte word.
func (r RoundID) Word() []byte {
	w := make([]byte, 32)
	w[22], w[23] = byte(r.Phase>>8), byte(r.Phase)
	new(big.Int).SetUint64(r.Round).FillBytes(w[24:])
	return w
}

// Big returns the id as an integer.
func (r RoundID) Big() *big.Int { return new(big.Int).SetBytes(r.Word()) }

func (r RoundID) String() string { return r.Big().String() }

// Round is one answer of the feed.
type Round struct {
	ID              RoundID
	Answer          []byte // int256 word
	StartedAt       uint64
	UpdatedAt       uint64
	AnsweredInRound []byte // uint80 word
	// Body is the raw eth_call response it came from.
	Body []byte
}

// caller makes the feed's eth_calls at one block.
type caller struct {
	src   string
	cl    *chainrpc.Client
	feed  common.Address
	block uint64
}

func (c *caller) call(ctx context.Context, data []byte, what string) (*chainrpc.Response, []byte, error) {
	return c.cl.EthCall(ctx, c.feed, data, c.block, fmt.Sprintf("%s at block %d", what, c.block))
}

// decimals returns the feed's decimals().
func (c *caller) decimals(ctx context.Context) (uint8, error) {
	resp, out, err := c.call(ctx, selDecimals, "decimals()")
	if err != nil {
		return 0, err
	}
	w, err := chainrpc.Word(out, 0)
	if err == nil {
		var v uint64
		if v, err = chainrpc.WordUint(w, 8); err == nil {
			return uint8(v), nil
		}
	}
	return 0, c.bad(resp, "decimals()", err)
}

// latest returns the round id of latestRoundData().
func (c *caller) latest(ctx context.Context) (RoundID, error) {
	resp, out, err := c.call(ctx, selLatestRoundData, "latestRoundData()")
	if err != nil {
		return RoundID{}, err
	}
	r, err := decodeRound(out)
	if err != nil {
		return RoundID{}, c.bad(resp, "latestRoundData()", err)
	}
	return r.ID, nil
}

// round returns getRoundData(id), or nil when the feed has no such round
// (the call reverts, or the round was never updated).
func (c *caller) round(ctx context.Context, id RoundID) (*Round, error) {
	what := fmt.Sprintf("getRoundData(%s)", id)
	resp, out, err := c.call(ctx, append(append([]byte(nil), selGetRoundData...), id.Word()...), what)
	var re *chainrpc.RPCError
	if errors.As(err, &re) && strings.Contains(strings.ToLower(re.Message), "revert") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := decodeRound(out)
	if err != nil {
		return nil, c.bad(resp, what, err)
	}
	if r.ID != id {
		return nil, c.bad(resp, what, fmt.Errorf("the feed answered round %s", r.ID))
	}
	if r.UpdatedAt == 0 {
		return nil, nil
	}
	r.Body = resp.Body
	return r, nil
}

// decodeRound decodes (uint80 roundId, int256 answer, uint256 startedAt,
// uint256 updatedAt, uint80 answeredInRound).
func decodeRound(out []byte) (*Round, error) {
	if len(out) != 5*32 {
		return nil, fmt.Errorf("the call returned %d bytes, want 160", len(out))
	}
	var r Round
	var err error
	w := func(i int) []byte { return out[32*i : 32*i+32] }
	if r.ID, err = ParseRoundID(w(0)); err != nil {
		return nil, err
	}
	r.Answer = w(1)
	for i, dst := range []*uint64{&r.StartedAt, &r.UpdatedAt} {
		v, err := chainrpc.WordUint(w(2+i), 64)
		if err != nil || v > 1<<62/1_000_000 {
			return nil, fmt.Errorf("timestamp word %x is not a time in seconds", w(2+i))
		}
		*dst = v
	}
	if r.AnsweredInRound, err = chainrpc.WordUintBig(w(4), 80); err != nil {
		return nil, err
	}
	return &r, nil
}

// bad reports an eth_call answer that does not decode.
func (c *caller) bad(resp *chainrpc.Response, what string, err error) error {
	off := -1
	if resp != nil {
		off = resp.ResultOffset
	}
	return &chainrpc.ResponseError{Source: c.src, Method: "eth_call", What: fmt.Sprintf("%s of %s at block %d", what, c.feed.Hex(), c.block), Offset: off, Msg: err.Error()}
}
