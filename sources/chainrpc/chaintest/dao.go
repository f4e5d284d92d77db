package chaintest

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testgovernor"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtoken"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// Proposal is a proposal the scenario made, as sent.
type Proposal struct {
	ID          *big.Int
	Proposer    common.Address
	Targets     []common.Address
	Values      []*big.Int
	Calldatas   [][]byte
	Description string
	VoteStart   uint64
	VoteEnd     uint64
	Receipt     *types.Receipt
}

// Vote is a vote the scenario cast, as sent.
type Vote struct {
	Proposal *big.Int
	Voter    common.Address
	Support  uint8
	Weight   *big.Int
	Reason   string
	Params   []byte // nil: castVote or castVoteWithReason
	Receipt  *types.Receipt
}

// Scenario is what RunDAOScenario did, for comparisons.
type Scenario struct {
	DAO       testchain.DAO
	Emitter   common.Address
	Voters    []common.Address
	Proposals []Proposal // [0] executed, [1] canceled
	Votes     []Vote
	Queued    *types.Receipt
	Eta       uint64
	Executed  *types.Receipt
	Canceled  *types.Receipt
	// TokenReceipts are the mints, delegations and transfers, in order.
	TokenReceipts []*types.Receipt
}

// Amounts minted to the four voters, in whole tokens.
var voterTokens = []int64{100, 200, 300, 400}

// RunDAOScenario deploys the test DAO and runs a proposal life cycle:
// mints to four voters, delegations (the fourth delegates to the first),
// a transfer, a proposal that is voted For/Against (with a reason)/Abstain
// (with a reason and params), queued and executed, and a second proposal
// that is canceled.
func RunDAOScenario(t testing.TB, c testchain.Chain) *Scenario {
	t.Helper()
	ctx := Ctx(t)
	dao, err := testchain.DeployDAO(ctx, c, testchain.DAOConfig{})
	if err != nil {
		t.Fatal(err)
	}
	sc := &Scenario{DAO: dao, Emitter: DeployEmitter(t, c)}
	acct := c.Accounts()
	voters := acct[1:5]
	tok := testtoken.NewTestToken()
	send := func(from testchain.Account, to common.Address, data []byte) *types.Receipt {
		t.Helper()
		rc, err := testchain.Transact(ctx, c, from, to, data)
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	for i, v := range voters {
		sc.Voters = append(sc.Voters, v.Address)
		sc.TokenReceipts = append(sc.TokenReceipts, send(dao.Owner, dao.Token, tok.PackMint(v.Address, Tokens(voterTokens[i]))))
	}
	for i, v := range voters {
		to := v.Address
		if i == 3 {
			to = voters[0].Address
		}
		sc.TokenReceipts = append(sc.TokenReceipts, send(v, dao.Token, tok.PackDelegate(to)))
	}
	sc.TokenReceipts = append(sc.TokenReceipts, send(voters[1], dao.Token, tok.PackTransfer(voters[2].Address, Tokens(50))))
	if err := c.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	weights := []*big.Int{Tokens(100 + 400), Tokens(200 - 50), Tokens(300 + 50)}

	gov := testgovernor.NewTestGovernor()
	em := eventemitter.NewEventEmitter()
	propose := func(by testchain.Account, calldata []byte, desc string) Proposal {
		p := Proposal{Proposer: by.Address, Targets: []common.Address{sc.Emitter}, Values: []*big.Int{big.NewInt(0)},
			Calldatas: [][]byte{calldata}, Description: desc}
		p.Receipt = send(by, dao.Governor, gov.PackPropose(p.Targets, p.Values, p.Calldatas, desc))
		p.ID = ProposalID(p.Targets, p.Values, p.Calldatas, desc)
		p.VoteStart = p.Receipt.BlockNumber.Uint64() + 1 // voting delay 1
		p.VoteEnd = p.VoteStart + 10                     // voting period 10
		return p
	}
	p1 := propose(voters[0], em.PackEmitMany(big.NewInt(1)), "Proposal #1: emit a ping\n\nWith a second paragraph, ünïcode and \"quotes\".")
	p2 := propose(voters[1], em.PackEmitTagged(big.NewInt(1), [32]byte{7}), "Proposal #2: withdrawn")
	descHash := func(p Proposal) [32]byte { return crypto.Keccak256Hash([]byte(p.Description)) }
	sc.Canceled = send(voters[1], dao.Governor, gov.PackCancel(p2.Targets, p2.Values, p2.Calldatas, descHash(p2)))
	sc.Proposals = []Proposal{p1, p2}
	if err := c.Mine(ctx, 2); err != nil {
		t.Fatal(err)
	}
	votes := []Vote{
		{Support: 1},
		{Support: 0, Reason: "too risky\nsee the forum"},
		{Support: 2, Reason: "abstaining: conflict of interest", Params: []byte{0xde, 0xad, 0xbe, 0xef}},
	}
	for i := range votes {
		v := &votes[i]
		v.Proposal, v.Voter, v.Weight = p1.ID, voters[i].Address, weights[i]
		var data []byte
		switch {
		case v.Params != nil:
			data = gov.PackCastVoteWithReasonAndParams(p1.ID, v.Support, v.Reason, v.Params)
		case v.Reason != "":
			data = gov.PackCastVoteWithReason(p1.ID, v.Support, v.Reason)
		default:
			data = gov.PackCastVote(p1.ID, v.Support)
		}
		v.Receipt = send(voters[i], dao.Governor, data)
	}
	sc.Votes = votes
	if err := c.Mine(ctx, 11); err != nil {
		t.Fatal(err)
	}
	sc.Queued = send(acct[5], dao.Governor, gov.PackQueue(p1.Targets, p1.Values, p1.Calldatas, descHash(p1)))
	hdr, err := c.Client().HeaderByNumber(ctx, sc.Queued.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	sc.Eta = hdr.Time + 60 // the timelock's delay
	if err := c.IncreaseTime(ctx, 61*time.Second); err != nil {
		t.Fatal(err)
	}
	sc.Executed = send(acct[5], dao.Governor, gov.PackExecute(p1.Targets, p1.Values, p1.Calldatas, descHash(p1)))
	return sc
}

// Tokens returns n whole tokens (18 decimals).
func Tokens(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// ProposalID computes an OpenZeppelin proposal id: keccak256(abi.encode(
// targets, values, calldatas, keccak256(description))).
func ProposalID(targets []common.Address, values []*big.Int, calldatas [][]byte, desc string) *big.Int {
	at, _ := abi.NewType("address[]", "", nil)
	ut, _ := abi.NewType("uint256[]", "", nil)
	bt, _ := abi.NewType("bytes[]", "", nil)
	ht, _ := abi.NewType("bytes32", "", nil)
	enc, err := abi.Arguments{{Type: at}, {Type: ut}, {Type: bt}, {Type: ht}}.Pack(targets, values, calldatas, crypto.Keccak256Hash([]byte(desc)))
	if err != nil {
		panic(err)
	}
	return new(big.Int).SetBytes(crypto.Keccak256(enc))
}
