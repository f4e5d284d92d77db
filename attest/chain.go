package attest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// Client is what the on-chain backends need from a node: calls, transactions,
// logs and receipts. *ethclient.Client and the simulated backend's client
// implement it.
type Client interface {
	bind.ContractBackend
	bind.DeployBackend
}

// WaitFunc waits for a transaction and returns its receipt. The default is
// bind.WaitMined; an in-process chain passes its own (it mines on demand).
type WaitFunc func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error)

// SendTx packs nothing itself: it sends calldata to contract from s, waits
// with wait (nil: bind.WaitMined on c) and fails on a revert, decoding the
// contract's custom error with unpack when it can.
func SendTx(ctx context.Context, c Client, wait WaitFunc, s Signer, chainID uint64, contract common.Address, data []byte, unpack func([]byte) (any, error)) (*types.Receipt, error) {
	return SendTxWith(ctx, c, wait, s, chainID, contract, data, unpack, TxOptions{})
}

// SendTxWith is SendTx with transaction options (the fee cap).
func SendTxWith(ctx context.Context, c Client, wait WaitFunc, s Signer, chainID uint64, contract common.Address, data []byte, unpack func([]byte) (any, error), o TxOptions) (*types.Receipt, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: no account to send the transaction from (give --from or a steward key)", ErrConfig)
	}
	inst := bind.NewBoundContract(contract, emptyABI, c, c, c)
	opts := TransactOpts(ctx, s, bigU(chainID))
	if err := o.apply(ctx, c, opts); err != nil {
		return nil, err
	}
	tx, err := bind.Transact(inst, opts, data)
	if err != nil {
		return nil, fmt.Errorf("%w: sending to %s from %s: %s", ErrChain, contract.Hex(), s.Address().Hex(), RevertReason(err, unpack))
	}
	var rcpt *types.Receipt
	if wait != nil {
		rcpt, err = wait(ctx, tx)
	} else {
		rcpt, err = bind.WaitMined(ctx, c, tx.Hash())
	}
	if err != nil {
		return nil, fmt.Errorf("%w: waiting for %s: %v", ErrChain, tx.Hash().Hex(), err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return rcpt, fmt.Errorf("%w: transaction %s reverted", ErrChain, tx.Hash().Hex())
	}
	return rcpt, nil
}

// RevertReason renders a failed call's error, decoding the revert data with
// unpack (a binding's UnpackError) when the node returned some.
func RevertReason(err error, unpack func([]byte) (any, error)) string {
	var de rpc.DataError
	if !errors.As(err, &de) || unpack == nil {
		return err.Error()
	}
	s, ok := de.ErrorData().(string)
	if !ok || !strings.HasPrefix(s, "0x") {
		return err.Error()
	}
	data, derr := hexutil.Decode(s)
	if derr != nil {
		return err.Error()
	}
	v, uerr := unpack(data)
	if uerr != nil {
		return err.Error()
	}
	name := fmt.Sprintf("%T", v)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return fmt.Sprintf("reverted with %s %+v", name, v)
}

var emptyABI = func() abi.ABI { return abi.ABI{} }()
