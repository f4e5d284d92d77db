package chainlink_test

import (
	"context"
	"encoding/binary"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// The mock aggregator is hand-assembled EVM code installed with
// anvil_setCode; its state is set with anvil_setStorageAt:
//
//	slot 0: the latest round id, slot 1: decimals;
//	round r: slot r<<8 answer, +1 startedAt, +2 updatedAt, +3 answeredInRound.
//
// decimals() returns slot 1; latestRoundData() and getRoundData(uint80)
// return the five words of a round, or revert when its updatedAt is 0.

// asm is a tiny assembler: opcodes, pushes and labels.
type asm struct {
	code   []byte
	labels map[string]int
	fixups map[int]string
}

const (
	opADD, opEQ, opISZERO, opSHL, opSHR           = 0x01, 0x14, 0x15, 0x1b, 0x1c
	opCALLDATALOAD, opMSTORE, opSLOAD, opJUMP     = 0x35, 0x52, 0x54, 0x56
	opJUMPI, opJUMPDEST, opDUP1, opDUP2, opRETURN = 0x57, 0x5b, 0x80, 0x81, 0xf3
	opREVERT                                      = 0xfd
)

func (a *asm) op(ops ...byte) *asm { a.code = append(a.code, ops...); return a }

func (a *asm) push(v uint64, n int) *asm {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	a.code = append(a.code, byte(0x5f+n))
	a.code = append(a.code, b[8-n:]...)
	return a
}

func (a *asm) label(name string) *asm {
	a.labels[name] = len(a.code)
	return a.op(opJUMPDEST)
}

func (a *asm) pushLabel(name string) *asm {
	a.fixups[len(a.code)+1] = name
	return a.push(0, 2)
}

func (a *asm) bytes() []byte {
	for at, name := range a.fixups {
		binary.BigEndian.PutUint16(a.code[at:], uint16(a.labels[name]))
	}
	return a.code
}

// aggregatorCode returns the mock aggregator's runtime code.
func aggregatorCode() []byte {
	a := &asm{labels: map[string]int{}, fixups: map[int]string{}}
	a.push(0, 1).op(opCALLDATALOAD).push(0xe0, 1).op(opSHR)
	for _, c := range []struct {
		sel   uint64
		label string
	}{{0x313ce567, "decimals"}, {0xfeaf968c, "latest"}, {0x9a6fc8f5, "get"}} {
		a.op(opDUP1).push(c.sel, 4).op(opEQ).pushLabel(c.label).op(opJUMPI)
	}
	a.push(0, 1).op(opDUP1, opREVERT)
	a.label("decimals").push(1, 1).op(opSLOAD).push(0, 1).op(opMSTORE).push(32, 1).push(0, 1).op(opRETURN)
	a.label("latest").push(0, 1).op(opSLOAD).pushLabel("round").op(opJUMP)
	a.label("get").push(4, 1).op(opCALLDATALOAD).pushLabel("round").op(opJUMP)
	a.label("round").op(opDUP1).push(8, 1).op(opSHL) // [sel id base]
	a.op(opDUP1).push(2, 1).op(opADD, opSLOAD, opISZERO).pushLabel("missing").op(opJUMPI)
	a.op(opDUP2).push(0, 1).op(opMSTORE)
	a.op(opDUP1, opSLOAD).push(0x20, 1).op(opMSTORE)
	for i := uint64(1); i <= 3; i++ {
		a.op(opDUP1).push(i, 1).op(opADD, opSLOAD).push(0x20*(i+1), 1).op(opMSTORE)
	}
	a.push(0xa0, 1).push(0, 1).op(opRETURN)
	a.label("missing").push(0, 1).op(opDUP1, opREVERT)
	return a.bytes()
}

// mockFeed is a mock aggregator on anvil.
type mockFeed struct {
	t    testing.TB
	a    *testchain.Anvil
	addr common.Address
}

func newMockFeed(t testing.TB, a *testchain.Anvil, n uint64, decimals int64) *mockFeed {
	t.Helper()
	f := &mockFeed{t: t, a: a, addr: common.BigToAddress(new(big.Int).SetUint64(0xfeed0000 + n))}
	if err := a.RPC().CallContext(context.Background(), nil, "anvil_setCode", f.addr, hexutil.Bytes(aggregatorCode())); err != nil {
		t.Fatal(err)
	}
	f.set(big.NewInt(1), big.NewInt(decimals))
	return f
}

// set writes one storage slot.
func (f *mockFeed) set(slot, v *big.Int) {
	f.t.Helper()
	val := common.BigToHash(v)
	if v.Sign() < 0 {
		val = common.BigToHash(new(big.Int).Add(v, new(big.Int).Lsh(big.NewInt(1), 256)))
	}
	if err := f.a.RPC().CallContext(context.Background(), nil, "anvil_setStorageAt", f.addr, common.BigToHash(slot), val); err != nil {
		f.t.Fatal(err)
	}
}

// round stores a round and makes it the latest; mine a block to publish it.
func (f *mockFeed) round(id *big.Int, answer int64, startedAt, updatedAt uint64) {
	f.t.Helper()
	base := new(big.Int).Lsh(id, 8)
	slot := func(i int64) *big.Int { return new(big.Int).Add(base, big.NewInt(i)) }
	f.set(slot(0), big.NewInt(answer))
	f.set(slot(1), new(big.Int).SetUint64(startedAt))
	f.set(slot(2), new(big.Int).SetUint64(updatedAt))
	f.set(slot(3), id)
	f.set(big.NewInt(0), id)
}

// roundID makes a proxy round id.
func roundID(phase uint16, round uint64) *big.Int {
	return new(big.Int).Add(new(big.Int).Lsh(big.NewInt(int64(phase)), 64), new(big.Int).SetUint64(round))
}
