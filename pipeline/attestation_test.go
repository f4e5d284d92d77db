package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestAttestationStage attests sealed versions 2-of-3 with EAS off-chain
// attestations (no chain needed): the pipeline's key and a co-signing key
// attest a clean version at once; a version with an error finding is held
// for review (no automatic signature) until two stewards drop signature
// files in the inbox, which a later run collects.
func TestAttestationStage(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{MemoryLimit: "128MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := offchain.New(ctx, offchain.Config{ChainID: 31337, Address: common.HexToAddress("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"), Version: "1.3.0", Root: st.Root()})
	if err != nil {
		t.Fatal(err)
	}
	keys := []*attest.KeySigner{attesttest.StewardKey(0), attesttest.StewardKey(1), attesttest.StewardKey(2)}
	col := &attest.Collector{Backend: b, Policy: attest.Policy{Stewards: []common.Address{keys[0].Address(), keys[1].Address(), keys[2].Address()},
		Threshold: 2, AutoSign: keys[0]}}
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	spiky := hourly(start.Add(100*time.Hour), 50, 300)
	spiky[20].V *= 1.6
	src := &batchSource{batches: [][]validatorstest.Point{hourly(start, 100, 300), spiky}}
	inbox := filepath.Join(t.TempDir(), "inbox")
	spec := &Spec{Job: testJob(t, src, nil), Attest: &AttestPolicy{Collector: func(context.Context) (*attest.Collector, error) { return col, nil },
		AutoSign: true, Cosigners: []attest.Signer{keys[1]}, Review: []validators.Severity{validators.Error}, Inbox: inbox}}
	r := &Runner{Store: st, Now: func() time.Time { return start.Add(200 * time.Hour) }}

	res := r.Run(ctx, spec, TriggerManual, 1)
	if res.Err != nil || res.Record.Attestation != "attested" || len(res.Attested) != 1 || res.Attested[0].Signers != 2 {
		t.Fatalf("clean version: %+v %+v %v", res.Record, res.Attested, res.Err)
	}
	res = r.Run(ctx, spec, TriggerManual, 1)
	if res.Err != nil || res.Record.Attestation != "review" || res.Record.Findings["error"] == 0 || res.Attested[0].Signers != 0 {
		t.Fatalf("version with an error finding: %+v %+v %v", res.Record, res.Attested, res.Err)
	}
	if s, _ := st.VersionStatus(ctx, "prices", 2); s != attest.StatusPending {
		t.Fatalf("status of version 2: %s", s)
	}
	rec, err := st.Version(ctx, "prices", 2)
	if err != nil {
		t.Fatal(err)
	}
	stmt := attest.StatementOf(rec.Manifest, rec.ManifestHash)
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, k := range keys[1:] {
		sf, err := b.Sign(ctx, k, stmt, attest.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := sf.Marshal()
		if err := os.WriteFile(filepath.Join(inbox, "steward"+string(rune('1'+i))+".json"), doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res = r.Run(ctx, spec, TriggerManual, 1)
	if res.Err != nil || res.Record.Outcome != store.RunNoRows || res.Record.Attestation != "attested" || res.Attested[0].Version != 2 {
		t.Fatalf("inbox collection: %+v %+v %v", res.Record, res.Attested, res.Err)
	}
	if s, _ := st.VersionStatus(ctx, "prices", 2); s != attest.StatusAttested {
		t.Fatalf("status of version 2: %s", s)
	}
	if left, _ := filepath.Glob(filepath.Join(inbox, "*.json")); len(left) != 0 {
		t.Fatalf("inbox files left: %v", left)
	}
}
