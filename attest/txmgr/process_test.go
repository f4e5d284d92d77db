package txmgr_test

import (
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/groundtruth-dao/groundtruth/attest/txmgr"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

const (
	envRPC   = "TXMGR_CHILD_RPC"
	envState = "TXMGR_CHILD_STATE"
	perChild = 5
)

// TestSendChild is run by TestTwoProcesses in a child process: it sends
// perChild transactions from anvil's first account, one after the other.
func TestSendChild(t *testing.T) {
	url := os.Getenv(envRPC)
	if url == "" {
		t.Skip("run by TestTwoProcesses")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections() // goleak: no keep-alive goroutines left
	rc, err := rpc.DialOptions(ctx, url, rpc.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	c := ethclient.NewClient(rc)
	defer c.Close()
	m, _ := managerOn(t, c, txmgr.Config{StateDir: os.Getenv(envState)})
	for i := 0; i < perChild; i++ {
		if rc, err := m.Send(ctx, txmgr.Request{To: &dead, Value: big.NewInt(1)}); err != nil || rc.Status != 1 {
			t.Fatalf("send %d: %v", i, err)
		}
	}
}

// TestTwoProcesses runs two processes sending from one account at once
// while blocks are mined every 30 ms: every transaction is mined, the
// nonces 0..9 are each used once (no collision, no gap), and the nonce
// record is empty afterwards.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	a := startAnvil(t, true)
	state := t.TempDir()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(30 * time.Millisecond):
				_ = a.RPC().Call(nil, "evm_mine")
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	child := childtest.Child{Test: "TestSendChild", Args: []string{"-test.v"}, Env: []string{envRPC + "=" + a.RPCURL(), envState + "=" + state}}
	p1, p2 := child.Start(t), child.Start(t)
	for _, p := range []*childtest.Process{p1, p2} {
		if code := p.Wait(t, time.Minute); code != 0 {
			t.Fatalf("child exited %d:\n%s", code, p.Output())
		}
	}
	ctx := context.Background()
	from := a.Accounts()[0].Address
	n, err := a.EthClient().NonceAt(ctx, from, nil)
	if err != nil || n != 2*perChild {
		t.Fatalf("nonce %d (%v), want %d: every transaction mined, none lost", n, err, 2*perChild)
	}
	head, _ := a.EthClient().BlockNumber(ctx)
	count := 0
	for b := uint64(1); b <= head; b++ {
		blk, err := a.EthClient().BlockByNumber(ctx, new(big.Int).SetUint64(b))
		if err != nil {
			t.Fatal(err)
		}
		count += len(blk.Transactions())
	}
	if count != 2*perChild {
		t.Fatalf("%d transactions mined, want %d", count, 2*perChild)
	}
	b, err := os.ReadFile(filepath.Join(state, strconv.Itoa(testchain.AnvilChainID)+"-"+strings.ToLower(from.Hex())+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct{ InFlight []any }
	if err := json.Unmarshal(b, &rec); err != nil || len(rec.InFlight) != 0 {
		t.Fatalf("nonce record %s: %v", b, err)
	}
}
