package governor_test

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testgovernor"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtoken"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/governor"
	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

// TestConformance runs the source suite on the states table of a fresh
// test DAO per instance; growing the origin makes a new proposal.
func TestConformance(t *testing.T) {
	a := chaintest.Anvil(t)
	sourcetest.Run(t, sourcetest.Harness{
		CloseIdle: a.CloseIdleConnections,
		// A log source stops after the eth_getLogs block range it was told enough in.
		FinishesUnit: true,
		New: func(t testing.TB) sourcetest.Instance {
			ctx := chaintest.Ctx(t)
			dao, err := testchain.DeployDAO(ctx, a, testchain.DAOConfig{})
			if err != nil {
				t.Fatal(err)
			}
			proposer := a.Accounts()[1]
			tok, gov := testtoken.NewTestToken(), testgovernor.NewTestGovernor()
			for _, step := range []struct {
				from testchain.Account
				to   common.Address
				data []byte
			}{
				{dao.Owner, dao.Token, tok.PackMint(proposer.Address, chaintest.Tokens(10))},
				{proposer, dao.Token, tok.PackDelegate(proposer.Address)},
			} {
				if _, err := testchain.Transact(ctx, a, step.from, step.to, step.data); err != nil {
					t.Fatal(err)
				}
			}
			n := 0
			propose := func(t testing.TB) {
				n++
				data := gov.PackPropose([]common.Address{dao.Token}, []*big.Int{big.NewInt(0)}, [][]byte{tok.PackDelegate(proposer.Address)}, fmt.Sprintf("proposal %d", n))
				if _, err := testchain.Transact(chaintest.Ctx(t), a, proposer, dao.Governor, data); err != nil {
					t.Fatal(err)
				}
			}
			propose(t)
			propose(t)
			cfg := governor.DefaultConfig()
			cfg.RPC.URL, cfg.Addresses, cfg.Family, cfg.Table, cfg.BatchRows = a.RPCURL(), []string{dao.Governor.Hex()}, governor.FamilyOZ, governor.TableStates, 1
			src, err := governor.New("gov-states", cfg, chaintest.Deps(t, nil))
			if err != nil {
				t.Fatal(err)
			}
			return sourcetest.Instance{Source: src, Grow: propose}
		},
		Provenance: []string{chainrpc.ColSource, chainrpc.ColRawSHA256, chainrpc.ColBlockNumber, chainrpc.ColBlockHash},
		Volatile:   []string{chainrpc.ColRawSHA256},
	})
}
