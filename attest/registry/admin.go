package registry

import (
	"bytes"
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
)

// Deploy deploys a DatasetRegistry from the committed creation code
// (attest/contracts/build/DatasetRegistry.bin) with the stewards and
// threshold k, paid by from, waits for it and checks the deployed code. It
// returns the address and the creation transaction.
func Deploy(ctx context.Context, c attest.Client, wait attest.WaitFunc, from attest.Signer, chainID uint64, stewards []common.Address, k uint64) (common.Address, common.Hash, error) {
	return DeployWith(ctx, c, wait, from, chainID, stewards, k, attest.TxOptions{})
}

// DeployWith is Deploy with transaction options (fee cap, confirmations,
// nonce records): the creation is sent through the transaction manager.
func DeployWith(ctx context.Context, c attest.Client, wait attest.WaitFunc, from attest.Signer, chainID uint64, stewards []common.Address, k uint64, o attest.TxOptions) (common.Address, common.Hash, error) {
	if from == nil {
		return common.Address{}, common.Hash{}, fmt.Errorf("%w: no account to deploy from (give --from)", attest.ErrConfig)
	}
	u := &Update{Stewards: stewards, Threshold: k}
	if err := u.check(); err != nil {
		return common.Address{}, common.Hash{}, err
	}
	code := append(common.FromHex(datasetregistry.DatasetRegistryMetaData.Bin), ctorArgs(stewards, k)...)
	rcpt, err := attest.DeployTx(ctx, c, wait, from, chainID, code, o)
	if err != nil {
		return common.Address{}, common.Hash{}, fmt.Errorf("deploying the DatasetRegistry from %s: %w", from.Address().Hex(), err)
	}
	addr := rcpt.ContractAddress
	if err := CheckCode(ctx, c, chainID, addr, stewards, k, from.Address()); err != nil {
		return addr, rcpt.TxHash, err
	}
	return addr, rcpt.TxHash, nil
}

func ctorArgs(stewards []common.Address, k uint64) []byte {
	return datasetregistry.NewDatasetRegistry().PackConstructor(stewards, new(big.Int).SetUint64(k))
}

func creationCode(stewards []common.Address, k uint64) []byte {
	return append(common.FromHex(datasetregistry.DatasetRegistryMetaData.Bin), ctorArgs(stewards, k)...)
}

// CheckCode checks that the contract at addr runs groundtruth's committed
// DatasetRegistry: its code equals the runtime code the committed creation
// code produces (simulated with eth_call from deployer; the immutables that
// hold the contract's own address and EIP-712 domain separator are mapped
// to addr's), and it reports the given stewards and threshold.
func CheckCode(ctx context.Context, c attest.Client, chainID uint64, addr common.Address, stewards []common.Address, k uint64, deployer common.Address) error {
	got, err := c.CodeAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("%w: reading the code at %s: %v", attest.ErrChain, addr.Hex(), err)
	}
	nonce, err := c.PendingNonceAt(ctx, deployer)
	if err != nil {
		return fmt.Errorf("%w: reading the nonce of %s: %v", attest.ErrChain, deployer.Hex(), err)
	}
	want, err := c.CallContract(ctx, ethereum.CallMsg{From: deployer, Data: creationCode(stewards, k)}, nil)
	if err != nil {
		return fmt.Errorf("%w: simulating the DatasetRegistry creation: %v", attest.ErrChain, err)
	}
	sim := crypto.CreateAddress(deployer, nonce)
	simSep, _ := attest.RegistryDomain(chainID, sim).Separator()
	sep, _ := attest.RegistryDomain(chainID, addr).Separator()
	want = bytes.ReplaceAll(want, common.LeftPadBytes(sim.Bytes(), 32), common.LeftPadBytes(addr.Bytes(), 32))
	want = bytes.ReplaceAll(want, simSep.Bytes(), sep.Bytes())
	if len(got) == 0 || !bytes.Equal(got, want) {
		return fmt.Errorf("%w: the code at %s (%d bytes, keccak %s) is not the committed DatasetRegistry (%d bytes, keccak %s)", attest.ErrInvalid,
			addr.Hex(), len(got), crypto.Keccak256Hash(got).Hex(), len(want), crypto.Keccak256Hash(want).Hex())
	}
	b := New(Config{Client: c, Address: addr})
	t, _, err := b.TrustFromChain(ctx)
	if err != nil {
		return err
	}
	if uint64(t.Threshold) != k || !sameSet(t.Stewards, stewards) {
		return fmt.Errorf("%w: the registry at %s has stewards %v and k = %d, not the ones deployed", attest.ErrInvalid, addr.Hex(), t.Stewards, t.Threshold)
	}
	return nil
}

func sameSet(a, b []common.Address) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[common.Address]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}

// Nonce returns the registry's steward nonce (for revocations and updates).
func (b *Backend) Nonce(ctx context.Context) (uint64, error) { return b.nonce(ctx, nil) }

// ApplyUpdate submits a steward update with its signatures, from from. It
// checks first: the registry and chain, the nonce, and k signatures of
// current stewards (ErrPending with fewer, and nothing is sent). An update
// already applied (the registry's set and k equal the proposal's and the
// nonce moved past it) returns a nil receipt and no error.
func (b *Backend) ApplyUpdate(ctx context.Context, u *Update, from attest.Signer) (*attest.Receipt, error) {
	if u.ChainID != b.cfg.ChainID || u.Registry != b.cfg.Address {
		return nil, fmt.Errorf("%w: the update is for registry %s on chain %d, not %s on chain %d", attest.ErrInvalid, u.Registry.Hex(), u.ChainID, b.cfg.Address.Hex(), b.cfg.ChainID)
	}
	trust, _, err := b.TrustFromChain(ctx)
	if err != nil {
		return nil, err
	}
	n, err := b.Nonce(ctx)
	if err != nil {
		return nil, err
	}
	if n > u.Nonce && uint64(trust.Threshold) == u.Threshold && sameSet(trust.Stewards, u.Stewards) {
		return nil, nil
	}
	if n != u.Nonce {
		return nil, fmt.Errorf("%w: the update signs nonce %d, the registry is at nonce %d (a revocation or another update came first): propose it again", attest.ErrInvalid, u.Nonce, n)
	}
	var sigs []stewardSignature
	for _, s := range u.Signatures {
		if trust.IsSteward(s.Signer) {
			sigs = append(sigs, stewardSignature{signer: s.Signer, sig: s.Signature})
		}
	}
	if len(sigs) < trust.Threshold {
		return nil, fmt.Errorf("%w: the update has %d signature(s) of current stewards, k = %d; nothing was sent", attest.ErrPending, len(sigs), trust.Threshold)
	}
	rcpt, err := attest.SendTxWith(ctx, b.cfg.Client, b.cfg.Wait, from, b.cfg.ChainID, b.cfg.Address,
		b.abi.PackUpdateStewards(u.Stewards, new(big.Int).SetUint64(u.Threshold), encodeSignatures(sigs)), b.abi.UnpackError, b.cfg.Tx)
	if err != nil {
		return nil, fmt.Errorf("updating the stewards of %s: %w", b.cfg.Address.Hex(), err)
	}
	return &attest.Receipt{Backend: attest.KindRegistry, TxHash: rcpt.TxHash, Block: rcpt.BlockNumber.Uint64()}, nil
}

// AttestedVersion is one Attested event of the registry.
type AttestedVersion struct {
	// Dataset and Version name the version.
	Dataset string `json:"dataset"`
	Version uint64 `json:"version"`
	// MerkleRoot and RowCount are the attested root and size.
	MerkleRoot common.Hash `json:"merkleRoot"`
	RowCount   uint64      `json:"rowCount"`
	// Block and TxHash locate the attestation.
	Block  uint64      `json:"block"`
	TxHash common.Hash `json:"txHash"`
	// Signers are the stewards whose signatures the registry counted.
	Signers []common.Address `json:"signers"`
	// Revoked is the registry's current revocation flag.
	Revoked bool `json:"revoked"`
}

// AttestedVersions lists the registry's Attested events from block from
// (one log query, then one statementOf call per version for its revocation).
func (b *Backend) AttestedVersions(ctx context.Context, from uint64) ([]AttestedVersion, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	ev := b.abi.GetABI().Events["Attested"]
	logs, err := b.cfg.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), Addresses: []common.Address{b.cfg.Address}, Topics: [][]common.Hash{{ev.ID}}})
	if err != nil {
		return nil, fmt.Errorf("%w: reading the registry's Attested events: %v", attest.ErrChain, err)
	}
	out := make([]AttestedVersion, 0, len(logs))
	for i := range logs {
		e, err := b.abi.UnpackAttestedEvent(&logs[i])
		if err != nil {
			return nil, fmt.Errorf("%w: decoding an Attested event in block %d: %v", attest.ErrChain, logs[i].BlockNumber, err)
		}
		rec, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx}, b.abi.PackStatementOf(e.Dataset, e.Version), b.abi.UnpackStatementOf)
		if err != nil {
			return nil, fmt.Errorf("%w: reading the record of %s@%d: %v", attest.ErrChain, e.Dataset, e.Version, err)
		}
		out = append(out, AttestedVersion{Dataset: e.Dataset, Version: e.Version, MerkleRoot: e.MerkleRoot, RowCount: e.RowCount,
			Block: logs[i].BlockNumber, TxHash: logs[i].TxHash, Signers: e.Signers, Revoked: rec.Revoked})
	}
	return out, nil
}
