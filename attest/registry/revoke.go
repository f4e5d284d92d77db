package registry

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
)

// checkRevocation runs before a revoke transaction is sent. A version the
// registry records as revoked already is adopted (its Revoked event's
// transaction is returned, so a retry after a crash records it); a version
// it does not record is ErrInvalid; fewer than k distinct stewards among
// the approvals is ErrPending, and nothing is sent.
func (b *Backend) checkRevocation(ctx context.Context, st attest.Statement, approvers map[common.Address]bool) (*attest.Receipt, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	rec, err := b.record(ctx, st, false)
	if err != nil {
		return nil, err
	}
	if rec.AttestedBlock == 0 {
		return nil, fmt.Errorf("%w: the registry %s has no attestation of %s to revoke", attest.ErrInvalid, b.cfg.Address.Hex(), st.Ref())
	}
	if rec.Revoked {
		tx, block, err := b.revokedTx(ctx, st, rec.AttestedBlock)
		if err != nil {
			return nil, err
		}
		b.log.Info("the version is revoked on the registry already; adopting the revocation", "version", st.Ref(), "tx", tx.Hex())
		return &attest.Receipt{Backend: attest.KindRegistry, TxHash: tx, Block: block}, nil
	}
	trust, _, err := b.TrustFromChain(ctx)
	if err != nil {
		return nil, err
	}
	n := 0
	for a := range approvers {
		if trust.IsSteward(a) {
			n++
		}
	}
	if n < trust.Threshold {
		return nil, fmt.Errorf("%w: revoking %s needs k = %d steward approvals of the revocation, %d given; nothing was sent (add --key keystores or --signatures made with groundtruth sign --revoke)",
			attest.ErrPending, st.Ref(), trust.Threshold, n)
	}
	return nil, nil
}

// revokedTx finds the transaction of a version's Revoked event after block from.
func (b *Backend) revokedTx(ctx context.Context, st attest.Statement, from uint64) (common.Hash, uint64, error) {
	ev := b.abi.GetABI().Events["Revoked"]
	var ver common.Hash
	new(big.Int).SetUint64(st.Version).FillBytes(ver[:])
	logs, err := b.cfg.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), Addresses: []common.Address{b.cfg.Address},
		Topics: [][]common.Hash{{ev.ID}, {crypto.Keccak256Hash([]byte(st.Dataset))}, {ver}}})
	if err != nil {
		return common.Hash{}, 0, fmt.Errorf("%w: reading the Revoked event of %s: %v", attest.ErrChain, st.Ref(), err)
	}
	if len(logs) == 0 {
		return common.Hash{}, 0, fmt.Errorf("%w: the registry records %s as revoked but has no Revoked event for it", attest.ErrChain, st.Ref())
	}
	l := logs[len(logs)-1]
	return l.TxHash, l.BlockNumber, nil
}
