package chainrpc

import (
	"context"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// headerCacheSize bounds the block-time cache.
const headerCacheSize = 8192

// TimeCache resolves block timestamps by block hash, caching them. It is
// safe for concurrent use.
type TimeCache struct {
	mu    sync.Mutex
	times map[common.Hash]uint64
}

// NewTimeCache returns an empty cache.
func NewTimeCache() *TimeCache { return &TimeCache{times: map[common.Hash]uint64{}} }

// Put records the time of a block.
func (tc *TimeCache) Put(h common.Hash, t uint64) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if len(tc.times) >= headerCacheSize {
		clear(tc.times)
	}
	tc.times[h] = t
}

func (tc *TimeCache) get(h common.Hash) (uint64, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	t, ok := tc.times[h]
	return t, ok
}

// Resolve sets BlockTime on logs that lack it, fetching the header of each
// block by hash once. A block the node no longer knows was reorganised away
// during the fetch (sources.ErrTransient).
func (tc *TimeCache) Resolve(ctx context.Context, c *Client, logs []Log) error {
	for i := range logs {
		lg := &logs[i]
		if lg.HasBlockTime {
			continue
		}
		if t, ok := tc.get(lg.BlockHash); ok {
			lg.BlockTime, lg.HasBlockTime = t, true
			continue
		}
		h, err := c.HeaderByHash(ctx, lg.BlockHash)
		if err != nil {
			return err
		}
		if h == nil {
			return fmt.Errorf("%w: source %q: block %d (%s) of a log is no longer known to the node: reorganised during the fetch",
				sources.ErrTransient, c.opts.Source, lg.BlockNumber, lg.BlockHash.Hex())
		}
		if h.Number != lg.BlockNumber {
			return &ResponseError{Source: c.opts.Source, Method: "eth_getBlockByHash", What: "block " + lg.BlockHash.Hex(), Offset: -1,
				Msg: fmt.Sprintf("the block has number %d, its log said %d", h.Number, lg.BlockNumber)}
		}
		tc.Put(h.Hash, h.Time)
		lg.BlockTime, lg.HasBlockTime = h.Time, true
	}
	return nil
}
