package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestVerifyEntry checks a signed decision as the catalog holds it, and
// that changing any signed field of the entry breaks it.
func TestVerifyEntry(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_735_787_045, 0).UTC()
	row := func(v float64) []byte {
		rec := validatorstest.PriceRecord("comp", []validatorstest.Point{{T: at, V: v}})
		defer rec.Release()
		b, err := encodeRow(rec)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	e := store.QuarantineEntry{ID: "q0123456789abcdef", Dataset: "comp_usd", RowKey: "2021-05-03T22:00:00.000000Z",
		Status: store.QuarantineApproved, Note: "checked", DecidedAt: &at, RowIPC: row(51.47)}
	leaf, err := EntryLeaf(&e, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := attest.Decision{Dataset: e.Dataset, Entry: e.ID, RowKey: e.RowKey, Leaf: leaf, Decision: e.Status, Reason: e.Note, DecidedAt: uint64(at.Unix())}
	sig, err := attest.SignDecision(context.Background(), attest.NewKeySigner(key), &d)
	if err != nil {
		t.Fatal(err)
	}
	e.Steward, e.Signature = d.Steward.Hex(), hexutil.Encode(attest.EncodeDecisionRecord(d, sig))
	if err := VerifyEntry(&e); err != nil {
		t.Fatal(err)
	}
	later := at.Add(time.Second)
	tests := []struct {
		name   string
		change func(*store.QuarantineEntry)
	}{
		{"status", func(e *store.QuarantineEntry) { e.Status = store.QuarantineRejected }},
		{"row", func(e *store.QuarantineEntry) { e.RowKey = "2021-05-03T23:00:00.000000Z" }},
		{"note", func(e *store.QuarantineEntry) { e.Note = "" }},
		{"time", func(e *store.QuarantineEntry) { e.DecidedAt = &later }},
		{"steward", func(e *store.QuarantineEntry) { e.Steward = "alice" }},
		{"signature", func(e *store.QuarantineEntry) { e.Signature = "0x1234" }},
		{"row values", func(e *store.QuarantineEntry) { e.RowIPC = row(9999.99) }},
		{"format 1 (a bare signature)", func(e *store.QuarantineEntry) { e.Signature = hexutil.Encode(sig) }},
	}
	for _, tc := range tests {
		changed := e
		tc.change(&changed)
		if err := VerifyEntry(&changed); !errors.Is(err, attest.ErrSignature) {
			t.Errorf("%s changed: %v, want a signature error", tc.name, err)
		}
	}
	unsigned := e
	unsigned.Signature = ""
	if err := VerifyEntry(&unsigned); err != nil {
		t.Errorf("an unsigned decision: %v", err)
	}
}
