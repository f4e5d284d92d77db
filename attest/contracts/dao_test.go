package contracts_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	gov "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testgovernor"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtoken"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// Governor proposal states (IGovernor.ProposalState) and vote types.
const (
	statePending   = 0
	stateActive    = 1
	stateCanceled  = 2
	stateSucceeded = 4
	stateQueued    = 5
	stateExecuted  = 7

	voteAgainst = 0
	voteFor     = 1
	voteAbstain = 2
)

// daoFixture is a deployed test DAO whose voters (accounts 1-3) hold and delegate votes.
type daoFixture struct {
	c       testchain.Chain
	dao     testchain.DAO
	gov     *gov.TestGovernor
	tok     *testtoken.TestToken
	govInst *bind.BoundContract
	tokInst *bind.BoundContract
}

// proposal is the content of a governor proposal.
type proposal struct {
	targets     []common.Address
	values      []*big.Int
	calldatas   [][]byte
	description string
}

func (p proposal) descriptionHash() [32]byte { return crypto.Keccak256Hash([]byte(p.description)) }

// setupDAO deploys the DAO, mints 100, 50 and 30 GTV to voters 1-3 and 1000 GTV to the
// timelock (the treasury), and has each voter delegate to itself.
func setupDAO(t *testing.T) *daoFixture {
	c := testchain.StartAnvil(t)
	dao, err := testchain.DeployDAO(context.Background(), c, testchain.DAOConfig{
		VotingDelay: 1, VotingPeriod: 5, TimelockDelay: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	f := &daoFixture{c: c, dao: dao, gov: gov.NewTestGovernor(), tok: testtoken.NewTestToken()}
	f.govInst = f.gov.Instance(c.Client(), dao.Governor)
	f.tokInst = f.tok.Instance(c.Client(), dao.Token)
	for i, amount := range []int64{100, 50, 30} {
		voter := c.Accounts()[i+1]
		f.send(t, dao.Owner, dao.Token, f.tok.PackMint(voter.Address, testchain.Ether(amount)))
		f.send(t, voter, dao.Token, f.tok.PackDelegate(voter.Address))
	}
	f.send(t, dao.Owner, dao.Token, f.tok.PackMint(dao.Timelock, testchain.Ether(1000)))
	if err := c.Mine(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	return f
}

// send sends a transaction that must succeed.
func (f *daoFixture) send(t *testing.T, from testchain.Account, to common.Address, data []byte) *types.Receipt {
	t.Helper()
	rcpt, err := testchain.Transact(context.Background(), f.c, from, to, data)
	if err != nil {
		t.Fatal(err)
	}
	return rcpt
}

// state reads a proposal's state.
func (f *daoFixture) state(t *testing.T, id *big.Int) uint8 {
	t.Helper()
	s, err := bind.Call(f.govInst, nil, f.gov.PackState(id), f.gov.UnpackState)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mine mines n blocks.
func (f *daoFixture) mine(t *testing.T, n uint64) {
	t.Helper()
	if err := f.c.Mine(context.Background(), n); err != nil {
		t.Fatal(err)
	}
}

// propose submits p from the account and returns the decoded ProposalCreated event.
func (f *daoFixture) propose(t *testing.T, from testchain.Account, p proposal) *gov.TestGovernorProposalCreated {
	t.Helper()
	rcpt := f.send(t, from, f.dao.Governor, f.gov.PackPropose(p.targets, p.values, p.calldatas, p.description))
	ev := findEvent(t, rcpt, f.gov.UnpackProposalCreatedEvent)
	if ev.Proposer != from.Address || ev.Description != p.description || len(ev.Targets) != len(p.targets) ||
		ev.Targets[0] != p.targets[0] || ev.VoteEnd.Uint64() != ev.VoteStart.Uint64()+5 {
		t.Fatalf("ProposalCreated = %+v", ev)
	}
	if got := f.state(t, ev.ProposalId); got != statePending {
		t.Fatalf("state after propose = %d, want Pending", got)
	}
	return ev
}

// findEvent returns the first log of the receipt that unpack accepts.
func findEvent[E any](t *testing.T, rcpt *types.Receipt, unpack func(*types.Log) (*E, error)) *E {
	t.Helper()
	for _, l := range rcpt.Logs {
		if ev, err := unpack(l); err == nil {
			return ev
		}
	}
	t.Fatalf("no matching event among %d logs", len(rcpt.Logs))
	return nil
}

func TestDAOProposalLifecycle(t *testing.T) {
	f := setupDAO(t)
	accts := f.c.Accounts()
	recipient := accts[5].Address
	p := proposal{
		targets:     []common.Address{f.dao.Token},
		values:      []*big.Int{big.NewInt(0)},
		calldatas:   [][]byte{f.tok.PackTransfer(recipient, testchain.Ether(10))},
		description: "Grant 10 GTV to the data stewards",
	}
	created := f.propose(t, accts[1], p)
	id := created.ProposalId
	f.mine(t, 2)
	if got := f.state(t, id); got != stateActive {
		t.Fatalf("state after the voting delay = %d, want Active", got)
	}
	f.castVotes(t, id)
	f.mine(t, 6)
	if got := f.state(t, id); got != stateSucceeded {
		t.Fatalf("state after the vote = %d, want Succeeded", got)
	}
	rcpt := f.send(t, accts[4], f.dao.Governor, f.gov.PackQueue(p.targets, p.values, p.calldatas, p.descriptionHash()))
	queued := findEvent(t, rcpt, f.gov.UnpackProposalQueuedEvent)
	head, err := f.c.Client().HeaderByNumber(context.Background(), rcpt.BlockNumber)
	if err != nil || queued.ProposalId.Cmp(id) != 0 || queued.EtaSeconds.Uint64() != head.Time+60 {
		t.Fatalf("ProposalQueued = %+v (block time %d, %v)", queued, head.Time, err)
	}
	if got := f.state(t, id); got != stateQueued {
		t.Fatalf("state after queue = %d, want Queued", got)
	}
	execute := f.gov.PackExecute(p.targets, p.values, p.calldatas, p.descriptionHash())
	if _, err := testchain.Transact(context.Background(), f.c, accts[4], f.dao.Governor, execute); err == nil {
		t.Fatal("execute before the timelock delay succeeded")
	}
	if err := f.c.IncreaseTime(context.Background(), 61*time.Second); err != nil {
		t.Fatal(err)
	}
	executed := findEvent(t, f.send(t, accts[4], f.dao.Governor, execute), f.gov.UnpackProposalExecutedEvent)
	if executed.ProposalId.Cmp(id) != 0 || f.state(t, id) != stateExecuted {
		t.Fatalf("ProposalExecuted = %+v, state %d", executed, f.state(t, id))
	}
	bal, err := bind.Call(f.tokInst, nil, f.tok.PackBalanceOf(recipient), f.tok.UnpackBalanceOf)
	if err != nil || bal.Cmp(testchain.Ether(10)) != 0 {
		t.Fatalf("recipient balance = %v, %v; want 10 GTV", bal, err)
	}
}

// castVotes casts For and Against with reasons and Abstain with reason and params, and
// checks the decoded VoteCast and VoteCastWithParams events.
func (f *daoFixture) castVotes(t *testing.T, id *big.Int) {
	t.Helper()
	votes := []struct {
		voter   int
		support uint8
		reason  string
		params  []byte
		weight  int64
	}{
		{1, voteFor, "the grant funds the validators", nil, 100},
		{2, voteAgainst, "too early", nil, 50},
		{3, voteAbstain, "abstain; see params", []byte{0xca, 0xfe}, 30},
	}
	for _, v := range votes {
		voter := f.c.Accounts()[v.voter]
		if v.params == nil {
			rcpt := f.send(t, voter, f.dao.Governor, f.gov.PackCastVoteWithReason(id, v.support, v.reason))
			ev := findEvent(t, rcpt, f.gov.UnpackVoteCastEvent)
			if ev.Voter != voter.Address || ev.ProposalId.Cmp(id) != 0 || ev.Support != v.support ||
				ev.Weight.Cmp(testchain.Ether(v.weight)) != 0 || ev.Reason != v.reason {
				t.Fatalf("VoteCast = %+v, want %+v", ev, v)
			}
			continue
		}
		rcpt := f.send(t, voter, f.dao.Governor, f.gov.PackCastVoteWithReasonAndParams(id, v.support, v.reason, v.params))
		ev := findEvent(t, rcpt, f.gov.UnpackVoteCastWithParamsEvent)
		if ev.Voter != voter.Address || ev.ProposalId.Cmp(id) != 0 || ev.Support != v.support ||
			ev.Weight.Cmp(testchain.Ether(v.weight)) != 0 || ev.Reason != v.reason || string(ev.Params) != string(v.params) {
			t.Fatalf("VoteCastWithParams = %+v, want %+v", ev, v)
		}
	}
}

func TestDAOProposalCanceled(t *testing.T) {
	f := setupDAO(t)
	proposer := f.c.Accounts()[2]
	p := proposal{
		targets:     []common.Address{f.dao.Token},
		values:      []*big.Int{big.NewInt(0)},
		calldatas:   [][]byte{f.tok.PackTransfer(proposer.Address, testchain.Ether(500))},
		description: "Send half the treasury to me",
	}
	id := f.propose(t, proposer, p).ProposalId
	rcpt := f.send(t, proposer, f.dao.Governor, f.gov.PackCancel(p.targets, p.values, p.calldatas, p.descriptionHash()))
	ev := findEvent(t, rcpt, f.gov.UnpackProposalCanceledEvent)
	if ev.ProposalId.Cmp(id) != 0 || f.state(t, id) != stateCanceled {
		t.Fatalf("ProposalCanceled = %+v, state %d", ev, f.state(t, id))
	}
}
