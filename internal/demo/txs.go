package demo

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// txGas is the gas limit of every scripted transaction: enough for a
// proposal with a long description, and 60 of them fit in a block.
const txGas = 1_000_000

// sent is a transaction waiting for its block.
type sent struct {
	what string
	tx   *types.Transaction
}

// pooler is a chain whose transaction pool takes transactions in the
// background (the simulated chain): WaitPooled returns once a sent
// transaction is ready for the next block, so several transactions of one
// account land in one block.
type pooler interface {
	WaitPooled(ctx context.Context, tx *types.Transaction) error
}

// sender sends the scenario's transactions to the simulated chain, many per
// block: send queues signed transactions in the pool, mine mines them.
type sender struct {
	chain   testchain.Chain
	client  testchain.Client
	chainID *big.Int
	nonces  map[common.Address]uint64
	pending []sent
	feeCap  *big.Int
}

func newSender(c testchain.Chain) *sender {
	return &sender{chain: c, client: c.Client(), chainID: c.ChainID(), nonces: map[common.Address]uint64{}}
}

// send signs a call from an account to a contract (or a plain transfer
// when data is nil) and adds it to the pool; what names it in errors.
func (s *sender) send(ctx context.Context, from testchain.Account, to common.Address, data []byte, what string) error {
	nonce, ok := s.nonces[from.Address]
	if !ok {
		n, err := s.client.PendingNonceAt(ctx, from.Address)
		if err != nil {
			return fmt.Errorf("%s: nonce: %w", what, err)
		}
		nonce = n
	}
	if s.feeCap == nil {
		head, err := s.client.HeaderByNumber(ctx, nil)
		if err != nil {
			return fmt.Errorf("%s: head: %w", what, err)
		}
		s.feeCap = new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(4)), big.NewInt(2e9))
	}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: s.chainID, Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: s.feeCap,
		Gas: txGas, To: &to, Data: data})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(s.chainID), from.Key)
	if err != nil {
		return fmt.Errorf("%s: sign: %w", what, err)
	}
	if err := s.client.SendTransaction(ctx, signed); err != nil {
		return fmt.Errorf("%s: send: %w", what, err)
	}
	if p, ok := s.chain.(pooler); ok {
		if err := p.WaitPooled(ctx, signed); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	s.nonces[from.Address] = nonce + 1
	s.pending = append(s.pending, sent{what: what, tx: signed})
	return nil
}

// mine mines the pending transactions (one block, more if they do not fit)
// and returns their receipts in the order they were sent; a reverted
// transaction is an error naming it.
func (s *sender) mine(ctx context.Context) ([]*types.Receipt, error) {
	batch := s.pending
	s.pending, s.feeCap = nil, nil
	out := make([]*types.Receipt, len(batch))
	for blocks := 0; ; blocks++ {
		if err := s.chain.Mine(ctx, 1); err != nil {
			return nil, err
		}
		missing, err := s.receipts(ctx, batch, out)
		if err != nil || missing == 0 {
			return out, err
		}
		if blocks == 10 {
			return nil, fmt.Errorf("%d transactions not mined after %d blocks", missing, blocks+1)
		}
	}
}

// receipts fills the receipts of mined transactions and counts the others.
func (s *sender) receipts(ctx context.Context, batch []sent, out []*types.Receipt) (int, error) {
	missing := 0
	for i, b := range batch {
		if out[i] != nil {
			continue
		}
		rc, err := s.receipt(ctx, b.tx.Hash())
		if errors.Is(err, ethereum.NotFound) {
			missing++
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", b.what, err)
		}
		if rc.Status != types.ReceiptStatusSuccessful {
			return 0, fmt.Errorf("%s: transaction %s reverted", b.what, b.tx.Hash())
		}
		out[i] = rc
	}
	return missing, nil
}

// receipt reads a receipt, waiting while the receipt index catches up.
func (s *sender) receipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	for tries := 0; ; tries++ {
		rc, err := s.client.TransactionReceipt(ctx, h)
		if err == nil || tries == 500 || !strings.Contains(fmt.Sprint(err), "indexing is in progress") {
			return rc, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// one sends a single transaction and mines it.
func (s *sender) one(ctx context.Context, from testchain.Account, to common.Address, data []byte, what string) (*types.Receipt, error) {
	if err := s.send(ctx, from, to, data, what); err != nil {
		return nil, err
	}
	rcs, err := s.mine(ctx)
	if err != nil {
		return nil, err
	}
	return rcs[0], nil
}
