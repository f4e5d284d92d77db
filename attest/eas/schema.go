package eas

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	easbind "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
)

// Canonical maps chain ids to the EAS contract deployed there by the EAS
// project (https://docs.attest.org). A lookup is by the chain id the node
// reports, so an address is never used on another chain.
var Canonical = map[uint64]common.Address{
	1:        common.HexToAddress("0xA1207F3BBa224E2c9c3c6D5aF63D0eb1582Ce587"), // Ethereum
	10:       common.HexToAddress("0x4200000000000000000000000000000000000021"), // OP Mainnet (predeploy)
	8453:     common.HexToAddress("0x4200000000000000000000000000000000000021"), // Base (predeploy)
	42161:    common.HexToAddress("0xbD75f629A22Dc1ceD33dDA0b68c546A1c035c458"), // Arbitrum One
	11155111: common.HexToAddress("0xC2679fBD37d54388Ce493F1DB75320D236e1815e"), // Sepolia
}

// SchemaInfo is what an EAS deployment says about groundtruth's schema.
type SchemaInfo struct {
	// EAS is the EAS contract and Version its version string.
	EAS     common.Address `json:"eas"`
	Version string         `json:"version"`
	// SchemaRegistry is the registry EAS uses.
	SchemaRegistry common.Address `json:"schemaRegistry"`
	// UID is groundtruth's schema UID and Schema its definition.
	UID    common.Hash `json:"uid"`
	Schema string      `json:"schema"`
	// Registered is whether the schema registry holds it.
	Registered bool `json:"registered"`
}

// ReadSchema reads the EAS contract's version and schema registry and
// whether groundtruth's schema is registered (three calls). An address
// without an EAS contract is ErrConfig.
func ReadSchema(ctx context.Context, c attest.Client, easAddr common.Address) (*SchemaInfo, error) {
	code, err := c.CodeAt(ctx, easAddr, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the code at %s: %v", attest.ErrChain, easAddr.Hex(), err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: there is no contract at %s on this chain: not an EAS deployment", attest.ErrConfig, easAddr.Hex())
	}
	v, err := ReadVersion(ctx, c, easAddr)
	if err != nil {
		return nil, fmt.Errorf("%w: the contract at %s is not an EAS deployment (%v)", attest.ErrConfig, easAddr.Hex(), err)
	}
	a := easbind.NewEAS()
	opts := &bind.CallOpts{Context: ctx}
	reg, err := bind.Call(a.Instance(c, easAddr), opts, a.PackGetSchemaRegistry(), a.UnpackGetSchemaRegistry)
	if err != nil {
		return nil, fmt.Errorf("%w: reading EAS's schema registry: %v", attest.ErrChain, err)
	}
	sr := easbind.NewSchemaRegistry()
	uid := attest.EASSchemaUID()
	rec, err := bind.Call(sr.Instance(c, reg), opts, sr.PackGetSchema(uid), sr.UnpackGetSchema)
	if err != nil {
		return nil, fmt.Errorf("%w: reading schema %s: %v", attest.ErrChain, uid.Hex(), err)
	}
	return &SchemaInfo{EAS: easAddr, Version: v, SchemaRegistry: reg, UID: uid, Schema: attest.EASSchema, Registered: rec.Uid == uid}, nil
}
