package scenarios

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// chainSim is a small ERC20Votes ledger: it turns transfers and
// delegations into the Transfer, DelegateChanged and DelegateVotesChanged
// rows the erc20 source emits, and remembers each delegate's power.
type chainSim struct {
	genesis time.Time
	bal     map[[20]byte]float64
	deleg   map[[20]byte][20]byte
	hasDel  map[[20]byte]bool
	power   map[[20]byte]float64
	history map[[20]byte][]powerPoint
	events  []vt.TokenEvent
	logs    map[uint64]uint32
	txn     uint64
}

type powerPoint struct {
	block uint64
	votes float64
}

func newChainSim() *chainSim {
	return &chainSim{genesis: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), bal: map[[20]byte]float64{}, deleg: map[[20]byte][20]byte{},
		hasDel: map[[20]byte]bool{}, power: map[[20]byte]float64{}, history: map[[20]byte][]powerPoint{}, logs: map[uint64]uint32{}}
}

func (s *chainSim) at(block uint64) time.Time {
	return s.genesis.Add(time.Duration(block) * 12 * time.Second)
}

// event returns the position of a new log in block.
func (s *chainSim) event(block uint64) vt.Event {
	s.txn++
	l := s.logs[block]
	s.logs[block] = l + 1
	return vt.Event{Block: block, Time: s.at(block), Tx: vt.Hash(1<<50 + s.txn), Log: l}
}

func ptr(a [20]byte) *[20]byte { return &a }

func (s *chainSim) movePower(block uint64, d [20]byte, delta float64) {
	prev := s.power[d]
	s.power[d] = prev + delta
	s.history[d] = append(s.history[d], powerPoint{block, s.power[d]})
	s.events = append(s.events, vt.TokenEvent{Event: s.event(block), Kind: "DelegateVotesChanged", Delegate: ptr(d),
		PreviousVotes: vt.Tokens(prev), NewVotes: vt.Tokens(s.power[d])})
}

// transfer moves tokens (from the zero address: a mint).
func (s *chainSim) transfer(block uint64, from, to [20]byte, amount float64) {
	zero := [20]byte{}
	if from != zero {
		s.bal[from] -= amount
	}
	s.bal[to] += amount
	s.events = append(s.events, vt.TokenEvent{Event: s.event(block), Kind: "Transfer", From: ptr(from), To: ptr(to), Value: vt.Tokens(amount)})
	if from != zero && s.hasDel[from] {
		s.movePower(block, s.deleg[from], -amount)
	}
	if s.hasDel[to] {
		s.movePower(block, s.deleg[to], amount)
	}
}

// delegate points who's votes at to.
func (s *chainSim) delegate(block uint64, who, to [20]byte) {
	var old *[20]byte
	if s.hasDel[who] {
		old = ptr(s.deleg[who])
	}
	s.events = append(s.events, vt.TokenEvent{Event: s.event(block), Kind: "DelegateChanged", Delegator: ptr(who), FromDel: old, ToDel: ptr(to)})
	if old != nil {
		s.movePower(block, *old, -s.bal[who])
	}
	s.deleg[who], s.hasDel[who] = to, true
	s.movePower(block, to, s.bal[who])
}

// powerAt is a delegate's power after block.
func (s *chainSim) powerAt(d [20]byte, block uint64) float64 {
	h := s.history[d]
	i := sort.Search(len(h), func(i int) bool { return h[i].block > block })
	if i == 0 {
		return 0
	}
	return h[i-1].votes
}

// action is a scheduled ledger change.
type action struct {
	block uint64
	seq   int
	do    func(*chainSim)
}

// world is a synthetic DAO: holders, a token history, proposals and votes,
// with attacks mixed in; bad lists the rows each attack produced.
type world struct {
	sim       *chainSim
	actions   []action
	proposals []vt.Proposal
	votes     []vt.Vote
	voteBad   map[int]string // vote index → attack
	propBad   map[int]string // proposal index → attack
	holders   [][20]byte
	rng       *rand.Rand
	supply    float64
	treasury  [20]byte
	exchange  [20]byte
	plannedVt []plannedVote
}

// plannedVote is a vote whose weight is the voter's power at the snapshot.
type plannedVote struct {
	proposal int
	voter    [20]byte
	block    uint64
	support  uint8
	reason   *string
	attack   string
	second   int     // seconds after the block's time, for votes in one block
	weight   float64 // when set, the power at the moment of voting
}

const (
	quorumTokens = 400_000.0
	votingDelay  = 13140
	votingPeriod = 19710
)

func (w *world) schedule(block uint64, do func(*chainSim)) {
	w.actions = append(w.actions, action{block: block, seq: len(w.actions), do: do})
}

// buildWorld generates the DAO's history.
func buildWorld() *world {
	w := &world{sim: newChainSim(), voteBad: map[int]string{}, propBad: map[int]string{}, rng: rand.New(rand.NewPCG(7, 11)),
		treasury: vt.Addr(900), exchange: vt.Addr(901), supply: 10_000_000}
	w.mintHolders()
	w.organicActivity()
	for i := 0; i < 12; i++ {
		w.addProposal(uint64(200_000+i*60_000), i)
	}
	w.attacks()
	w.run()
	return w
}

// mintHolders distributes the supply: 600 holders with Pareto-like
// balances (the largest about 1.5%), the treasury and the exchange.
func (w *world) mintHolders() {
	zero := [20]byte{}
	w.schedule(10, func(s *chainSim) { s.transfer(10, zero, w.treasury, 3_000_000) })
	w.schedule(10, func(s *chainSim) { s.transfer(10, zero, w.exchange, 2_000_000) })
	for i := 0; i < 600; i++ {
		h := vt.Addr(uint64(1000 + i))
		w.holders = append(w.holders, h)
		amt := math.Min(150_000, 800/math.Pow(w.rng.Float64()+1e-3, 0.8))
		b := uint64(100 + i)
		w.schedule(b, func(s *chainSim) { s.transfer(b, zero, h, amt) })
		switch r := w.rng.Float64(); {
		case r < 0.6:
			db := b + uint64(w.rng.IntN(100_000))
			w.schedule(db, func(s *chainSim) { s.delegate(db, h, h) })
		case r < 0.85:
			d := w.holders[w.rng.IntN(min(len(w.holders), 20))]
			db := b + uint64(w.rng.IntN(150_000))
			w.schedule(db, func(s *chainSim) { s.delegate(db, h, d) })
		}
	}
}

// organicActivity adds ordinary trading: holders buy from and sell to the
// exchange, and fresh wallets buy on the exchange, self-delegate and vote.
func (w *world) organicActivity() {
	for i := 0; i < 3000; i++ {
		b := uint64(5_000 + w.rng.IntN(950_000))
		h := w.holders[w.rng.IntN(len(w.holders))]
		amt := 10 + w.rng.Float64()*500
		if w.rng.IntN(2) == 0 {
			w.schedule(b, func(s *chainSim) { s.transfer(b, w.exchange, h, amt) })
		} else {
			w.schedule(b, func(s *chainSim) {
				if s.bal[h] > amt {
					s.transfer(b, h, w.exchange, amt)
				}
			})
		}
	}
	for i := 0; i < 40; i++ { // fresh retail wallets, funded by the exchange over weeks
		f := vt.Addr(uint64(5000 + i))
		b := uint64(190_000 + w.rng.IntN(700_000))
		amt := 50 + w.rng.Float64()*2000
		w.schedule(b, func(s *chainSim) { s.transfer(b, w.exchange, f, amt) })
		w.schedule(b+5, func(s *chainSim) { s.delegate(b+5, f, f) })
		w.holders = append(w.holders, f)
	}
}

var benignDescriptions = []string{
	"# Adjust the interest rate model\n\nThis proposal updates the interest rate model of the USDC market after the risk review. The model was audited; instructions for delegates: read the forum thread before voting.",
	"# Grant for the developer tools team\n\nFunds six months of work on the SDK and the system monitoring dashboards. Milestones are listed on the forum.",
	"# Raise the collateral factor of WETH\n\nGauntlet's simulations show the market can bear 83%. The AI-assisted risk model agrees with the manual review.",
	"# Renew the security council\n\nSeats rotate every six months. Agents of the previous council keep their keys until the handover; no code change.",
}

// addProposal adds a benign proposal with organic votes.
func (w *world) addProposal(block uint64, i int) {
	p := vt.Proposal{Event: vt.Event{Block: block, Time: w.sim.at(block), Tx: vt.Hash(uint64(70_000 + i)), Log: 3}, ID: uint64(i + 1),
		Proposer: w.holders[i], Targets: []string{hexAddr(w.treasury)}, Values: []string{"0"},
		Signatures: []string{""}, Calldatas: []string{calldata("transfer(address,uint256)", w.holders[i+30], 50_000)},
		VoteStart: block + votingDelay, VoteEnd: block + votingDelay + votingPeriod, Description: benignDescriptions[i%len(benignDescriptions)]}
	if i%3 == 1 {
		p.Signatures, p.Calldatas = []string{""}, []string{calldata("setReserveFactor(uint256)", [20]byte{}, 15)}
	}
	w.proposals = append(w.proposals, p)
	reasons := []string{"Supporting: the risk review is convincing.", "Against — the audit is not finished.", "for", "Voting for as a delegate of my community; see the forum post."}
	for _, h := range w.holders {
		if w.rng.Float64() < 0.35 {
			vb := p.VoteStart + uint64(w.rng.IntN(votingPeriod))
			sup := uint8(1)
			if w.rng.Float64() < 0.25 {
				sup = 0
			}
			var reason *string
			if w.rng.Float64() < 0.1 {
				r := reasons[w.rng.IntN(len(reasons))]
				reason = &r
			}
			w.plannedVt = append(w.plannedVt, plannedVote{proposal: len(w.proposals) - 1, voter: h, block: vb, support: sup, reason: reason})
		}
	}
}

// run executes the scheduled actions in block order and turns planned
// votes into rows (weight = power at the snapshot; votes without power
// are dropped, as castVote would count zero).
func (w *world) run() {
	sort.SliceStable(w.actions, func(i, j int) bool {
		a, b := w.actions[i], w.actions[j]
		return a.block < b.block || a.block == b.block && a.seq < b.seq
	})
	for _, a := range w.actions {
		a.do(w.sim)
	}
	sort.SliceStable(w.plannedVt, func(i, j int) bool { return w.plannedVt[i].block < w.plannedVt[j].block })
	for _, pv := range w.plannedVt {
		p := w.proposals[pv.proposal]
		snap := p.VoteStart
		weight := w.sim.powerAt(pv.voter, snap)
		if p.VoteStart == p.Block { // no snapshot: current power (Beanstalk-style)
			weight = w.sim.powerAt(pv.voter, pv.block)
		}
		if pv.weight > 0 {
			weight = pv.weight
		}
		if weight <= 0 {
			continue
		}
		ev := w.sim.event(pv.block)
		ev.Time = ev.Time.Add(time.Duration(pv.second) * time.Second)
		w.votes = append(w.votes, vt.Vote{Event: ev, Proposal: p.ID, Voter: pv.voter, Support: pv.support, Weight: vt.Tokens(weight), Reason: pv.reason})
		if pv.attack != "" {
			w.voteBad[len(w.votes)-1] = pv.attack
		}
	}
}

func hexAddr(a [20]byte) string { return "0x" + hex.EncodeToString(a[:]) }

// calldata encodes a call with an address and a number argument (the
// address is left out when zero).
func calldata(sig string, a [20]byte, n uint64) string {
	sel := selectorHex(sig)
	var args []byte
	if a != ([20]byte{}) {
		args = append(args, make([]byte, 12)...)
		args = append(args, a[:]...)
	}
	if n > 0 {
		word := make([]byte, 32)
		for i := 0; i < 8; i++ {
			word[31-i] = byte(n >> (8 * i))
		}
		args = append(args, word...)
	}
	return sel + hex.EncodeToString(args)
}

func selectorHex(sig string) string {
	s := gamingSelector(sig)
	return fmt.Sprintf("0x%x", s[:])
}
