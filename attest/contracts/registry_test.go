package contracts_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	dr "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestAttestKofN(t *testing.T) {
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 3, 2)
	outsider := c.Accounts()[9].Key
	root := common.HexToHash("0x01")
	cases := []struct {
		name        string
		setup       func(t *testing.T, st dr.DatasetRegistryStatement) // runs before the attest
		sigs        func(t *testing.T, st dr.DatasetRegistryStatement) sigList
		zeroVersion bool
		wantErr     common.Hash // zero: success
	}{
		{name: "k signatures", sigs: r.signedBy(0, 1)},
		{name: "k signatures in the other order", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			s := r.signedBy(2, 0)(t, st)
			s[0], s[1] = s[1], s[0]
			return s
		}, wantErr: dr.DatasetRegistrySignersNotSortedErrorID()},
		{name: "all n signatures", sigs: r.signedBy(0, 1, 2)},
		{name: "k-1 signatures", sigs: r.signedBy(1), wantErr: dr.DatasetRegistryInsufficientSignaturesErrorID()},
		{name: "no signatures", sigs: r.signedBy(), wantErr: dr.DatasetRegistryInsufficientSignaturesErrorID()},
		{name: "duplicated signer", sigs: r.signedBy(0, 0), wantErr: dr.DatasetRegistryDuplicateSignerErrorID()},
		{name: "non-steward", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			return sign(t, r.dom.statementDigest(t, st), r.stewards[0].Key, outsider)
		}, wantErr: dr.DatasetRegistryNotStewardErrorID()},
		{name: "other chain id", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			other := domain{chainID: big.NewInt(1), registry: r.addr}
			return sign(t, other.statementDigest(t, st), r.keys(0, 1)...)
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "other registry address", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			other := domain{chainID: r.dom.chainID, registry: common.HexToAddress("0x1234")}
			return sign(t, other.statementDigest(t, st), r.keys(0, 1)...)
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "signature over another statement", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			st.RowCount++
			return sign(t, r.dom.statementDigest(t, st), r.keys(0, 1)...)
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "short signature", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			sigs := r.signedBy(0, 1)(t, st)
			sigs[1].Signature = sigs[1].Signature[:64]
			return sigs
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "malleable high-s signature", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			sigs := r.signedBy(0, 1)(t, st)
			sigs[1].Signature = highS(sigs[1].Signature)
			return sigs
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "signature naming another steward", sigs: func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
			sigs := r.signedBy(0, 1)(t, st)
			sigs[0].Signature, sigs[1].Signature = sigs[1].Signature, sigs[0].Signature
			return sigs
		}, wantErr: dr.DatasetRegistryInvalidSignatureErrorID()},
		{name: "version 0", zeroVersion: true, sigs: r.signedBy(0, 1), wantErr: dr.DatasetRegistryInvalidVersionErrorID()},
		{name: "already attested with another root", setup: func(t *testing.T, st dr.DatasetRegistryStatement) {
			st.MerkleRoot = common.HexToHash("0xdead")
			r.attestBy(t, st, 0, 1)
		}, sigs: r.signedBy(1, 2), wantErr: dr.DatasetRegistryAlreadyAttestedErrorID()},
		{name: "already attested with the same root", setup: func(t *testing.T, st dr.DatasetRegistryStatement) {
			r.attestBy(t, st, 0, 1)
		}, sigs: r.signedBy(0, 1), wantErr: dr.DatasetRegistryAlreadyAttestedErrorID()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			version := uint64(1)
			if tc.zeroVersion {
				version = 0
			}
			st := statement("kofn/"+tc.name, version, root, 10)
			if tc.setup != nil {
				tc.setup(t, st)
			}
			rcpt, err := r.attest(st, tc.sigs(t, st))
			if tc.wantErr != (common.Hash{}) {
				if got := revertID(t, err); got != selector(tc.wantErr) {
					t.Fatalf("reverted with %x, want %x (%v)", got, tc.wantErr[:4], err)
				}
				return
			}
			if err != nil {
				t.Fatalf("attest: %v", err)
			}
			r.checkAttested(t, st, rcpt.Logs[0])
		})
	}
}

// signedBy returns a signature source that signs with the stewards at idx.
func (r *registry) signedBy(idx ...int) func(*testing.T, dr.DatasetRegistryStatement) sigList {
	return func(t *testing.T, st dr.DatasetRegistryStatement) sigList {
		return sign(t, r.dom.statementDigest(t, st), r.keys(idx...)...)
	}
}

// highS turns a signature into its malleable twin (s' = n - s, v flipped), which
// ecrecover accepts but OpenZeppelin's ECDSA rejects.
func highS(sig []byte) []byte {
	out := bytes.Clone(sig)
	s := new(big.Int).SetBytes(sig[32:64])
	new(big.Int).Sub(crypto.S256().Params().N, s).FillBytes(out[32:64])
	out[64] = 55 - sig[64] // 27 <-> 28
	return out
}

// checkAttested checks the views and the Attested event after a successful attest.
func (r *registry) checkAttested(t *testing.T, st dr.DatasetRegistryStatement, log *types.Log) {
	t.Helper()
	if !r.isAttested(t, st.Dataset, st.Version) {
		t.Fatal("isAttested = false after attest")
	}
	rec, err := bind.Call(r.inst, nil, r.b.PackStatementOf(st.Dataset, st.Version), r.b.UnpackStatementOf)
	if err != nil {
		t.Fatal(err)
	}
	wantHash := common.BytesToHash(statementStructHash(t, st))
	if rec.MerkleRoot != st.MerkleRoot || rec.RowCount != st.RowCount || rec.Revoked ||
		rec.AttestedBlock == 0 || rec.StatementHash != wantHash {
		t.Fatalf("statementOf = %+v, want root %x rows %d hash %x", rec, st.MerkleRoot, st.RowCount, wantHash)
	}
	ok, err := bind.Call(r.inst, nil, r.b.PackIsStatementAttested(st), r.b.UnpackIsStatementAttested)
	if err != nil || !ok {
		t.Fatalf("isStatementAttested = %v, %v", ok, err)
	}
	ev, err := r.b.UnpackAttestedEvent(log)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Dataset != st.Dataset || ev.Version != st.Version || ev.MerkleRoot != st.MerkleRoot ||
		ev.RowCount != st.RowCount || ev.ManifestHash != st.ManifestHash || ev.ReportHash != st.ReportHash ||
		ev.ParentRoot != st.ParentRoot || ev.DatasetKey != crypto.Keccak256Hash([]byte(st.Dataset)) {
		t.Fatalf("Attested event = %+v, want %+v", ev, st)
	}
}
