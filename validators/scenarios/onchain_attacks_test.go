package scenarios

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtimelock"
)

// script plays the DAO's history: eight proposals with honest voting and
// background trading, and the attacks mixed in.
func (o *onchainDAO) script() {
	tok, tl := o.dao.Token, o.dao.Timelock
	transfer := func(to common.Address, n float64) []byte { return o.tok.PackTransfer(to, tokens(n)) }

	// 1. An honest grant. A whale buys 500,000 on the exchange, delegates
	// to itself, votes once the snapshot has passed and sells back
	// (Compound proposal 289).
	buyer := o.wallet("buyer")
	o.send(o.exchange, tok, transfer(buyer, 500_000))
	o.send(buyer, tok, o.tok.PackDelegate(buyer))
	p1 := o.propose(o.active[5], []common.Address{tok}, [][]byte{transfer(o.active[40], 50_000)}, ocDescriptions[0], "")
	o.startVoting(p1)
	o.honestVoting(p1, 0.5, func() { o.vote(buyer, p1, 1, "", ocJITBuy) })
	o.send(buyer, tok, transfer(o.exchange, 500_000))

	// 2. An honest parameter change. Retail wallets buy on the exchange
	// over a few minutes; 40 fresh wallets are funded by one address in
	// one block and delegate to themselves; 30 holders that never
	// delegated delegate to one delegate within two blocks; all vote.
	o.trade(3)
	for i := 0; i < 4; i++ {
		r := o.wallet(walletName("retail", i))
		o.retail = append(o.retail, r)
		o.send(o.exchange, tok, transfer(r, float64(200+300*i)))
		o.send(r, tok, o.tok.PackDelegate(r))
		o.mine(6)
	}
	var sybils []common.Address
	for i := 0; i < 40; i++ {
		sybils = append(sybils, o.wallet(walletName("sybil", i)))
	}
	o.batch(func() {
		for _, s := range sybils {
			o.send(o.funder, tok, transfer(s, 150))
		}
	})
	o.batch(func() {
		for _, s := range sybils {
			o.send(s, tok, o.tok.PackDelegate(s))
		}
	})
	spiked := o.wallet("spike delegate")
	o.send(o.exchange, tok, transfer(spiked, 5000))
	o.send(spiked, tok, o.tok.PackDelegate(spiked))
	for _, group := range [][]common.Address{o.quiet[:15], o.quiet[15:30]} {
		o.batch(func() {
			for _, q := range group {
				o.send(q, tok, o.tok.PackDelegate(spiked))
			}
		})
	}
	p2 := o.propose(o.active[6], []common.Address{tl}, [][]byte{testtimelock.NewTestTimelock().PackUpdateDelay(big.NewInt(120))}, ocDescriptions[1], "")
	o.startVoting(p2)
	o.honestVoting(p2, 0.5, func() {
		o.vote(spiked, p2, 1, "", ocSpike)
		for _, r := range o.retail {
			o.vote(r, p2, 1, "", "")
		}
	})
	for _, half := range [][]common.Address{sybils[:20], sybils[20:]} {
		o.batch(func() {
			for _, s := range half {
				o.vote(s, p2, 0, "", ocSybil)
			}
		})
	}

	// 3. A whale that has held its tokens for long carries the quorum
	// alone; a few small holders vote after it.
	p3 := o.propose(o.whale, []common.Address{tok}, [][]byte{transfer(o.whale, 200_000)},
		"# Fund the liquidity programme\n\nPays the market makers of the GTV pools for a year.", "")
	o.startVoting(p3)
	o.vote(o.whale, p3, 1, "", ocOneVoter)
	o.batch(func() {
		for i := 0; i < 4; i++ {
			o.vote(o.active[60+i], p3, uint8(i%2), "", "")
		}
	})

	// 4. An attacker proposes to grant the timelock's admin role (the
	// treasury) to itself; a borrower takes 900,000 from a lender before
	// the snapshot, votes for it and returns them (Beanstalk).
	borrower, attacker := o.wallet("borrower"), o.wallet("attacker")
	grantT, grantC, ownT, ownC := o.ownershipCalls(attacker)
	o.send(o.lender, tok, transfer(borrower, 900_000))
	o.send(borrower, tok, o.tok.PackDelegate(borrower))
	p4 := o.propose(attacker, grantT, grantC, "# Hand the treasury to the operations multisig\n\nRoutine operational change agreed on the forum.", ocOwnership)
	o.startVoting(p4)
	o.honestVoting(p4, 0.2, func() { o.vote(borrower, p4, 1, "", ocBorrow) })
	o.send(borrower, tok, transfer(o.lender, 900_000))

	// 5. The token's ownership (its minter) to the attacker.
	p5 := o.propose(attacker, ownT, ownC, "# Move minting to the emissions contract\n\nThe emissions contract takes over the schedule.", ocOwnership)
	o.startVoting(p5)
	o.honestVoting(p5, 0.2, nil)

	// 6. A description and a vote reason aimed at AI agents.
	baiter := o.quiet[39]
	o.send(baiter, tok, o.tok.PackDelegate(baiter))
	p6 := o.propose(o.active[7], []common.Address{tok}, [][]byte{transfer(o.active[41], 20_000)}, injected, ocInjection)
	o.startVoting(p6)
	o.honestVoting(p6, 0.5, func() { o.vote(baiter, p6, 1, injectedReason, ocReason) })

	// 7, 8. Honest proposals after more trading and delegation changes;
	// a fund buys 150,000 shortly before the first snapshot and keeps them
	// (a near miss for the just-in-time check: nothing is moved out).
	fund := o.wallet("fund")
	for i, desc := range ocDescriptions[2:] {
		o.trade(4)
		if i == 0 {
			o.send(o.exchange, tok, transfer(fund, 150_000))
			o.send(fund, tok, o.tok.PackDelegate(fund))
		}
		p := o.propose(o.active[8+i], []common.Address{tok}, [][]byte{transfer(o.active[42+i], 30_000)}, desc, "")
		o.startVoting(p)
		o.honestVoting(p, 0.5, func() { o.vote(fund, p, 1, "Long-term position, bought this week.", "") })
	}
	o.mine(2)
}
