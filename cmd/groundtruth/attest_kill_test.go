package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
)

// TestAttestKill SIGKILLs `groundtruth attest` at random moments, at least
// 20 times, with receipts delayed by a proxy so that many kills land after
// the transaction is sent and before its receipt is recorded (the crash
// that used to wedge a version). After each kill the same command is run
// again to its end; every version must end attested exactly once: one
// Attested event, the catalog attested with that event's transaction.
func TestAttestKill(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rpc := delayReceipts(t, e.Chain.RPCURL(), 1500*time.Millisecond)
	const wantKills, maxVersions = 20, 40
	b := registry.New(registry.Config{ChainID: e.ChainID, Address: e.Registry})
	child := func(v int) childtest.Child {
		e.seal(t, "votes", v*10, 10)
		p := filepath.Join(e.dir, "sig-"+strconv.Itoa(v)+".json")
		f, err := b.Sign(ctx, e.Stewards[1], e.statement(t, "votes", uint64(v)), attest.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := f.Marshal()
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"--data-dir", e.data, "attest", "votes@" + strconv.Itoa(v), "--key", e.stewardKeys[0], "--signatures", p,
			"--from", e.gas, "--backend", "registry", "--rpc", rpc, "--registry", e.Registry.Hex()}
		return childtest.Child{Test: "TestDaemonChild", Env: []string{envChildArgs + "=" + strings.Join(args, "\x1f"), "GROUNDTRUTH_KEY_PASSWORD=" + testPassword}}
	}
	full := child(1).Run(t)
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 14))
	killed, wedgeable := 0, 0
	for v := 2; v <= maxVersions && killed < wantKills; v++ {
		c := child(v)
		if c.KillAfter(t, time.Duration(rnd.Int64N(int64(full)*4/5))) {
			killed++
		}
		if e.chainAttested(ctx, t, "votes", v) && e.catalogStatus(ctx, t, v) != attest.StatusAttested {
			wedgeable++ // the state that wedged a version before
		}
		c.Run(t)
	}
	t.Logf("%d kills (a full attest takes %s); %d left the chain attested and the catalog not", killed, full.Round(time.Millisecond), wedgeable)
	if killed < wantKills {
		t.Fatalf("only %d children were killed while running", killed)
	}
	if wedgeable == 0 {
		t.Fatal("no kill landed between the transaction and its record: the test did not exercise the crash")
	}
	e.checkAttestedOnce(ctx, t, "votes")
	e.nothingInFlight(ctx, t)
}

// nothingInFlight checks that the killed processes left nothing behind for
// the paying account: no transaction waiting in the pool (a nonce gap would
// hold one there for good) and no nonce record entry at or above the mined
// nonce.
func (e *attestEnv) nothingInFlight(ctx context.Context, t *testing.T) {
	t.Helper()
	gas := e.Chain.Accounts()[0].Address
	mined, err := e.Chain.Client().NonceAt(ctx, gas, nil)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := e.Chain.Client().PendingNonceAt(ctx, gas)
	if err != nil {
		t.Fatal(err)
	}
	if pending != mined {
		t.Errorf("%d transaction(s) of %s still in the pool (nonce %d mined, %d pending)", pending-mined, gas.Hex(), mined, pending)
	}
	b, err := os.ReadFile(filepath.Join(e.data, "txmgr", strconv.FormatUint(e.ChainID, 10)+"-"+strings.ToLower(gas.Hex())+".json"))
	if err != nil {
		t.Fatalf("the nonce record: %v", err)
	}
	var rec struct {
		InFlight []struct{ Nonce uint64 } `json:"inFlight"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatalf("the nonce record: %v\n%s", err, b)
	}
	for _, f := range rec.InFlight {
		if f.Nonce >= mined {
			t.Errorf("the nonce record holds nonce %d, at or above the mined nonce %d:\n%s", f.Nonce, mined, b)
		}
	}
	t.Logf("%d transactions of the paying account mined, none pending; the nonce record holds %d settled entries", mined, len(rec.InFlight))
}

// delayReceipts is a JSON-RPC proxy to upstream that holds every
// eth_getTransactionReceipt request for delay.
func delayReceipts(t *testing.T, upstream string, delay time.Duration) string {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // killed clients cancel their requests
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte("eth_getTransactionReceipt")) {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// chainAttested reads isAttested(dataset, v) from the registry.
func (e *attestEnv) chainAttested(ctx context.Context, t *testing.T, dataset string, v int) bool {
	t.Helper()
	abi := datasetregistry.NewDatasetRegistry()
	out, err := e.Chain.Client().CallContract(ctx, ethereum.CallMsg{To: &e.Registry, Data: abi.PackIsAttested(dataset, uint64(v))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := abi.UnpackIsAttested(out)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// catalogStatus reads a version's status from the catalog.
func (e *attestEnv) catalogStatus(ctx context.Context, t *testing.T, v int) string {
	t.Helper()
	cat, err := store.Open(ctx, e.data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	st, err := cat.VersionStatus(ctx, "votes", uint64(v))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkAttestedOnce checks every version of dataset: attested in the
// catalog, one Attested event on the registry, and the catalog's evidence
// names that event's transaction.
func (e *attestEnv) checkAttestedOnce(ctx context.Context, t *testing.T, dataset string) {
	t.Helper()
	abi := datasetregistry.NewDatasetRegistry()
	logs, err := e.Chain.Client().FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{e.Registry},
		Topics: [][]common.Hash{{abi.GetABI().Events["Attested"].ID}, {crypto.Keccak256Hash([]byte(dataset))}}})
	if err != nil {
		t.Fatal(err)
	}
	events := map[uint64][]common.Hash{}
	for _, l := range logs {
		v := new(big.Int).SetBytes(l.Topics[2][:]).Uint64()
		events[v] = append(events[v], l.TxHash)
	}
	cat, err := store.Open(ctx, e.data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	vs, err := cat.Versions(ctx, dataset)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range vs {
		v := rec.Version
		docs, err := cat.Attestations(ctx, dataset, v, attest.KindRegistry)
		if err != nil || len(docs) == 0 {
			t.Errorf("%s@%d (%s, %d rows): no evidence in the catalog (%v); %d Attested events", dataset, v, rec.Status, rec.Rows, err, len(events[v]))
			continue
		}
		ev, err := attest.ParseEvidence(docs[0])
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case rec.Status != attest.StatusAttested:
			t.Errorf("%s@%d is %s in the catalog", dataset, v, rec.Status)
		case len(events[v]) != 1:
			t.Errorf("%s@%d has %d Attested events", dataset, v, len(events[v]))
		case len(ev.Receipts) != 1 || ev.Receipts[0].TxHash != events[v][0]:
			t.Errorf("%s@%d: the catalog's receipts %v do not name the Attested transaction %s", dataset, v, ev.Receipts, events[v][0].Hex())
		}
	}
}

// wedgeable counts the versions of dataset the registry records as attested
// and the catalog does not: the state a crash used to wedge.
func (e *attestEnv) wedgeable(ctx context.Context, t *testing.T, dataset string) int {
	t.Helper()
	cat, err := store.Open(ctx, e.data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	vs, err := cat.Versions(ctx, dataset)
	if err != nil {
		return 0 // no version sealed yet
	}
	n := 0
	for _, v := range vs {
		if v.Status != attest.StatusAttested && e.chainAttested(ctx, t, dataset, int(v.Version)) {
			n++
		}
	}
	return n
}
