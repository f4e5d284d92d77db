package testchain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
)

// Deploy sends a contract creation from the chain's first account, waits for it and
// returns the new contract's address. bytecode is the creation code and args the
// ABI-encoded constructor arguments (a binding's PackConstructor), possibly empty.
func Deploy(ctx context.Context, c Chain, name string, bytecode, args []byte) (common.Address, error) {
	opts := c.Transactor(ctx, c.Accounts()[0])
	addr, tx, err := bind.DeployContract(opts, bytecode, c.Client(), args)
	if err != nil {
		return common.Address{}, fmt.Errorf("deploy %s: %w", name, err)
	}
	if _, err := WaitSuccess(ctx, c, tx); err != nil {
		return common.Address{}, fmt.Errorf("deploy %s: %w", name, err)
	}
	return addr, nil
}

// Transact sends a call to contract from the account, waits for it and returns the
// receipt, or an error when it failed or reverted. data is a binding's PackX output.
func Transact(ctx context.Context, c Chain, from Account, contract common.Address, data []byte) (*types.Receipt, error) {
	inst := bind.NewBoundContract(contract, abi.ABI{}, c.Client(), c.Client(), c.Client())
	tx, err := bind.Transact(inst, c.Transactor(ctx, from), data)
	if err != nil {
		return nil, fmt.Errorf("transact with %s: %w", contract, err)
	}
	return WaitSuccess(ctx, c, tx)
}

// DeployRegistry deploys a DatasetRegistry with the given stewards and threshold k.
func DeployRegistry(ctx context.Context, c Chain, stewards []common.Address, k uint64) (common.Address, error) {
	args := datasetregistry.NewDatasetRegistry().PackConstructor(stewards, new(big.Int).SetUint64(k))
	return Deploy(ctx, c, "DatasetRegistry", common.FromHex(datasetregistry.DatasetRegistryMetaData.Bin), args)
}

// DeployEmitter deploys an EventEmitter.
func DeployEmitter(ctx context.Context, c Chain) (common.Address, error) {
	return Deploy(ctx, c, "EventEmitter", common.FromHex(eventemitter.EventEmitterMetaData.Bin), nil)
}
