package testchain

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// SafeArtifacts is where @safe-global/safe-contracts keeps the compiled contracts,
// relative to node_modules.
const SafeArtifacts = "@safe-global/safe-contracts/build/artifacts/contracts"

// SafeDeployment holds the contracts a Safe multisig needs, deployed from the npm
// package @safe-global/safe-contracts (1.4.1) with their published bytecode.
type SafeDeployment struct {
	// Singleton is the Safe master copy the proxies delegate to.
	Singleton common.Address
	// Factory is the SafeProxyFactory.
	Factory common.Address
	// Handler is the CompatibilityFallbackHandler, which gives a Safe its EIP-1271
	// isValidSignature.
	Handler common.Address

	chain   Chain
	safe    abi.ABI
	factory abi.ABI
	handler abi.ABI
}

// Safe is one deployed Safe proxy and its owners' keys.
type Safe struct {
	// Address is the Safe (the proxy).
	Address common.Address
	// Owners are the Safe's owners.
	Owners []Account
	// Threshold is how many owners must sign.
	Threshold uint64

	d *SafeDeployment
}

// DeploySafe deploys the Safe singleton, the proxy factory and the compatibility
// fallback handler from node_modules (npm ci).
func DeploySafe(ctx context.Context, c Chain) (*SafeDeployment, error) {
	nm, err := NodeModules()
	if err != nil {
		return nil, err
	}
	return DeploySafeFrom(ctx, c, nm)
}

// DeploySafeFrom is DeploySafe with the node_modules folder given (for a test that
// left the checkout).
func DeploySafeFrom(ctx context.Context, c Chain, nm string) (*SafeDeployment, error) {
	dir := filepath.Join(nm, filepath.FromSlash(SafeArtifacts))
	d := &SafeDeployment{chain: c}
	for _, x := range []struct {
		file string
		addr *common.Address
		abi  *abi.ABI
	}{
		{"Safe.sol/Safe.json", &d.Singleton, &d.safe},
		{"proxies/SafeProxyFactory.sol/SafeProxyFactory.json", &d.Factory, &d.factory},
		{"handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json", &d.Handler, &d.handler},
	} {
		code, a, err := readSafeArtifact(filepath.Join(dir, filepath.FromSlash(x.file)))
		if err != nil {
			return nil, err
		}
		*x.abi = a
		if *x.addr, err = Deploy(ctx, c, filepath.Base(x.file), code, nil); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// readSafeArtifact reads the creation bytecode and ABI of a Hardhat artifact.
func readSafeArtifact(path string) ([]byte, abi.ABI, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, abi.ABI{}, fmt.Errorf("read Safe artifact: %w (%s)", err, InstallHint)
	}
	var art struct {
		ABI      json.RawMessage `json:"abi"`
		Bytecode string          `json:"bytecode"`
	}
	if err := json.Unmarshal(raw, &art); err != nil {
		return nil, abi.ABI{}, fmt.Errorf("decode %s: %w", path, err)
	}
	a, err := abi.JSON(bytes.NewReader(art.ABI))
	if err != nil {
		return nil, abi.ABI{}, fmt.Errorf("%s: ABI: %w", path, err)
	}
	code, err := hexutil.Decode(art.Bytecode)
	if err != nil || len(code) == 0 {
		return nil, abi.ABI{}, fmt.Errorf("%s: no usable bytecode (%v)", path, err)
	}
	return code, a, nil
}

// NewSafe creates a Safe proxy with the given owners and threshold and the
// compatibility fallback handler, from the chain's first account.
func (d *SafeDeployment) NewSafe(ctx context.Context, owners []Account, threshold uint64, salt int64) (*Safe, error) {
	addrs := make([]common.Address, len(owners))
	for i, o := range owners {
		addrs[i] = o.Address
	}
	addr, err := d.NewSafeOf(ctx, addrs, threshold, salt)
	if err != nil {
		return nil, err
	}
	return &Safe{Address: addr, Owners: owners, Threshold: threshold, d: d}, nil
}

// NewSafeOf creates a Safe proxy owned by the given addresses and returns its address.
func (d *SafeDeployment) NewSafeOf(ctx context.Context, owners []common.Address, threshold uint64, salt int64) (common.Address, error) {
	setup, err := d.safe.Pack("setup", owners, new(big.Int).SetUint64(threshold), common.Address{}, []byte{},
		d.Handler, common.Address{}, new(big.Int), common.Address{})
	if err != nil {
		return common.Address{}, fmt.Errorf("pack Safe setup: %w", err)
	}
	data, err := d.factory.Pack("createProxyWithNonce", d.Singleton, setup, big.NewInt(salt))
	if err != nil {
		return common.Address{}, fmt.Errorf("pack createProxyWithNonce: %w", err)
	}
	rcpt, err := Transact(ctx, d.chain, d.chain.Accounts()[0], d.Factory, data)
	if err != nil {
		return common.Address{}, fmt.Errorf("create Safe: %w", err)
	}
	ev := d.factory.Events["ProxyCreation"]
	for _, l := range rcpt.Logs {
		if l.Address == d.Factory && len(l.Topics) > 1 && l.Topics[0] == ev.ID {
			return common.BytesToAddress(l.Topics[1][12:]), nil
		}
	}
	return common.Address{}, fmt.Errorf("create Safe: no ProxyCreation event in %s", rcpt.TxHash.Hex())
}

// MessageHash asks the Safe's fallback handler for the hash its owners sign so that
// isValidSignature(digest, ...) accepts their signatures: getMessageHashForSafe(safe,
// abi.encode(digest)).
func (s *Safe) MessageHash(ctx context.Context, digest common.Hash) (common.Hash, error) {
	data, err := s.d.handler.Pack("getMessageHashForSafe", s.Address, digest.Bytes())
	if err != nil {
		return common.Hash{}, err
	}
	out, err := s.d.chain.Client().CallContract(ctx, ethereum.CallMsg{To: &s.d.Handler, Data: data}, nil)
	if err != nil {
		return common.Hash{}, fmt.Errorf("getMessageHashForSafe: %w", err)
	}
	if len(out) != 32 {
		return common.Hash{}, fmt.Errorf("getMessageHashForSafe returned %d bytes", len(out))
	}
	return common.BytesToHash(out), nil
}

// Sign returns the Safe's EIP-1271 signature of digest made by the owners at idx: each
// owner's 65-byte ECDSA signature of MessageHash(digest), concatenated in ascending
// order of owner address, as the Safe's checkSignatures requires.
func (s *Safe) Sign(ctx context.Context, digest common.Hash, idx ...int) ([]byte, error) {
	h, err := s.MessageHash(ctx, digest)
	if err != nil {
		return nil, err
	}
	keys := make([]*ecdsa.PrivateKey, len(idx))
	for i, j := range idx {
		keys[i] = s.Owners[j].Key
	}
	return SafeOwnerSignatures(h, keys...)
}

// SafeOwnerSignatures signs a Safe message hash with each key and concatenates the
// 65-byte signatures (v = 27 or 28) in ascending order of the keys' addresses.
func SafeOwnerSignatures(messageHash common.Hash, keys ...*ecdsa.PrivateKey) ([]byte, error) {
	slices.SortFunc(keys, func(a, b *ecdsa.PrivateKey) int {
		x, y := crypto.PubkeyToAddress(a.PublicKey), crypto.PubkeyToAddress(b.PublicKey)
		return bytes.Compare(x[:], y[:])
	})
	var out []byte
	for _, k := range keys {
		sig, err := crypto.Sign(messageHash[:], k)
		if err != nil {
			return nil, err
		}
		sig[64] += 27
		out = append(out, sig...)
	}
	return out, nil
}
