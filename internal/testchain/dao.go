package testchain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testgovernor"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtimelock"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtoken"
)

// DAOConfig configures DeployDAO. Zero fields take the defaults in brackets.
type DAOConfig struct {
	// TokenName and TokenSymbol name the voting token ["groundtruth test vote", "GTV"].
	TokenName, TokenSymbol string
	// VotingDelay is the number of blocks between a proposal and its vote [1].
	VotingDelay uint64
	// VotingPeriod is the number of blocks a vote stays open [10].
	VotingPeriod uint32
	// QuorumPercent is the quorum in percent of the supply at the snapshot [4].
	QuorumPercent uint64
	// TimelockDelay is the timelock's minimum delay, in whole seconds [60s].
	TimelockDelay time.Duration
}

// DAO holds the addresses of a deployed test DAO.
type DAO struct {
	// Token is the TestToken (ERC20Votes + ERC20Permit, mintable by Owner).
	Token common.Address
	// Governor is the TestGovernor (OpenZeppelin Governor with timelock control).
	Governor common.Address
	// Timelock is the TestTimelock (TimelockController) that executes proposals.
	Timelock common.Address
	// Owner is the account that deployed the DAO and may mint tokens.
	Owner Account
}

func (cfg *DAOConfig) defaults() {
	if cfg.TokenName == "" {
		cfg.TokenName = "groundtruth test vote"
	}
	if cfg.TokenSymbol == "" {
		cfg.TokenSymbol = "GTV"
	}
	if cfg.VotingDelay == 0 {
		cfg.VotingDelay = 1
	}
	if cfg.VotingPeriod == 0 {
		cfg.VotingPeriod = 10
	}
	if cfg.QuorumPercent == 0 {
		cfg.QuorumPercent = 4
	}
	if cfg.TimelockDelay == 0 {
		cfg.TimelockDelay = time.Minute
	}
}

// DeployDAO deploys the test DAO from the chain's first account: the token, a timelock
// that anyone may execute on, and the governor, which becomes the timelock's only
// proposer and canceller; the deployer then renounces the timelock's admin role.
func DeployDAO(ctx context.Context, c Chain, cfg DAOConfig) (DAO, error) {
	cfg.defaults()
	owner := c.Accounts()[0]
	dao := DAO{Owner: owner}
	var err error
	tokenArgs := testtoken.NewTestToken().PackConstructor(cfg.TokenName, cfg.TokenSymbol, owner.Address)
	if dao.Token, err = Deploy(ctx, c, "TestToken", common.FromHex(testtoken.TestTokenMetaData.Bin), tokenArgs); err != nil {
		return DAO{}, err
	}
	delay := big.NewInt(int64(cfg.TimelockDelay / time.Second))
	tlArgs := testtimelock.NewTestTimelock().PackConstructor(delay, nil, []common.Address{{}}, owner.Address)
	if dao.Timelock, err = Deploy(ctx, c, "TestTimelock", common.FromHex(testtimelock.TestTimelockMetaData.Bin), tlArgs); err != nil {
		return DAO{}, err
	}
	govArgs := testgovernor.NewTestGovernor().PackConstructor(dao.Token, dao.Timelock,
		new(big.Int).SetUint64(cfg.VotingDelay), cfg.VotingPeriod, new(big.Int).SetUint64(cfg.QuorumPercent))
	if dao.Governor, err = Deploy(ctx, c, "TestGovernor", common.FromHex(testgovernor.TestGovernorMetaData.Bin), govArgs); err != nil {
		return DAO{}, err
	}
	if err := wireTimelock(ctx, c, dao); err != nil {
		return DAO{}, err
	}
	return dao, nil
}

// wireTimelock makes the governor the timelock's proposer and canceller and drops the
// deployer's admin role.
func wireTimelock(ctx context.Context, c Chain, dao DAO) error {
	tl := testtimelock.NewTestTimelock()
	steps := []struct {
		what string
		data []byte
	}{
		{"grant PROPOSER_ROLE", tl.PackGrantRole(role("PROPOSER_ROLE"), dao.Governor)},
		{"grant CANCELLER_ROLE", tl.PackGrantRole(role("CANCELLER_ROLE"), dao.Governor)},
		{"renounce DEFAULT_ADMIN_ROLE", tl.PackRenounceRole([32]byte{}, dao.Owner.Address)},
	}
	for _, s := range steps {
		if _, err := Transact(ctx, c, dao.Owner, dao.Timelock, s.data); err != nil {
			return fmt.Errorf("timelock: %s: %w", s.what, err)
		}
	}
	return nil
}

// role returns an OpenZeppelin AccessControl role id, keccak256(name).
func role(name string) [32]byte {
	return crypto.Keccak256Hash([]byte(name))
}
