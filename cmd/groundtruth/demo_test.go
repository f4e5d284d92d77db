package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/demo"
)

// TestDemo runs `groundtruth demo --no-serve` as a new user would and checks
// its summary (text and JSON): every scripted attack flagged, the poisoned
// feed's rows quarantined and the other feeds' kept, every version attested
// 2-of-3 by the pipeline's key and the co-signing steward on the registry,
// and every version verifying against the chain.
func TestDemo(t *testing.T) {
	tests := []struct {
		name string
		json bool
	}{
		{name: "text"},
		{name: "json", json: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "demo")
			args := []string{"--data-dir", dir, "demo", "--no-serve"}
			if tt.json {
				args = append([]string{"--json"}, args...)
			}
			start := time.Now()
			out, errOut, code := runCLI(t, nil, args...)
			if code != 0 {
				t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
			}
			t.Logf("demo took %s", time.Since(start).Round(time.Millisecond))
			var sum demo.Summary
			if tt.json {
				if err := json.Unmarshal([]byte(out), &sum); err != nil {
					t.Fatalf("--json output: %v\n%s", err, out)
				}
			} else {
				checkDemoText(t, out)
				sum = readDemoSummary(t, dir)
			}
			checkDemoSummary(t, &sum)
			if _, err := os.Stat(filepath.Join(dir, "catalog.sqlite")); err != nil {
				t.Errorf("--data-dir was not kept: %v", err)
			}
		})
	}
}

// checkDemoText checks the printed summary's main lines.
func checkDemoText(t *testing.T, out string) {
	t.Helper()
	for _, want := range []string{"Scripted attacks", "flagged  just-in-time voting power", "flagged  delegation spike",
		"flagged  sybil cluster", "flagged  instructions aimed at AI agents", "flagged  poisoned price feed",
		"comp_usd_aggregator", "signed by pipeline + steward-1", "7 of 7 versions verify", "Findings by family"} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "MISSED") {
		t.Errorf("an attack was missed:\n%s", out)
	}
}

// readDemoSummary reads DIR/summary.json.
func readDemoSummary(t *testing.T, dir string) demo.Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum demo.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

// checkDemoSummary checks what the demo promises.
func checkDemoSummary(t *testing.T, sum *demo.Summary) {
	t.Helper()
	if len(sum.Attacks) != 7 {
		t.Errorf("%d scripted attacks, want 7", len(sum.Attacks))
	}
	for _, a := range sum.Attacks {
		if !a.OK || a.Flagged != len(a.Keys) {
			t.Errorf("attack not flagged: %s: %d of %d rows", a.Name, a.Flagged, len(a.Keys))
		}
	}
	poisoned := map[string]bool{}
	for _, f := range sum.Feeds {
		poisoned[f.Dataset] = f.Poisoned
	}
	if len(sum.Datasets) != 7 {
		t.Fatalf("%d datasets, want 7 (4 governance, 3 prices): %+v", len(sum.Datasets), sum.Datasets)
	}
	for _, d := range sum.Datasets {
		checkDemoDataset(t, d, poisoned)
	}
	if len(sum.Attestations) != len(sum.Datasets) {
		t.Errorf("%d attestation transactions for %d versions", len(sum.Attestations), len(sum.Datasets))
	}
	for _, a := range sum.Attestations {
		if !strings.HasPrefix(a.Tx, "0x") || a.Block == 0 || strings.Join(a.Signers, "+") != "pipeline+steward-1" {
			t.Errorf("attestation %+v: want a mined transaction signed by pipeline + steward-1", a)
		}
	}
	if len(sum.Verified) != len(sum.Datasets) {
		t.Errorf("%d verifications for %d versions", len(sum.Verified), len(sum.Datasets))
	}
	for _, v := range sum.Verified {
		if !v.OK {
			t.Errorf("verify %s failed:\n%s", v.Ref, v.Output)
		}
	}
	if sum.Threshold != 2 || len(sum.Stewards) != 3 {
		t.Errorf("steward set %d-of-%d, want 2-of-3", sum.Threshold, len(sum.Stewards))
	}
	if sum.Seconds > 60 {
		t.Errorf("the demo took %.1fs, more than a minute", sum.Seconds)
	}
}

// checkDemoDataset checks one dataset's version.
func checkDemoDataset(t *testing.T, d demo.DatasetSummary, poisoned map[string]bool) {
	t.Helper()
	if d.Status != "attested" || d.Signers != 2 {
		t.Errorf("%s@%d: %s with %d signers, want attested 2-of-3", d.Dataset, d.Version, d.Status, d.Signers)
	}
	bad, isFeed := poisoned[d.Dataset]
	switch {
	case bad && d.Quarantined < 45:
		t.Errorf("poisoned feed %s: %d rows quarantined, want its 3 spikes and its drift (%v)", d.Dataset, d.Quarantined, d.Reasons)
	case isFeed && !bad && d.Quarantined != 0:
		t.Errorf("honest feed %s: %d rows quarantined (%v)", d.Dataset, d.Quarantined, d.Reasons)
	case d.Rows+d.Quarantined != d.RowsIn:
		t.Errorf("%s: %d rows sealed + %d quarantined != %d in", d.Dataset, d.Rows, d.Quarantined, d.RowsIn)
	}
}

// TestDemoTempDir checks that the default data directory is a new
// temporary folder, removed at the end unless --keep.
func TestDemoTempDir(t *testing.T) {
	tests := []struct {
		name string
		keep bool
	}{{"removed", false}, {"kept", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			args := []string{"demo", "--no-serve"}
			if tt.keep {
				args = append(args, "--keep")
			}
			out, errOut, code := runCLI(t, nil, args...)
			if code != 0 {
				t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
			}
			m := regexp.MustCompile(`(?m)^data dir +(\S+)`).FindStringSubmatch(out)
			if m == nil || !strings.HasPrefix(m[1], os.Getenv("TMPDIR")) {
				t.Fatalf("no data dir under $TMPDIR in the output:\n%s", out)
			}
			_, err := os.Stat(filepath.Join(m[1], "summary.json"))
			if exists := err == nil; exists != tt.keep {
				t.Errorf("%s exists: %v, want %v", m[1], exists, tt.keep)
			}
		})
	}
}

// TestDemoRefusesUsedDir checks that --data-dir must be empty or absent.
func TestDemoRefusesUsedDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "something"), "x")
	_, errOut, code := runCLI(t, nil, "--data-dir", dir, "demo", "--no-serve")
	if code != exitUsage || !strings.Contains(errOut, "must be empty") {
		t.Fatalf("exit %d, want %d:\n%s", code, exitUsage, errOut)
	}
}

// TestDemoServesUntilStopped runs the demo without --no-serve: it prints the
// commands to try, serves rows with their proofs, keeps the chain answering
// for an auditor's verify, and stops cleanly when its context ends (Ctrl-C).
func TestDemoServesUntilStopped(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
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
	deadline := time.After(60 * time.Second)
	for !strings.Contains(out.String(), "In another terminal") {
		select {
		case code := <-done:
			t.Fatalf("demo exited with %d before serving:\n%s\n%s", code, out, errOut)
		case <-deadline:
			t.Fatalf("demo did not start serving:\n%s\n%s", out, errOut)
		case <-time.After(50 * time.Millisecond):
		}
	}
	m := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/v1 and the chain at (http://127\.0\.0\.1:\d+) until`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no API and RPC URLs in the output:\n%s", out)
	}
	api, rpc := m[1], m[2]
	// An agent's row with its proof, from the data API.
	var row struct {
		Dataset string
		Proof   struct {
			Leaf string
			Size int
		}
	}
	if err := json.Unmarshal([]byte(httpGet(t, api+"/v1/datasets/governor_votes/versions/1/rows/0")), &row); err != nil || row.Proof.Leaf == "" || row.Proof.Size == 0 {
		t.Errorf("row with proof: %+v (%v)", row, err)
	}
	// An auditor's verify against the running chain, from outside the demo.
	vout, verr, code := runCLI(t, nil, "--data-dir", dir, "verify", "governor_votes@1", "--rpc", rpc, "--registry", readDemoSummary(t, dir).Registry.Hex())
	if code != 0 {
		t.Errorf("verify while the demo serves: exit %d\n%s%s", code, vout, verr)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("demo stopped with %d:\n%s", code, errOut)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop")
	}
}
