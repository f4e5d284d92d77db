package main

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/params"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestFeeCap raises anvil's base fee to 100 gwei: with a cap of 50 gwei
// attest sends nothing and says why; with max_fee_gwei 150 in the
// configuration the transaction's fee cap is 150 gwei, not the node's
// suggestion of twice the base fee.
func TestFeeCap(t *testing.T) {
	e := newAttestEnv(t)
	ctx := context.Background()
	e.seal(t, "votes", 0, 50)
	anvil := e.Chain.(*testchain.Anvil)
	if err := anvil.RPC().CallContext(ctx, nil, "anvil_setNextBlockBaseFeePerGas", (*hexutil.Big)(big.NewInt(100*params.GWei))); err != nil {
		t.Fatal(err)
	}
	if err := anvil.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	reg := e.registryFlags()
	s1 := e.signFile(t, "votes@1", 1, reg...)
	head, _ := e.Chain.Client().BlockNumber(ctx)
	out := e.must(t, exitFailure, append([]string{"attest", "votes@1", "--key", e.stewardKeys[0], "--signatures", s1, "--from", e.gas, "--max-fee-gwei", "50"}, reg...)...)
	if !strings.Contains(out, "the base fee is above the fee cap: base fee 100.000 gwei, cap 50.000 gwei; nothing was sent") {
		t.Fatalf("attest above the cap: %s", out)
	}
	if now, _ := e.Chain.Client().BlockNumber(ctx); now != head {
		t.Fatalf("blocks %d..%d were mined by a refused attest", head, now)
	}
	cfg := filepath.Join(e.dir, "fees.yaml")
	writeFile(t, cfg, fmt.Sprintf("version: 1\ndata_dir: %s\nattestation:\n  backend: registry\n  chain_id: 31337\n  rpc_url: %s\n  registry: \"%s\"\n  max_fee_gwei: 150\n",
		e.data, e.Chain.RPCURL(), e.Registry.Hex()))
	out = e.must(t, 0, "attest", "votes@1", "-c", cfg, "--from", e.gas)
	tx := regexp.MustCompile(`tx (0x[0-9a-f]{64})`).FindStringSubmatch(out)
	if tx == nil {
		t.Fatalf("attest under the cap: %s", out)
	}
	got, _, err := e.Chain.Client().TransactionByHash(ctx, common.HexToHash(tx[1]))
	if err != nil {
		t.Fatal(err)
	}
	if got.GasFeeCap().Cmp(big.NewInt(150*params.GWei)) != 0 || got.GasTipCap().Cmp(got.GasFeeCap()) > 0 {
		t.Fatalf("fee cap %s, tip %s; want a fee cap of 150 gwei", got.GasFeeCap(), got.GasTipCap())
	}
	writeFile(t, cfg, "version: 1\nattestation:\n  backend: registry\n  chain_id: 31337\n  registry: \"0x0000000000000000000000000000000000000001\"\n  max_fee_gwei: -1\n")
	if out := e.must(t, exitUsage, "verify", "votes@1", "-c", cfg); !strings.Contains(out, "max_fee_gwei -1: want 0 (no cap) or more") {
		t.Fatalf("a negative cap: %s", out)
	}
}
