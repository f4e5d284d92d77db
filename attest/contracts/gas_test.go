package contracts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// attestGasTarget is the gas budget of attest with k = 2 (first version of a dataset).
const attestGasTarget = 150_000

// TestGas measures attest for k = 1, 2, 3, 5 (n = 5) with key stewards, attest with k = 2
// by a key and a 2-of-3 Safe (EIP-1271), and verifyRecord for trees of 2^10
// and 2^20 rows, and prints the table docs/gas.md records.
func TestGas(t *testing.T) {
	if testing.Short() {
		t.Skip("gas measurement skipped in -short mode")
	}
	c := testchain.StartAnvil(t)
	var table strings.Builder
	table.WriteString("\n| operation | gas |\n|---|---:|\n")
	for _, k := range []uint64{1, 2, 3, 5} {
		first, next := attestGas(t, c, k)
		fmt.Fprintf(&table, "| attest, k = %d, first version of a dataset | %d |\n", k, first)
		fmt.Fprintf(&table, "| attest, k = %d, next version of a dataset | %d |\n", k, next)
		if k == 2 && first >= attestGasTarget {
			t.Errorf("attest with k = 2 used %d gas, target is under %d", first, attestGasTarget)
		}
	}
	first, next := safeAttestGas(t, c)
	fmt.Fprintf(&table, "| attest, k = 2 (a key and a 2-of-3 Safe), first version of a dataset | %d |\n", first)
	fmt.Fprintf(&table, "| attest, k = 2 (a key and a 2-of-3 Safe), next version of a dataset | %d |\n", next)
	for _, log2 := range []uint{10, 20} {
		gas, calldata := verifyGas(t, c, log2)
		fmt.Fprintf(&table, "| verifyRecord, 2^%d rows (proof of %d hashes), eth_estimateGas | %d |\n", log2, log2, gas)
		fmt.Fprintf(&table, "| verifyRecord, 2^%d rows, execution only (estimate - 21,000 - %d calldata) | %d |\n",
			log2, calldata, gas-21_000-calldata)
	}
	t.Log(table.String())
}

// attestGas deploys a 5-steward registry with threshold k and returns the gas used by
// attesting version 1 and then version 2 of one dataset.
func attestGas(t *testing.T, c testchain.Chain, k uint64) (first, next uint64) {
	t.Helper()
	r := deployRegistry(t, c, 5, k)
	signers := make([]int, k)
	for i := range signers {
		signers[i] = i
	}
	dataset := "gas/prices-usd"
	v1 := r.attestBy(t, statement(dataset, 1, common.HexToHash("0x1111"), 1_000_000), signers...)
	v2 := r.attestBy(t, statement(dataset, 2, common.HexToHash("0x2222"), 1_000_500), signers...)
	return v1.GasUsed, v2.GasUsed
}

// verifyGas attests a tree of 2^log2 rows and estimates verifyRecord for a leaf in it;
// it also returns the calldata part of the estimate.
func verifyGas(t *testing.T, c testchain.Chain, log2 uint) (gas, calldata uint64) {
	t.Helper()
	var tr *tree
	if log2 == 20 {
		var err error
		if tr, err = largeTree(); err != nil {
			t.Fatal(err)
		}
	} else {
		tr = buildTree(t, 1<<log2)
	}
	r := deployRegistry(t, c, 1, 1)
	r.attestBy(t, statement("gas/tree", 1, tr.root, tr.size), 0)
	i := tr.size/2 + 3
	data := r.b.PackVerifyRecord("gas/tree", 1, tr.leaf(i), i, tr.size, tr.proof(t, i))
	if !r.verify(t, "gas/tree", 1, tr.leaf(i), i, tr.size, tr.proof(t, i)) {
		t.Fatal("the measured proof does not verify")
	}
	gas, err := c.Client().EstimateGas(context.Background(), ethereum.CallMsg{To: &r.addr, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return gas, calldataGas(data)
}

// calldataGas is the standard calldata cost: 4 gas per zero byte, 16 per other byte.
func calldataGas(data []byte) uint64 {
	var g uint64
	for _, b := range data {
		if b == 0 {
			g += 4
		} else {
			g += 16
		}
	}
	return g
}
