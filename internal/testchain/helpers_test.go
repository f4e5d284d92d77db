package testchain

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
)

// head returns the chain's head header.
func head(t testing.TB, c Chain) *types.Header {
	t.Helper()
	h, err := c.Client().HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// deployEmitter deploys an EventEmitter or fails the test.
func deployEmitter(t testing.TB, c Chain) common.Address {
	t.Helper()
	addr, err := DeployEmitter(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// emit calls emitMany(n) from the first account and returns the receipt.
func emit(t testing.TB, c Chain, emitter common.Address, n int64) *types.Receipt {
	t.Helper()
	b := eventemitter.NewEventEmitter()
	rcpt, err := Transact(context.Background(), c, c.Accounts()[0], emitter, b.PackEmitMany(big.NewInt(n)))
	if err != nil {
		t.Fatal(err)
	}
	return rcpt
}

// nextSeq reads the emitter's next sequence number.
func nextSeq(t testing.TB, c Chain, emitter common.Address) int64 {
	t.Helper()
	b := eventemitter.NewEventEmitter()
	seq, err := bind.Call(b.Instance(c.Client(), emitter), nil, b.PackNextSeq(), b.UnpackNextSeq)
	if err != nil {
		t.Fatal(err)
	}
	return seq.Int64()
}

// registryAttestNoSigs encodes an attest call without signatures.
func registryAttestNoSigs() []byte {
	st := datasetregistry.DatasetRegistryStatement{Dataset: "d", Version: 1}
	return datasetregistry.NewDatasetRegistry().PackAttest(st, nil)
}
