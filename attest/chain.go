package attest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/groundtruth-dao/groundtruth/attest/txmgr"
)

// Client is what the on-chain backends need from a node: calls, transactions,
// logs and receipts. *ethclient.Client and the simulated backend's client
// implement it.
type Client interface {
	bind.ContractBackend
	bind.DeployBackend
}

// WaitFunc waits for a transaction and returns its receipt. The default
// (nil) is the transaction manager's polling, with replacement, resending
// and confirmations; an in-process chain passes its own (it mines on demand).
type WaitFunc func(ctx context.Context, tx *types.Transaction) (*types.Receipt, error)

// SendTx packs nothing itself: it sends calldata to contract from s, waits
// with wait (nil: the transaction manager's polling) and fails on a revert, decoding the
// contract's custom error with unpack when it can.
func SendTx(ctx context.Context, c Client, wait WaitFunc, s Signer, chainID uint64, contract common.Address, data []byte, unpack func([]byte) (any, error)) (*types.Receipt, error) {
	return SendTxWith(ctx, c, wait, s, chainID, contract, data, unpack, TxOptions{})
}

// SendTxWith is SendTx with transaction options: the transaction manager
// (attest/txmgr) prices it under the fee cap, tracks its nonce, replaces it
// when stuck, sends it again when dropped or reorged out, and returns once
// it is Confirmations deep.
func SendTxWith(ctx context.Context, c Client, wait WaitFunc, s Signer, chainID uint64, contract common.Address, data []byte, unpack func([]byte) (any, error), o TxOptions) (*types.Receipt, error) {
	return sendTx(ctx, c, wait, s, chainID, &contract, data, unpack, o)
}

// DeployTx sends creation code from s through the transaction manager and
// returns the receipt (its ContractAddress is the new contract).
func DeployTx(ctx context.Context, c Client, wait WaitFunc, s Signer, chainID uint64, code []byte, o TxOptions) (*types.Receipt, error) {
	return sendTx(ctx, c, wait, s, chainID, nil, code, nil, o)
}

func sendTx(ctx context.Context, c Client, wait WaitFunc, s Signer, chainID uint64, to *common.Address, data []byte, unpack func([]byte) (any, error), o TxOptions) (*types.Receipt, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: no account to send the transaction from (give --from or a steward key)", ErrConfig)
	}
	m, err := o.manager(c, wait, s, chainID)
	if err != nil {
		return nil, err
	}
	what := "sending a contract creation"
	if to != nil {
		what = "sending to " + to.Hex()
	}
	rcpt, err := m.Send(ctx, txmgr.Request{To: to, Data: data})
	switch {
	case errors.Is(err, txmgr.ErrFeeCap):
		return nil, wrapped{ErrFeeCap, err, ErrChain.Error() + ": " + err.Error()}
	case errors.Is(err, txmgr.ErrEstimate):
		return nil, wrapped{ErrChain, err, fmt.Sprintf("%v: %s from %s: %s", ErrChain, what, s.Address().Hex(), RevertReason(err, unpack))}
	case err != nil:
		return nil, fmt.Errorf("%w: %s from %s: %w", ErrChain, what, s.Address().Hex(), err)
	case rcpt.Status != types.ReceiptStatusSuccessful:
		return rcpt, fmt.Errorf("%w: transaction %s reverted", ErrChain, rcpt.TxHash.Hex())
	}
	return rcpt, nil
}

// wrapped is an error that wraps a sentinel of this package and the
// transaction manager's error, with its own message.
type wrapped struct {
	sentinel, err error
	msg           string
}

func (e wrapped) Error() string   { return e.msg }
func (e wrapped) Unwrap() []error { return []error{e.sentinel, e.err} }

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
