package testchain

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// startSimulatedRPC starts a served simulated chain for a test.
func startSimulatedRPC(t *testing.T) *SimulatedRPC {
	t.Helper()
	s, err := NewSimulatedRPC(SimConfig{Accounts: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// TestSimulatedRPCServesChain reads the served chain with an ethclient, sends a
// transaction through the endpoint (mined at once: the first receipt poll sees it)
// and checks that a revert keeps its data across the HTTP hop.
func TestSimulatedRPCServesChain(t *testing.T) {
	s := startSimulatedRPC(t)
	ctx := t.Context()
	ec, err := ethclient.DialContext(ctx, s.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	id, err := ec.ChainID(ctx)
	if err != nil || id.Int64() != SimulatedChainID {
		t.Fatalf("ChainID() = %v, %v", id, err)
	}
	reg, err := DeployRegistry(ctx, s, []common.Address{s.Accounts()[1].Address}, 1)
	if err != nil {
		t.Fatal(err)
	}
	before, err := ec.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx := transfer(t, ec, s.Accounts()[0], s.Accounts()[2].Address)
	rcpt, err := ec.TransactionReceipt(ctx, tx.Hash())
	if err != nil || rcpt.BlockNumber.Uint64() != before+1 {
		t.Fatalf("receipt right after sending: %v, %v (want block %d)", rcpt, err, before+1)
	}
	_, err = bind.NewBoundContract(reg, abi.ABI{}, ec, ec, ec).RawTransact(s.Transactor(ctx, s.Accounts()[0]), registryAttestNoSigs())
	if data, ok := RevertData(err); !ok || len(data) < 4 {
		t.Fatalf("RevertData(%v) = %x, %v", err, data, ok)
	}
}

// transfer sends 1 wei through ec and returns the transaction.
func transfer(t *testing.T, ec *ethclient.Client, from Account, to common.Address) *types.Transaction {
	t.Helper()
	ctx := t.Context()
	nonce, err := ec.PendingNonceAt(ctx, from.Address)
	if err != nil {
		t.Fatal(err)
	}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(SimulatedChainID), Nonce: nonce, GasTipCap: big.NewInt(1e9),
		GasFeeCap: big.NewInt(100e9), Gas: 21000, To: &to, Value: big.NewInt(1)})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(SimulatedChainID)), from.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := ec.SendTransaction(ctx, signed); err != nil {
		t.Fatal(err)
	}
	return signed
}

// TestSimulatedRPCBatchAndErrors checks batches, unknown methods and bad bodies.
func TestSimulatedRPCBatchAndErrors(t *testing.T) {
	s := startSimulatedRPC(t)
	tests := []struct {
		name, body string
		check      func(t *testing.T, raw json.RawMessage)
	}{
		{"batch", `[{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]},{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber"}]`,
			func(t *testing.T, raw json.RawMessage) {
				var out []rpcResponse
				if err := json.Unmarshal(raw, &out); err != nil || len(out) != 2 || string(out[0].Result) != `"0x539"` || out[1].Error != nil {
					t.Fatalf("batch answer %s (%v)", raw, err)
				}
			}},
		{"unknown method", `{"jsonrpc":"2.0","id":7,"method":"eth_nope","params":[]}`,
			func(t *testing.T, raw json.RawMessage) {
				var out rpcResponse
				if err := json.Unmarshal(raw, &out); err != nil || out.Error == nil || out.Error.Code != -32601 || string(out.ID) != "7" {
					t.Fatalf("answer %s (%v)", raw, err)
				}
			}},
		{"bad body", `{`, func(t *testing.T, raw json.RawMessage) {
			var out rpcResponse
			if err := json.Unmarshal(raw, &out); err != nil || out.Error == nil || out.Error.Code != -32700 {
				t.Fatalf("answer %s (%v)", raw, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.RPCURL(), bytes.NewBufferString(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var raw json.RawMessage
			if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
				t.Fatal(err)
			}
			tt.check(t, raw)
		})
	}
}
