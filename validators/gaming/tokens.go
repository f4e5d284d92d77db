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

// tokenIndex holds what the gaming checks need of the ERC-20 history,
// by address id (addresses are interned once). It is built in two passes
// over the events: the first interns the addresses and counts each one's
// power changes and delegations, the second fills per-address slices cut
// from two flat arrays of exactly that size, so building it allocates
// about what it keeps (no append growth).
type tokenIndex struct {
	ids         *addrTable
	power       [][]powerEvent
	delegations [][]uint64
	firstIn     []funding
	hasFunding  []bool
	firstSeen   []uint64 // block + 1; 0: never seen

	counting bool // the first pass
	// interned holds the ids the first pass's intern calls returned, in
	// call order; the second pass makes the same calls and reads them
	// back instead of hashing every address again.
	interned       []int32
	replayed       int
	nPower, nDeleg []int32 // the first pass's counts by id
}

// loadTokens returns the index of the ERC-20 events dataset, built once per
// run and shared by the validators that need it.
func loadTokens(ctx context.Context, in *validators.Input, src TokenSource) (*tokenIndex, error) {
	v, err := in.Memo(fmt.Sprintf("gaming.tokens/%+v", src), func() (any, func(), error) {
		idx, err := buildTokens(ctx, in, src)
		return idx, nil, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*tokenIndex), nil
}

func buildTokens(ctx context.Context, in *validators.Input, src TokenSource) (*tokenIndex, error) {
	idx := &tokenIndex{ids: newAddrTable()}
	t, err := validators.HistoryTable(ctx, in, src.Dataset, 0)
	if err != nil {
		return nil, fmt.Errorf("token events %s: %w", src.Dataset, err)
	}
	if t == nil {
		return idx, nil
	}
	if err := idx.add(ctx, t, src); err != nil {
		return nil, fmt.Errorf("token events %s: %w", src.Dataset, err)
	}
	return idx, nil
}

// intern returns the id of a, adding it when new.
func (idx *tokenIndex) intern(a [20]byte) int32 {
	if !idx.counting && idx.replayed < len(idx.interned) {
		id := idx.interned[idx.replayed]
		idx.replayed++
		return id
	}
	id, added := idx.ids.Intern(a)
	if idx.counting {
		idx.interned = append(idx.interned, id)
	}
	if !added {
		return id
	}
	if idx.counting {
		idx.nPower, idx.nDeleg = append(idx.nPower, 0), append(idx.nDeleg, 0)
		return id
	}
	idx.power = append(idx.power, nil)
	idx.delegations = append(idx.delegations, nil)
	idx.firstIn = append(idx.firstIn, funding{})
	idx.hasFunding = append(idx.hasFunding, false)
	idx.firstSeen = append(idx.firstSeen, 0)
	return id
}

// lookup returns the id of a known address.
func (idx *tokenIndex) lookup(a [20]byte) (int32, bool) {
	return idx.ids.Get(a)
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

// add indexes the events of t in two passes (see tokenIndex).
func (idx *tokenIndex) add(ctx context.Context, t *validators.Table, s TokenSource) error {
	c, err := newTokenArrays(t, s)
	if err != nil {
		return err
	}
	sorted := c.sorted()
	pass := func() error {
		if !sorted {
			return idx.addUnsorted(ctx, t, s)
		}
		return idx.addSorted(ctx, t, c)
	}
	// at most two intern calls per event row
	idx.counting, idx.interned = true, make([]int32, 0, 2*t.Len())
	if err := pass(); err != nil {
		return err
	}
	idx.allocate()
	idx.replayed = 0
	err = pass()
	if err == nil && idx.replayed != len(idx.interned) {
		err = fmt.Errorf("%w: token index: the second pass interned %d addresses, the first %d", validators.ErrContract, idx.replayed, len(idx.interned))
	}
	idx.interned, idx.replayed = nil, 0
	return err
}

// allocate ends the counting pass: it sizes the per-address arrays and
// cuts each address's power and delegation slices from flat arrays.
func (idx *tokenIndex) allocate() {
	n := idx.ids.Len()
	idx.power, idx.delegations = make([][]powerEvent, n), make([][]uint64, n)
	idx.firstIn, idx.hasFunding, idx.firstSeen = make([]funding, n), make([]bool, n), make([]uint64, n)
	var np, nd int
	for id := 0; id < n; id++ {
		np, nd = np+int(idx.nPower[id]), nd+int(idx.nDeleg[id])
	}
	power, deleg := make([]powerEvent, np), make([]uint64, nd)
	np, nd = 0, 0
	for id := 0; id < n; id++ {
		p, d := int(idx.nPower[id]), int(idx.nDeleg[id])
		idx.power[id], idx.delegations[id] = power[np:np:np+p], deleg[nd:nd:nd+d]
		np, nd = np+p, nd+d
	}
	idx.counting, idx.nPower, idx.nDeleg = false, nil, nil
}

// addSorted applies the rows of records already in (block, log) order.
func (idx *tokenIndex) addSorted(ctx context.Context, t *validators.Table, c *tokenArrays) error {
	for _, rec := range t.Records() {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.bind(rec)
		for i := 0; i < int(rec.NumRows()); i++ {
			idx.event(c.event.Value(i), uint64(c.block(i)), c.addr(c.from, i, 0), c.addr(c.to, i, 1), c.addr(c.delegator, i, 2),
				c.addr(c.toDel, i, 3), c.addr(c.delegate, i, 4), c.newVotes, i)
		}
	}
	return nil
}

// event applies one ERC-20 event row.
func (idx *tokenIndex) event(kind string, b uint64, from, to, delegator, toDel, delegate *[20]byte, votes func(int) (float64, bool), i int) {
	switch kind {
	case "Transfer":
		if to != nil {
			id := idx.intern(*to)
			if !idx.counting && !idx.hasFunding[id] && from != nil {
				idx.firstIn[id], idx.hasFunding[id] = funding{from: *from, block: b}, true
			}
			idx.seen(id, b)
		}
		if from != nil {
			idx.seen(idx.intern(*from), b)
		}
	case "DelegateChanged":
		if toDel != nil {
			d := idx.intern(*toDel)
			if idx.counting {
				idx.nDeleg[d]++
			} else {
				idx.delegations[d] = append(idx.delegations[d], b)
			}
		}
		if delegator != nil {
			idx.seen(idx.intern(*delegator), b)
		}
	case "DelegateVotesChanged":
		if v, ok := votes(i); ok && delegate != nil {
			d := idx.intern(*delegate)
			if idx.counting {
				idx.nPower[d]++
				return
			}
			idx.power[d] = append(idx.power[d], powerEvent{block: b, votes: v})
			idx.seen(d, b)
		}
	}
}

// addUnsorted applies the rows in (block, log index) order.
func (idx *tokenIndex) addUnsorted(ctx context.Context, t *validators.Table, s TokenSource) error {
	c, err := decodeTokenCols(t, s)
	if err != nil {
		return err
	}
	order := blockOrder(c.block.Values, c.log.Values)
	opt := func(col *validators.Col[[20]byte], r int) *[20]byte {
		if !col.Valid(r) {
			return nil
		}
		return &col.Values[r]
	}
	votes := func(r int) (float64, bool) { return c.newVotes.Values[r], c.newVotes.Valid(r) }
	for n, r := range order {
		if n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		idx.event(c.event.Values[r], uint64(c.block.Values[r]), opt(c.from, r), opt(c.to, r), opt(c.delegator, r),
			opt(c.toDel, r), opt(c.delegate, r), votes, r)
	}
	return nil
}

func (idx *tokenIndex) seen(id int32, b uint64) {
	if idx.counting {
		return
	}
	if old := idx.firstSeen[id]; old == 0 || b+1 < old {
		idx.firstSeen[id] = b + 1
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
// before block (0 before the first change, or for an unknown id).
func (idx *tokenIndex) powerAt(id int32, block uint64) float64 {
	if id < 0 {
		return 0
	}
	evs := idx.power[id]
	i := sort.Search(len(evs), func(i int) bool { return evs[i].block > block })
	if i == 0 {
		return 0
	}
	return evs[i-1].votes
}

// minPower returns the lowest voting power of id in (from, to], starting
// from its power at from.
func (idx *tokenIndex) minPower(id int32, from, to uint64) float64 {
	low := idx.powerAt(id, from)
	if id < 0 {
		return low
	}
	evs := idx.power[id]
	i := sort.Search(len(evs), func(i int) bool { return evs[i].block > from })
	for ; i < len(evs) && evs[i].block <= to; i++ {
		low = min(low, evs[i].votes)
	}
	return low
}
