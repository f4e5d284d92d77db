package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// demoConsole is the console of a serving demo, called with its token.
type demoConsole struct {
	base, token string
}

// call sends a JSON request to the console's API and decodes the answer
// into out; it returns the status code.
func (c demoConsole) call(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	var rd bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&rd).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, c.base+"/console/api/"+path, &rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %d, %v", method, path, res.StatusCode, err)
		}
	}
	return res.StatusCode
}

// signDigest signs a digest as a wallet does (v = 27 or 28).
func signDigest(t *testing.T, key *ecdsa.PrivateKey, digest common.Hash) string {
	t.Helper()
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return hexutil.Encode(sig)
}

// decide asks the console for a decision's typed data, signs its digest
// with key and records it; it returns the answer's status code and body.
func (c demoConsole) decide(t *testing.T, key *ecdsa.PrivateKey, entry, decision string) (int, map[string]any) {
	t.Helper()
	steward := crypto.PubkeyToAddress(key.PublicKey).Hex()
	req := map[string]any{"decision": decision, "reason": "checked by the demo's test", "steward": steward}
	var td struct {
		Digest    common.Hash `json:"digest"`
		DecidedAt uint64      `json:"decidedAt"`
	}
	if code := c.call(t, http.MethodPost, "quarantine/"+entry+"/typed-data", req, &td); code != http.StatusOK {
		return code, nil
	}
	req["decidedAt"], req["signature"] = td.DecidedAt, signDigest(t, key, td.Digest)
	var out map[string]any
	code := c.call(t, http.MethodPost, "quarantine/"+entry+"/decision", req, &out)
	return code, out
}

// TestDemoConsoleDecides runs the demo and takes decisions in the console
// it prints, as a steward's browser does (typed data from the console,
// signed with the steward's key): an approval and a rejection are recorded
// with verifying signatures, a non-steward's is refused; after a run
// without the co-signing key leaves the poisoned feed's next version
// pending with the approved row, a co-signature through the console gets
// it attested on the demo's chain.
func TestDemoConsoleDecides(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	out, stop := startDemo(t, dir)
	m := regexp.MustCompile(`(http://127\.0\.0\.1:\d+)/console/#token=(\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the demo did not print its console's URL with a token:\n%s", out)
	}
	c := demoConsole{base: m[1], token: m[2]}
	steward := demoKey(t, dir, "steward-2")
	var q struct{ Entries []store.QuarantineEntry }
	if code := c.call(t, http.MethodGet, "quarantine?dataset=comp_usd_aggregator", nil, &q); code != http.StatusOK || len(q.Entries) < 3 {
		t.Fatalf("queue of comp_usd_aggregator: %d, %d entries", code, len(q.Entries))
	}
	stranger, _ := crypto.GenerateKey()
	if code, _ := c.decide(t, stranger, q.Entries[2].ID, store.QuarantineApproved); code != http.StatusForbidden {
		t.Errorf("a non-steward's decision: %d, want 403", code)
	}
	for i, d := range []string{store.QuarantineApproved, store.QuarantineRejected} {
		if code, body := c.decide(t, steward, q.Entries[i].ID, d); code != http.StatusOK || body["status"] != d {
			t.Fatalf("%s %s in the demo's console: %d %v", d, q.Entries[i].ID, code, body)
		}
	}
	// The next version, without the co-signing key: pending 1 of 2.
	cfg := filepath.Join(dir, "no-cosign.yaml")
	b, err := os.ReadFile(filepath.Join(dir, "groundtruth.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, cfg, regexp.MustCompile(`(?m)^  cosign:\n    - \{keystore: keys/steward-1.json.*\n`).ReplaceAllString(string(b), ""))
	if rout, rerr, code := runCLI(t, nil, "run", "--config", cfg, "--once"); code != 0 {
		t.Fatalf("run --once while the demo serves: exit %d\n%s\n%s", code, rout, rerr)
	}
	var td struct {
		Digest common.Hash `json:"digest"`
	}
	if code := c.call(t, http.MethodGet, "versions/comp_usd_aggregator/2/typed-data", nil, &td); code != http.StatusOK {
		t.Fatalf("typed data of comp_usd_aggregator@2: %d", code)
	}
	var cs map[string]any
	if code := c.call(t, http.MethodPost, "versions/comp_usd_aggregator/2/signature", map[string]string{"signature": signDigest(t, steward, td.Digest)}, &cs); code != http.StatusOK || cs["status"] != attest.StatusAttested {
		t.Fatalf("co-signing comp_usd_aggregator@2 in the demo's console: %d %v", code, cs)
	}
	if code := stop(); code != 0 {
		t.Fatalf("the demo stopped with %d", code)
	}
	checkDemoDecisions(t, dir, q.Entries[0].ID, q.Entries[1].ID)
}

// checkDemoDecisions checks the store after TestDemoConsoleDecides: both
// decisions verify, version 2 holds the approval in its lineage and is
// attested.
func checkDemoDecisions(t *testing.T, dir, approved, rejected string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for id, want := range map[string]string{approved: store.QuarantineApproved, rejected: store.QuarantineRejected} {
		e, err := st.QuarantineGet(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != want || pipeline.VerifyEntry(e) != nil {
			t.Errorf("entry %s is %s (%v), want %s with a verifying signature", id, e.Status, pipeline.VerifyEntry(e), want)
		}
	}
	var n int
	if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM gt.lineage WHERE dataset = 'comp_usd_aggregator' AND version = 2 AND kind = 'quarantine_decision' AND detail LIKE ?`,
		"%"+approved+"%").Scan(&n); err != nil || n != 1 {
		t.Errorf("lineage of comp_usd_aggregator@2 holds the approval %d times (%v)", n, err)
	}
	if s, err := st.VersionStatus(ctx, "comp_usd_aggregator", 2); err != nil || s != attest.StatusAttested {
		t.Errorf("comp_usd_aggregator@2 is %q (%v) after the console's co-signature", s, err)
	}
}

// demoKey decrypts one of the demo's steward keystores.
func demoKey(t *testing.T, dir, name string) *ecdsa.PrivateKey {
	t.Helper()
	pw, err := os.ReadFile(filepath.Join(dir, "keys", "password"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(dir, "keys", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := keystore.DecryptKey(js, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	return k.PrivateKey
}

// startDemo runs `groundtruth demo --data-dir DIR` until it serves and
// returns its output then, and what stops it (its exit code).
func startDemo(t *testing.T, dir string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		cmd := newRootCmd(out, errOut, func(string) string { return "" })
		cmd.SetArgs([]string{"--data-dir", dir, "demo"})
		err := cmd.ExecuteContext(ctx)
		if err != nil {
			fmt.Fprintln(errOut, "groundtruth:", err)
		}
		done <- exitCode(err)
	}()
	stop := func() int {
		cancel()
		select {
		case code := <-done:
			done <- code
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("the demo did not stop")
			return -1
		}
	}
	t.Cleanup(func() { stop() })
	deadline := time.After(90 * time.Second)
	for !strings.Contains(out.String(), "In another terminal") || !strings.Contains(out.String(), "#token=") {
		select {
		case code := <-done:
			t.Fatalf("demo exited with %d before serving:\n%s\n%s", code, out, errOut)
		case <-deadline:
			t.Fatalf("demo did not start serving:\n%s\n%s", out, errOut)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return out.String(), stop
}
