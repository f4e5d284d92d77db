package chainrpc

import (
	"context"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// The optional interfaces a LogSource offers the pipeline: bounded block
// ranges for backfills (sources.BlockRanger), the chain head's lead over the
// ingested blocks and the number of requests sent, for the daemon's metrics.

var _ sources.BlockRanger = (*LogSource)(nil)

// WithBlockRange returns a copy of the source that reads at most up to
// r.End, r.Step blocks per fetch, starting at r.Start when the cursor is
// empty. The copy shares the client and the block-time cache.
func (s *LogSource) WithBlockRange(r sources.BlockRange) (sources.Source, error) {
	c := *s
	sc := &c.cfg.Scan
	if r.Start != nil {
		sc.StartBlock = *r.Start
	}
	if r.End < sc.StartBlock {
		return nil, fmt.Errorf("%w: %s source %q: block range ends at %d, before the first block %d", sources.ErrConfig, s.cfg.Kind, s.id, r.End, sc.StartBlock)
	}
	if sc.EndBlock == 0 || r.End < sc.EndBlock {
		sc.EndBlock = r.End
	}
	if r.Step > 0 {
		sc.MaxBlocksPerFetch = r.Step
	}
	return &c, nil
}

// NextBlock returns the first block a Fetch from cur would read.
func (s *LogSource) NextBlock(cur sources.Cursor) (uint64, error) {
	c, err := DecodeCursor(cur, s.cfg.Scan.StartBlock)
	if err != nil {
		return 0, err
	}
	return c.Next, nil
}

// HeadLag returns how many blocks the chain's latest block is beyond the
// last block read up to cur (0 when the source is at the head).
func (s *LogSource) HeadLag(ctx context.Context, cur sources.Cursor) (uint64, error) {
	c, err := DecodeCursor(cur, s.cfg.Scan.StartBlock)
	if err != nil {
		return 0, err
	}
	head, err := s.cfg.Client.HeaderByTag(ctx, FinalityLatest)
	if err != nil {
		return 0, err
	}
	if head.Number+1 <= c.Next {
		return 0, nil
	}
	return head.Number + 1 - c.Next, nil
}

// Requests returns how many requests (attempts, retries included) the
// source's client has sent.
func (s *LogSource) Requests() uint64 { return s.cfg.Client.Requests() }
