package erc20_test

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtoken"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/erc20"
	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

// TestConformance runs the source suite on a fresh votes token per
// instance; growing the origin mints and delegates.
func TestConformance(t *testing.T) {
	a := chaintest.Anvil(t)
	sourcetest.Run(t, sourcetest.Harness{
		CloseIdle: a.CloseIdleConnections,
		// A log source stops after the eth_getLogs block range it was told enough in.
		FinishesUnit: true,
		New: func(t testing.TB) sourcetest.Instance {
			ctx := chaintest.Ctx(t)
			owner := a.Accounts()[0]
			tok := testtoken.NewTestToken()
			addr, err := testchain.Deploy(ctx, a, "TestToken", common.FromHex(testtoken.TestTokenMetaData.Bin), tok.PackConstructor("t", "T", owner.Address))
			if err != nil {
				t.Fatal(err)
			}
			grow := func(t testing.TB) {
				for _, data := range [][]byte{tok.PackMint(owner.Address, chaintest.Tokens(1)), tok.PackDelegate(owner.Address)} {
					if _, err := testchain.Transact(chaintest.Ctx(t), a, owner, addr, data); err != nil {
						t.Fatal(err)
					}
				}
			}
			grow(t)
			cfg := erc20.DefaultConfig()
			cfg.RPC.URL, cfg.Addresses, cfg.BatchRows = a.RPCURL(), []string{addr.Hex()}, 1
			src, err := erc20.New("token", cfg, chaintest.Deps(t, nil))
			if err != nil {
				t.Fatal(err)
			}
			return sourcetest.Instance{Source: src, Grow: grow}
		},
		Provenance: []string{chainrpc.ColSource, chainrpc.ColRawSHA256, chainrpc.ColBlockNumber, chainrpc.ColBlockHash},
		Volatile:   []string{chainrpc.ColRawSHA256},
	})
}
