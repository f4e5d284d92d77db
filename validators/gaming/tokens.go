package gaming

import (
	"context"
	"fmt"
	"sort"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// powerEvent is a delegate's voting power after a DelegateVotesChanged.
type powerEvent struct {
	block uint64
	votes float64
}

// funding is the first incoming transfer of an address.
type funding struct {
	from  [20]byte
	block uint64
}

// tokenIndex holds what the gaming checks need of the ERC-20 history.
type tokenIndex struct {
	power       map[[20]byte][]powerEvent
	delegations map[[20]byte][]uint64
	firstIn     map[[20]byte]funding
	firstSeen   map[[20]byte]uint64
}

// loadTokens reads the ERC-20 events dataset from history.
func loadTokens(ctx context.Context, in *validators.Input, src TokenSource) (*tokenIndex, error) {
	idx := &tokenIndex{power: map[[20]byte][]powerEvent{}, delegations: map[[20]byte][]uint64{},
		firstIn: map[[20]byte]funding{}, firstSeen: map[[20]byte]uint64{}}
	t, release, err := validators.LoadHistory(ctx, in.History, src.Dataset, 0)
	if err != nil {
		return nil, fmt.Errorf("token events %s: %w", src.Dataset, err)
	}
	defer release()
	if t == nil {
		return idx, nil
	}
	if err := idx.add(ctx, t, src); err != nil {
		return nil, fmt.Errorf("token events %s: %w", src.Dataset, err)
	}
	return idx, nil
}

// tokenCols are the decoded columns of the ERC-20 events.
type tokenCols struct {
	event                                *validators.Col[string]
	block, log                           *validators.Col[int64]
	from, to, delegator, toDel, delegate *validators.Col[[20]byte]
	newVotes                             *validators.Col[float64]
}

func decodeTokenCols(t *validators.Table, s TokenSource) (*tokenCols, error) {
	c := &tokenCols{}
	var err error
	get := func(name string, dst **validators.Col[[20]byte]) {
		if err == nil {
			*dst, err = t.Addresses(name)
		}
	}
	if c.event, err = t.Strings(s.Event); err != nil {
		return nil, err
	}
	if c.block, err = t.Ints(s.Block); err != nil {
		return nil, err
	}
	if c.log, err = t.Ints(s.Log); err != nil {
		return nil, err
	}
	get(s.From, &c.from)
	get(s.To, &c.to)
	get(s.Delegator, &c.delegator)
	get(s.ToDelegate, &c.toDel)
	get(s.Delegate, &c.delegate)
	if err != nil {
		return nil, err
	}
	if c.newVotes, err = t.Floats(s.NewVotes); err != nil {
		return nil, err
	}
	return c, nil
}

func (idx *tokenIndex) add(ctx context.Context, t *validators.Table, s TokenSource) error {
	c, err := decodeTokenCols(t, s)
	if err != nil {
		return err
	}
	order := blockOrder(c.block.Values, c.log.Values)
	for i, r := range order {
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		b := uint64(c.block.Values[r])
		switch c.event.Values[r] {
		case "Transfer":
			if c.to.Valid(r) {
				to := c.to.Values[r]
				if _, ok := idx.firstIn[to]; !ok && c.from.Valid(r) {
					idx.firstIn[to] = funding{from: c.from.Values[r], block: b}
				}
				idx.seen(to, b)
			}
			if c.from.Valid(r) {
				idx.seen(c.from.Values[r], b)
			}
		case "DelegateChanged":
			if c.toDel.Valid(r) {
				d := c.toDel.Values[r]
				idx.delegations[d] = append(idx.delegations[d], b)
			}
			if c.delegator.Valid(r) {
				idx.seen(c.delegator.Values[r], b)
			}
		case "DelegateVotesChanged":
			if c.delegate.Valid(r) && c.newVotes.Valid(r) {
				d := c.delegate.Values[r]
				idx.power[d] = append(idx.power[d], powerEvent{block: b, votes: c.newVotes.Values[r]})
				idx.seen(d, b)
			}
		}
	}
	return nil
}

func (idx *tokenIndex) seen(a [20]byte, b uint64) {
	if old, ok := idx.firstSeen[a]; !ok || b < old {
		idx.firstSeen[a] = b
	}
}

// blockOrder returns row positions sorted by (block, log index), without
// sorting when the rows are already in order.
func blockOrder(block, log []int64) []int {
	order := make([]int, len(block))
	sorted := true
	for i := range order {
		order[i] = i
		if i > 0 && (block[i] < block[i-1] || block[i] == block[i-1] && log[i] < log[i-1]) {
			sorted = false
		}
	}
	if !sorted {
		sort.SliceStable(order, func(a, b int) bool {
			i, j := order[a], order[b]
			return block[i] < block[j] || block[i] == block[j] && log[i] < log[j]
		})
	}
	return order
}

// powerAt returns a delegate's voting power after the last change at or
// before block (0 before the first change).
func (idx *tokenIndex) powerAt(d [20]byte, block uint64) float64 {
	evs := idx.power[d]
	i := sort.Search(len(evs), func(i int) bool { return evs[i].block > block })
	if i == 0 {
		return 0
	}
	return evs[i-1].votes
}

// minPower returns the lowest voting power of d in (from, to], starting
// from its power at from.
func (idx *tokenIndex) minPower(d [20]byte, from, to uint64) float64 {
	low := idx.powerAt(d, from)
	evs := idx.power[d]
	i := sort.Search(len(evs), func(i int) bool { return evs[i].block > from })
	for ; i < len(evs) && evs[i].block <= to; i++ {
		low = min(low, evs[i].votes)
	}
	return low
}
