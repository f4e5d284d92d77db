package eas

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest"
)

var _ attest.Finder = (*Backend)(nil)

// Log search bounds of FindAnchor: it reads Attested events in windows of
// logWindow blocks backwards from the head, down to the first block older
// than the earliest signature (less logSlack), and at most maxWindows windows.
const (
	logWindow  = 2000
	maxWindows = 500
	logSlack   = time.Hour
	pollEvery  = 200 * time.Millisecond
)

// FindAnchor implements attest.Finder. A delegated request is usable once:
// EAS increments the attester's nonce when it accepts it. So when no
// signature's nonce has been consumed (one getNonce call per steward) there
// is no anchor; when every one has, their attestations of st are looked up
// in EAS's Attested events and adopted with their UIDs, once the newest of
// them is as deep as a transaction sent now must be (Tx.Confirmations) and
// the events are still there with the same UIDs: an attestation reorged out
// while waiting is looked up again (and, when gone, sent anew by the
// caller), as the registry backend does.
func (b *Backend) FindAnchor(ctx context.Context, st attest.Statement, sigs []*attest.SignatureFile) (*attest.Receipt, error) {
	for {
		rc, newest, err := b.findAnchor(ctx, st, sigs)
		if err != nil || rc == nil {
			return rc, err
		}
		ok, err := b.cfg.Tx.AwaitAnchorDepth(ctx, b.cfg.Client, b.log, b.cfg.ChainID, newest, func(ctx context.Context) (bool, error) {
			found, err := b.findAttestations(ctx, st, sigs)
			if err != nil {
				return false, err
			}
			for signer, uid := range rc.UIDs {
				if l, ok := found[signer]; !ok || common.Hash(l.uid) != uid {
					return false, nil
				}
			}
			return true, nil
		})
		if err != nil {
			return nil, err
		}
		if ok {
			return rc, nil
		}
		b.log.Warn("an EAS attestation found on the chain was reorged out; looking again", "version", st.Ref(), "block", newest)
	}
}

// findAnchor returns the attestations of st by every signature's steward
// as a receipt, with the newest of their blocks, or nil when there are
// none (or not all of them).
func (b *Backend) findAnchor(ctx context.Context, st attest.Statement, sigs []*attest.SignatureFile) (*attest.Receipt, uint64, error) {
	if err := b.needClient(); err != nil {
		return nil, 0, err
	}
	used, err := b.consumed(ctx, sigs, true)
	if err != nil || used == 0 {
		return nil, 0, err
	}
	err = attest.WaitPending(ctx, pollEvery, func(ctx context.Context) (bool, error) {
		n, err := b.consumed(ctx, sigs, false)
		return n == used, err
	})
	if err != nil {
		return nil, 0, err
	}
	found, err := b.findAttestations(ctx, st, sigs)
	if err != nil || len(found) < len(sigs) {
		return nil, 0, err
	}
	rc := &attest.Receipt{Backend: attest.KindEAS, UIDs: map[common.Address]common.Hash{}}
	newest := uint64(0)
	for _, f := range sigs {
		l := found[f.Signer]
		if rc.Block == 0 || l.BlockNumber < rc.Block {
			rc.TxHash, rc.Block = l.TxHash, l.BlockNumber
		}
		newest = max(newest, l.BlockNumber)
		uid := common.Hash(l.uid)
		rc.UIDs[f.Signer], f.Delegated.UID = uid, &uid
	}
	return rc, newest, nil
}

// consumed counts the signatures whose delegated nonce EAS has used up, on
// the pending block or the latest one.
func (b *Backend) consumed(ctx context.Context, sigs []*attest.SignatureFile, pending bool) (int, error) {
	n := 0
	for _, f := range sigs {
		if f.Delegated == nil {
			continue
		}
		cur, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx, Pending: pending}, b.abi.PackGetNonce(f.Signer), b.abi.UnpackGetNonce)
		if err != nil {
			return 0, fmt.Errorf("%w: reading the EAS nonce of %s: %v", attest.ErrChain, f.Signer.Hex(), err)
		}
		if cur.Cmp(f.Delegated.NonceInt()) > 0 {
			n++
		}
	}
	return n, nil
}

// foundLog is an Attested event with its UID.
type foundLog struct {
	types.Log
	uid [32]byte
}

// findAttestations searches EAS's Attested events of the groundtruth schema
// by the signatures' attesters for attestations of st (same data and
// refUID, not revoked), newest blocks first.
func (b *Backend) findAttestations(ctx context.Context, st attest.Statement, sigs []*attest.SignatureFile) (map[common.Address]foundLog, error) {
	want := map[common.Address]*attest.SignatureFile{}
	var topics []common.Hash
	oldest := time.Now()
	for _, f := range sigs {
		want[f.Signer] = f
		topics = append(topics, common.BytesToHash(f.Signer.Bytes()))
		if t, err := time.Parse(time.RFC3339, f.SignedAt); err == nil && t.Before(oldest) {
			oldest = t
		}
	}
	head, err := b.cfg.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the head block: %v", attest.ErrChain, err)
	}
	out := map[common.Address]foundLog{}
	ev := b.abi.GetABI().Events["Attested"]
	data := attest.EncodeSchemaData(st)
	to := head.Number.Uint64()
	for w := 0; w < maxWindows && len(out) < len(want); w++ {
		from := uint64(0)
		if to >= logWindow {
			from = to - logWindow + 1
		}
		logs, err := b.cfg.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
			Addresses: []common.Address{b.cfg.Address}, Topics: [][]common.Hash{{ev.ID}, nil, topics, {attest.EASSchemaUID()}}})
		if err != nil {
			return nil, fmt.Errorf("%w: reading EAS Attested events in blocks %d-%d: %v", attest.ErrChain, from, to, err)
		}
		for i := len(logs) - 1; i >= 0; i-- {
			if err := b.match(ctx, &logs[i], want, data, out); err != nil {
				return nil, err
			}
		}
		if from == 0 {
			break
		}
		h, err := b.cfg.Client.HeaderByNumber(ctx, new(big.Int).SetUint64(from))
		if err != nil {
			return nil, fmt.Errorf("%w: reading block %d: %v", attest.ErrChain, from, err)
		}
		if time.Unix(int64(h.Time), 0).Before(oldest.Add(-logSlack)) {
			break
		}
		to = from - 1
	}
	return out, nil
}

// match adds an Attested event to out when its attestation is of the
// statement for the attester's signature and not revoked.
func (b *Backend) match(ctx context.Context, l *types.Log, want map[common.Address]*attest.SignatureFile, data []byte, out map[common.Address]foundLog) error {
	e, err := b.abi.UnpackAttestedEvent(l)
	if err != nil {
		return nil
	}
	f, ok := want[e.Attester]
	if _, done := out[e.Attester]; !ok || done {
		return nil
	}
	a, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx}, b.abi.PackGetAttestation(e.Uid), b.abi.UnpackGetAttestation)
	if err != nil {
		return fmt.Errorf("%w: reading EAS attestation %s: %v", attest.ErrChain, common.Hash(e.Uid).Hex(), err)
	}
	if bytes.Equal(a.Data, data) && a.RefUID == f.Delegated.RefUID && a.RevocationTime == 0 {
		out[e.Attester] = foundLog{Log: *l, uid: e.Uid}
	}
	return nil
}
