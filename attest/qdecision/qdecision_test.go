package qdecision_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/qdecision"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestForNeedsDeployment is the F13/F8 leftover: without an attestation
// section the decision's domain would be chain 0 and the zero contract,
// a signature valid in any deployment; For refuses it, naming what to give.
func TestForNeedsDeployment(t *testing.T) {
	rec := validatorstest.PriceRecord("prices", []validatorstest.Point{{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), V: 70}})
	defer rec.Release()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	e := &store.QuarantineEntry{ID: "q1", Dataset: "prices", RowKey: "k1", RowIPC: buf.Bytes()}
	contract := common.HexToAddress("0x1678F1042acd9cbA62e7DDD87918a0CD3306D377")
	tests := []struct {
		name string
		dep  attest.Deployment
		want error
	}{
		{"bound", attest.Deployment{ChainID: 1337, Contract: contract}, nil},
		{"no attestation section", attest.Deployment{}, qdecision.ErrNoDeployment},
		{"no chain id", attest.Deployment{Contract: contract}, qdecision.ErrNoDeployment},
		{"no contract", attest.Deployment{ChainID: 1337}, qdecision.ErrNoDeployment},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := qdecision.For(e, tc.dep, store.QuarantineApproved, "ok", common.HexToAddress("0x01"), 1)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("For: %v, want %v", err, tc.want)
			}
			if tc.want != nil && !errors.Is(err, attest.ErrInvalid) {
				t.Errorf("%v does not wrap attest.ErrInvalid (exit 8)", err)
			}
			if tc.want == nil && d.Deployment != tc.dep {
				t.Errorf("deployment %+v, want %+v", d.Deployment, tc.dep)
			}
		})
	}
}
