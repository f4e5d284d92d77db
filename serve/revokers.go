package serve

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// revokerShards is how many locks a principal's registered requests are
// spread over.
const revokerShards = 16

// revokers holds the functions that end a principal's requests when its
// token is removed. Every request of the token registers one and takes it
// back when it ends, so one lock per principal would be taken twice per
// request by every connection of the token; spread over shards, and with
// nothing allocated while add or remove holds a shard, a goroutine that is
// descheduled (or made to assist the garbage collector) while it holds
// one holds up few others.
type revokers struct {
	ended  atomic.Bool
	shards [revokerShards]revokerShard
}

type revokerShard struct {
	mu   sync.Mutex
	list ilist[*revoker]
	_    [40]byte // keep shards on separate cache lines
}

// revoker is one registered function, linked in its shard.
type revoker struct {
	fn    func()
	shard *revokerShard
	node  inode[*revoker]
}

// add registers fn, to be called once when end is called, and returns the
// function that takes it back (it reports nothing: fn may have run). When
// end has already been called, fn runs now.
func (r *revokers) add(fn func()) (remove func()) {
	v := &revoker{fn: fn, shard: &r.shards[rand.IntN(revokerShards)]}
	v.node.owner = v
	s := v.shard
	s.mu.Lock()
	if r.ended.Load() { // end drained this shard before we locked it, or is about to see ended
		s.mu.Unlock()
		fn()
		return func() {}
	}
	s.list.pushBack(&v.node)
	s.mu.Unlock()
	return v.remove
}

// remove takes v out of its shard if end has not taken it yet.
func (v *revoker) remove() {
	v.shard.mu.Lock()
	defer v.shard.mu.Unlock()
	v.node.unlink()
}

// end calls every registered function once; functions added later run
// as they are added.
func (r *revokers) end() {
	r.ended.Store(true)
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		taken := s.list.takeAll()
		s.mu.Unlock()
		for _, v := range taken {
			v.fn()
		}
	}
}
