package demo

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testgovernor"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtoken"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// Sizes of the scripted population (accounts of the simulated chain).
const (
	numWhales = 3
	numTail   = 40
	numSybils = 12
	// numAccounts is every actor: the owner, the whales, the exchange, the
	// just-in-time buyer, the delegation campaign, the sybil funder, the
	// long tail and the sybils.
	numAccounts = 1 + numWhales + 4 + numTail + numSybils
	// historyBlocks are mined between the token distribution and the first
	// proposal, so the long tail is no longer "fresh" when it votes.
	historyBlocks = 120
	// Governor settings, in blocks.
	votingDelay  = 5
	votingPeriod = 40
	// timelockDelay is the timelock's minimum delay.
	timelockDelay = time.Minute
)

// Vote supports of the OpenZeppelin Governor.
const (
	against uint8 = 0
	forVote uint8 = 1
	abstain uint8 = 2
)

var (
	tokenABI = testtoken.NewTestToken()
	govABI   = testgovernor.NewTestGovernor()
)

// tokens returns n whole tokens (18 decimals).
func tokens(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// actors are the scenario's accounts.
type actors struct {
	owner    testchain.Account // deploys the DAO and mints the supply
	whales   []testchain.Account
	exchange testchain.Account // an exchange's hot wallet: sells tokens
	jit      testchain.Account // buys power just before a snapshot, sells after
	campaign testchain.Account // collects a burst of delegations
	funder   testchain.Account // funds the sybil wallets, proposes the injected proposal
	tail     []testchain.Account
	sybils   []testchain.Account
}

func newActors(a []testchain.Account) actors {
	w := 1 + numWhales
	return actors{owner: a[0], whales: a[1:w], exchange: a[w], jit: a[w+1], campaign: a[w+2], funder: a[w+3],
		tail: a[w+4 : w+4+numTail], sybils: a[w+4+numTail : w+4+numTail+numSybils]}
}

// proposal is a proposal the scenario made.
type proposal struct {
	title       string
	id          *big.Int
	targets     []common.Address
	values      []*big.Int
	calldatas   [][]byte
	description string
	receipt     *types.Receipt
}

func (p *proposal) descHash() [32]byte { return crypto.Keccak256Hash([]byte(p.description)) }

// scenario plays the DAO's governance on the chain.
type scenario struct {
	s     *sender
	chain testchain.Chain
	dao   testchain.DAO
	act   actors
	rnd   *rand.Rand
	// voting are the tail holders who vote with their own power.
	voting map[common.Address]bool
	// balance is each holder's balance in whole tokens.
	balance   map[common.Address]int64
	proposals []*proposal
	votes     int
	attacks   []Attack
}

// distribute mints the supply: the treasury (the timelock), three whales,
// an exchange and a long tail with Pareto-distributed balances; whales
// delegate to themselves, most of the tail too, some to a whale, some not
// at all. Then history blocks pass with a few transfers.
func (sc *scenario) distribute(ctx context.Context) error {
	mint := func(to common.Address, n int64, who string) error {
		sc.balance[to] += n
		return sc.s.send(ctx, sc.act.owner, sc.dao.Token, tokenABI.PackMint(to, tokens(n)), "mint to "+who)
	}
	if err := mint(sc.dao.Timelock, 3_000_000, "the treasury"); err != nil {
		return err
	}
	for i, n := range []int64{600_000, 420_000, 250_000} {
		if err := mint(sc.act.whales[i].Address, n, fmt.Sprintf("whale %d", i+1)); err != nil {
			return err
		}
	}
	if err := mint(sc.act.exchange.Address, 900_000, "the exchange"); err != nil {
		return err
	}
	if err := mint(sc.act.campaign.Address, 2_000, "the campaign"); err != nil {
		return err
	}
	for i, t := range sc.act.tail {
		n := int64(math.Min(600*math.Pow(1/(1-sc.rnd.Float64()), 1/1.1), 40_000))
		if err := mint(t.Address, n, fmt.Sprintf("holder %d", i+1)); err != nil {
			return err
		}
	}
	if _, err := sc.s.mine(ctx); err != nil {
		return err
	}
	if err := sc.delegateAll(ctx); err != nil {
		return err
	}
	return sc.history(ctx)
}

// delegateAll sends the initial delegations.
func (sc *scenario) delegateAll(ctx context.Context) error {
	del := func(from testchain.Account, to common.Address) error {
		return sc.s.send(ctx, from, sc.dao.Token, tokenABI.PackDelegate(to), "delegation")
	}
	for _, w := range append([]testchain.Account{sc.act.campaign}, sc.act.whales...) {
		if err := del(w, w.Address); err != nil {
			return err
		}
	}
	for i, t := range sc.act.tail {
		switch i % 5 {
		case 0:
			if err := del(t, sc.act.whales[i%numWhales].Address); err != nil {
				return err
			}
		case 4: // holds without delegating: no voting power
		default:
			sc.voting[t.Address] = true
			if err := del(t, t.Address); err != nil {
				return err
			}
		}
	}
	_, err := sc.s.mine(ctx)
	return err
}

// history mines historyBlocks with ordinary activity: the sybil funder
// buys tokens on the exchange early, and holders move small amounts.
func (sc *scenario) history(ctx context.Context) error {
	if err := sc.transfer(ctx, sc.act.exchange, sc.act.funder.Address, 15_000); err != nil {
		return err
	}
	if err := sc.s.send(ctx, sc.act.funder, sc.dao.Token, tokenABI.PackDelegate(sc.act.funder.Address), "funder delegation"); err != nil {
		return err
	}
	if _, err := sc.s.mine(ctx); err != nil {
		return err
	}
	for round := 0; round < 4; round++ {
		for k := 0; k < 5; k++ {
			from, to := sc.act.tail[sc.rnd.IntN(numTail)], sc.act.tail[sc.rnd.IntN(numTail)]
			if from.Address == to.Address || sc.balance[from.Address] < 100 {
				continue
			}
			if err := sc.transfer(ctx, from, to.Address, sc.balance[from.Address]/10); err != nil {
				return err
			}
		}
		if _, err := sc.s.mine(ctx); err != nil {
			return err
		}
		if err := sc.chain.Mine(ctx, historyBlocks/4); err != nil {
			return err
		}
	}
	return nil
}

// transfer queues a token transfer of n whole tokens.
func (sc *scenario) transfer(ctx context.Context, from testchain.Account, to common.Address, n int64) error {
	sc.balance[from.Address] -= n
	sc.balance[to] += n
	return sc.s.send(ctx, from, sc.dao.Token, tokenABI.PackTransfer(to, tokens(n)), "transfer")
}

// propose sends a proposal paying amount tokens from the treasury to
// recipient and mines it.
func (sc *scenario) propose(ctx context.Context, by testchain.Account, recipient common.Address, amount int64, title, body string) (*proposal, error) {
	p := &proposal{title: title, targets: []common.Address{sc.dao.Token}, values: []*big.Int{big.NewInt(0)},
		calldatas: [][]byte{tokenABI.PackTransfer(recipient, tokens(amount))}, description: "# " + title + "\n\n" + body}
	rc, err := sc.s.one(ctx, by, sc.dao.Governor, govABI.PackPropose(p.targets, p.values, p.calldatas, p.description), "propose "+title)
	if err != nil {
		return nil, err
	}
	lg := governorLog(rc, sc.dao.Governor)
	if lg == nil || len(lg.Data) < 32 {
		return nil, fmt.Errorf("propose %s: no ProposalCreated event", title)
	}
	p.id, p.receipt = new(big.Int).SetBytes(lg.Data[:32]), rc
	sc.proposals = append(sc.proposals, p)
	return p, nil
}

// openVoting mines until the proposal's vote is open.
func (sc *scenario) openVoting(ctx context.Context) error {
	return sc.chain.Mine(ctx, votingDelay+1)
}

// vote queues a vote, with a reason when one is given.
func (sc *scenario) vote(ctx context.Context, p *proposal, voter testchain.Account, support uint8, reason string) error {
	data := govABI.PackCastVote(p.id, support)
	if reason != "" {
		data = govABI.PackCastVoteWithReason(p.id, support, reason)
	}
	sc.votes++
	return sc.s.send(ctx, voter, sc.dao.Governor, data, "vote on "+p.title)
}

// tailVotes queues votes from about 60% of the tail holders who vote with
// their own power: support drawn with the given odds of for and against
// (the rest abstain), a third of them with a reason from reasons.
func (sc *scenario) tailVotes(ctx context.Context, p *proposal, pFor, pAgainst float64, reasons map[uint8][]string) error {
	for _, t := range sc.act.tail {
		if !sc.voting[t.Address] || sc.rnd.Float64() > 0.6 {
			continue
		}
		support, x := abstain, sc.rnd.Float64()
		switch {
		case x < pFor:
			support = forVote
		case x < pFor+pAgainst:
			support = against
		}
		reason := ""
		if rs := reasons[support]; len(rs) > 0 && sc.rnd.IntN(3) == 0 {
			reason = rs[sc.rnd.IntN(len(rs))]
		}
		if err := sc.vote(ctx, p, t, support, reason); err != nil {
			return err
		}
	}
	return nil
}

// enact queues the proposals through the timelock, waits its delay and
// executes them.
func (sc *scenario) enact(ctx context.Context, ps ...*proposal) error {
	for _, p := range ps {
		if err := sc.s.send(ctx, sc.act.owner, sc.dao.Governor, govABI.PackQueue(p.targets, p.values, p.calldatas, p.descHash()), "queue "+p.title); err != nil {
			return err
		}
	}
	if _, err := sc.s.mine(ctx); err != nil {
		return err
	}
	if err := sc.chain.IncreaseTime(ctx, timelockDelay+time.Second); err != nil {
		return err
	}
	for _, p := range ps {
		if err := sc.s.send(ctx, sc.act.owner, sc.dao.Governor, govABI.PackExecute(p.targets, p.values, p.calldatas, p.descHash()), "execute "+p.title); err != nil {
			return err
		}
	}
	_, err := sc.s.mine(ctx)
	return err
}

// governorLog returns the first log the governor emitted in a receipt.
func governorLog(rc *types.Receipt, governor common.Address) *types.Log {
	for _, lg := range rc.Logs {
		if lg.Address == governor {
			return lg
		}
	}
	return nil
}

// rowKey renders the key of a chain event row: the transaction hash and
// the log index (docs/validators.md, Row keys).
func rowKey(lg *types.Log) string {
	return fmt.Sprintf("%s/%d", strings.ToLower(lg.TxHash.Hex()), lg.Index)
}
