package registry

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
)

var _ attest.Finder = (*Backend)(nil)

// pollInterval is how often FindAnchor looks for a pending attestation to be mined.
const pollInterval = 200 * time.Millisecond

// FindAnchor implements attest.Finder: one statementOf call on the latest
// block (and one on the pending block when there is no record), and one log
// query for the Attested event's transaction. The registry checked k
// signatures when it stored the record, so the record alone proves the
// attestation. Like a transaction sent now, a record found counts only
// once its block is the configured confirmations deep and the record is
// still there: a record reorged out meanwhile is looked up again, and when
// it is gone FindAnchor returns nil (the caller sends the attestation).
func (b *Backend) FindAnchor(ctx context.Context, st attest.Statement, sigs []*attest.SignatureFile) (*attest.Receipt, error) {
	for {
		rc, err := b.findAnchor(ctx, st)
		if err != nil || rc == nil {
			return rc, err
		}
		ok, err := b.cfg.Tx.AwaitAnchorDepth(ctx, b.cfg.Client, b.log, b.cfg.ChainID, rc.Block, func(ctx context.Context) (bool, error) {
			rec, err := b.record(ctx, st, false)
			return rec.AttestedBlock == rc.Block, err
		})
		if err != nil {
			return nil, err
		}
		if ok {
			return rc, nil
		}
		b.log.Warn("the block of the attestation found on the chain was reorged out; looking again", "version", st.Ref(), "block", rc.Block)
	}
}

// findAnchor returns the registry's record of st, waiting for one in the
// pending block to be mined, or nil when there is none.
func (b *Backend) findAnchor(ctx context.Context, st attest.Statement) (*attest.Receipt, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	rec, err := b.record(ctx, st, false)
	if err != nil {
		return nil, err
	}
	if rec.AttestedBlock == 0 {
		if pend, err := b.record(ctx, st, true); err != nil || pend.AttestedBlock == 0 {
			return nil, err
		}
		b.log.Info("an attestation of the version is pending; waiting for it to be mined", "version", st.Ref())
		err := attest.WaitPending(ctx, pollInterval, func(ctx context.Context) (bool, error) {
			rec, err = b.record(ctx, st, false)
			return rec.AttestedBlock != 0, err
		})
		if err != nil {
			return nil, err
		}
	}
	tx, err := b.attestedTx(ctx, st, rec.AttestedBlock)
	if err != nil {
		return nil, err
	}
	return &attest.Receipt{Backend: attest.KindRegistry, TxHash: tx, Block: rec.AttestedBlock, Revoked: rec.Revoked}, nil
}

// record reads statementOf(dataset, version) and checks that a stored
// record is of st.
func (b *Backend) record(ctx context.Context, st attest.Statement, pending bool) (datasetregistry.DatasetRegistryRecord, error) {
	rec, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx, Pending: pending}, b.abi.PackStatementOf(st.Dataset, st.Version), b.abi.UnpackStatementOf)
	if err != nil {
		return rec, fmt.Errorf("%w: reading the registry record of %s: %v", attest.ErrChain, st.Ref(), err)
	}
	if rec.AttestedBlock != 0 && rec.StatementHash != st.StructHash() {
		return rec, fmt.Errorf("%w: registry %s records %s with statement hash %s (root %s), the catalog's statement hashes to %s",
			attest.ErrAnchorConflict, b.cfg.Address.Hex(), st.Ref(), common.Hash(rec.StatementHash).Hex(), common.Hash(rec.MerkleRoot).Hex(), st.StructHash().Hex())
	}
	return rec, nil
}

// attestedTx finds the transaction of a version's Attested event in block.
func (b *Backend) attestedTx(ctx context.Context, st attest.Statement, block uint64) (common.Hash, error) {
	ev := b.abi.GetABI().Events["Attested"]
	var ver common.Hash
	new(big.Int).SetUint64(st.Version).FillBytes(ver[:])
	n := new(big.Int).SetUint64(block)
	logs, err := b.cfg.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: n, ToBlock: n, Addresses: []common.Address{b.cfg.Address},
		Topics: [][]common.Hash{{ev.ID}, {crypto.Keccak256Hash([]byte(st.Dataset))}, {ver}}})
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: reading the Attested event of %s in block %d: %v", attest.ErrChain, st.Ref(), block, err)
	}
	if len(logs) == 0 {
		return common.Hash{}, fmt.Errorf("%w: the registry records %s in block %d but the block has no Attested event for it", attest.ErrChain, st.Ref(), block)
	}
	return logs[0].TxHash, nil
}

// Recorded implements attest.RecordChecker: one statementOf call on the
// latest block. A record of another statement is attest.ErrAnchorConflict.
func (b *Backend) Recorded(ctx context.Context, st attest.Statement) (bool, error) {
	if err := b.needClient(); err != nil {
		return false, err
	}
	rec, err := b.record(ctx, st, false)
	return rec.AttestedBlock != 0, err
}

var _ attest.RecordChecker = (*Backend)(nil)
