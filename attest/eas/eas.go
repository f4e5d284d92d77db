package eas

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest"
	easbind "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
)

// DomainName is the EIP-712 domain name of the EAS contract's delegated requests.
const DomainName = "EAS"

// Config configures the EAS backend.
type Config struct {
	// Client reads and writes the chain; nil allows offline signature checks only.
	Client attest.Client
	// Wait waits for transactions (nil: bind.WaitMined).
	Wait attest.WaitFunc
	// ChainID is the chain EAS is on.
	ChainID uint64
	// Address is the EAS contract.
	Address common.Address
	// Version is the EAS contract's version string (its EIP-712 domain
	// version); empty reads it from the chain.
	Version string
	// Log receives progress messages (nil discards them).
	Log *slog.Logger
	// Tx tunes the transactions sent (the fee cap).
	Tx attest.TxOptions
}

// Backend implements attest.Backend on EAS on-chain attestations.
type Backend struct {
	cfg Config
	abi *easbind.EAS
	log *slog.Logger
}

var _ attest.Backend = (*Backend)(nil)

// New returns an EAS backend; without cfg.Version it reads the contract's
// version (one call).
func New(ctx context.Context, cfg Config) (*Backend, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Version == "" {
		v, err := ReadVersion(ctx, cfg.Client, cfg.Address)
		if err != nil {
			return nil, err
		}
		cfg.Version = v
	}
	return &Backend{cfg: cfg, abi: easbind.NewEAS(), log: cfg.Log}, nil
}

// ReadVersion reads the EAS contract's version string.
func ReadVersion(ctx context.Context, c attest.Client, addr common.Address) (string, error) {
	if c == nil {
		return "", fmt.Errorf("%w: the EAS version is unknown: give it in the configuration or an RPC endpoint", attest.ErrConfig)
	}
	a := easbind.NewEAS()
	v, err := bind.Call(a.Instance(c, addr), &bind.CallOpts{Context: ctx}, a.PackVersion(), a.UnpackVersion)
	if err != nil {
		return "", fmt.Errorf("%w: reading the version of EAS at %s: %v", attest.ErrChain, addr.Hex(), err)
	}
	return v, nil
}

// Target implements attest.Backend.
func (b *Backend) Target() attest.Target {
	schema := attest.EASSchemaUID()
	return attest.Target{Backend: attest.KindEAS, ChainID: b.cfg.ChainID, Contract: b.cfg.Address, Schema: &schema, EASVersion: b.cfg.Version}
}

// Version returns the EAS contract's version string.
func (b *Backend) Version() string { return b.cfg.Version }

func (b *Backend) needClient() error {
	if b.cfg.Client == nil {
		return fmt.Errorf("%w: the EAS backend needs an RPC endpoint for this (--rpc)", attest.ErrConfig)
	}
	return nil
}

func (b *Backend) instance() *bind.BoundContract { return b.abi.Instance(b.cfg.Client, b.cfg.Address) }

// EnsureSchema registers attest.EASSchema in EAS's SchemaRegistry unless it
// is registered already, sending from from, and returns its UID.
func EnsureSchema(ctx context.Context, c attest.Client, wait attest.WaitFunc, chainID uint64, easAddr common.Address, from attest.Signer) (common.Hash, error) {
	return EnsureSchemaWith(ctx, c, wait, chainID, easAddr, from, attest.TxOptions{})
}

// EnsureSchemaWith is EnsureSchema with transaction options. After a failed
// registration it looks again and adopts a schema registered meanwhile (by
// the lost transaction itself, or by another process).
func EnsureSchemaWith(ctx context.Context, c attest.Client, wait attest.WaitFunc, chainID uint64, easAddr common.Address, from attest.Signer, o attest.TxOptions) (common.Hash, error) {
	a := easbind.NewEAS()
	opts := &bind.CallOpts{Context: ctx}
	regAddr, err := bind.Call(a.Instance(c, easAddr), opts, a.PackGetSchemaRegistry(), a.UnpackGetSchemaRegistry)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: reading EAS's schema registry: %v", attest.ErrChain, err)
	}
	reg := easbind.NewSchemaRegistry()
	uid := attest.EASSchemaUID()
	rec, err := bind.Call(reg.Instance(c, regAddr), opts, reg.PackGetSchema(uid), reg.UnpackGetSchema)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: reading schema %s: %v", attest.ErrChain, uid.Hex(), err)
	}
	if rec.Uid == uid {
		return uid, nil
	}
	if _, err := attest.SendTxWith(ctx, c, wait, from, chainID, regAddr, reg.PackRegister(attest.EASSchema, common.Address{}, true), reg.UnpackError, o); err != nil {
		if again, cerr := bind.Call(reg.Instance(c, regAddr), opts, reg.PackGetSchema(uid), reg.UnpackGetSchema); cerr == nil && again.Uid == uid {
			return uid, nil
		}
		return common.Hash{}, fmt.Errorf("registering the groundtruth schema: %w", err)
	}
	return uid, nil
}

// Domain returns the EIP-712 domain of EAS's delegated requests.
func Domain(chainID uint64, easAddr common.Address, version string) attest.Domain {
	return attest.Domain{Name: DomainName, Version: version, ChainID: chainID, VerifyingContract: easAddr}
}

// TypedDigest hashes an EIP-712 message of one primary type in domain d;
// attest/offchain uses it for off-chain attestations.
func TypedDigest(d attest.Domain, primary string, fields []apitypes.Type, msg apitypes.TypedDataMessage) (common.Hash, error) {
	td := apitypes.TypedData{
		Types:       apitypes.Types{"EIP712Domain": attest.DomainTypes, primary: fields},
		PrimaryType: primary,
		Domain: apitypes.TypedDataDomain{Name: d.Name, Version: d.Version,
			ChainId: (*math.HexOrDecimal256)(new(big.Int).SetUint64(d.ChainID)), VerifyingContract: d.VerifyingContract.Hex()},
		Message: msg,
	}
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: EIP-712 %s: %v", attest.ErrSignature, primary, err)
	}
	return common.BytesToHash(h), nil
}

func u64(v uint64) *big.Int { return new(big.Int).SetUint64(v) }
