package registry

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/datasetregistry"
	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Config configures a registry backend.
type Config struct {
	// Client reads and writes the chain; nil allows offline signing and
	// signature checks only.
	Client attest.Client
	// Wait waits for transactions (nil: bind.WaitMined).
	Wait attest.WaitFunc
	// ChainID is the chain the registry is on.
	ChainID uint64
	// Address is the DatasetRegistry contract.
	Address common.Address
	// Log receives progress messages (nil discards them).
	Log *slog.Logger
	// Tx tunes the transactions sent (the fee cap).
	Tx attest.TxOptions
}

// Backend implements attest.Backend on a DatasetRegistry.
type Backend struct {
	cfg Config
	abi *datasetregistry.DatasetRegistry
	log *slog.Logger
}

var _ attest.Backend = (*Backend)(nil)

// New returns a registry backend.
func New(cfg Config) *Backend {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Backend{cfg: cfg, abi: datasetregistry.NewDatasetRegistry(), log: log}
}

// Target implements attest.Backend.
func (b *Backend) Target() attest.Target {
	return attest.Target{Backend: attest.KindRegistry, ChainID: b.cfg.ChainID, Contract: b.cfg.Address}
}

// Domain returns the registry's EIP-712 domain.
func (b *Backend) Domain() attest.Domain { return attest.RegistryDomain(b.cfg.ChainID, b.cfg.Address) }

// Sign implements attest.Backend: an EIP-712 signature of the statement in
// the registry's domain. It needs no chain access.
func (b *Backend) Sign(ctx context.Context, s attest.Signer, st attest.Statement, opts attest.SignOptions) (*attest.SignatureFile, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	digest := st.Digest(b.Domain())
	sig, err := s.SignHash(ctx, digest)
	if err != nil {
		return nil, err
	}
	f := attest.NewSignatureFile(attest.KindRegistry, st, s.Address(), b.cfg.ChainID, opts.Now)
	addr := b.cfg.Address
	f.Registry, f.Digest, f.Signature = &addr, digest, sig
	return f, nil
}

// CheckSignature implements attest.Backend: a key's signature must recover
// to the file's signer over the statement's digest in the domain the file
// names; a contract steward's (SchemeEIP1271) must be accepted by the
// signer contract's isValidSignature on the chain (ErrUnverifiable without
// an RPC endpoint).
func (b *Backend) CheckSignature(ctx context.Context, f *attest.SignatureFile, st attest.Statement) (attest.SignatureCheck, error) {
	if f.Backend != attest.KindRegistry || f.Registry == nil {
		return attest.SignatureCheck{}, fmt.Errorf("%w: not a registry signature", attest.ErrSignature)
	}
	digest := f.Statement.Digest(attest.RegistryDomain(f.ChainID, *f.Registry))
	if f.Purpose == attest.PurposeRevoke {
		if f.Revocation == nil {
			return attest.SignatureCheck{}, fmt.Errorf("%w: revocation signature without its terms", attest.ErrSignature)
		}
		digest = RevocationDigest(attest.RegistryDomain(f.ChainID, *f.Registry), f.Statement.Dataset, f.Statement.Version, f.Revocation.Reason, f.Revocation.Nonce)
	}
	if f.Scheme == attest.SchemeEIP1271 {
		if f.ChainID != b.cfg.ChainID || *f.Registry != b.cfg.Address {
			return attest.SignatureCheck{}, fmt.Errorf("%w: a contract signature for registry %s on chain %d is checked on that chain only (this backend is %s on chain %d)",
				attest.ErrSignature, f.Registry.Hex(), f.ChainID, b.cfg.Address.Hex(), b.cfg.ChainID)
		}
		if err := IsValidSignature(ctx, b.cfg.Client, f.Signer, digest, f.Signature); err != nil {
			return attest.SignatureCheck{}, err
		}
		return attest.SignatureCheck{Signer: f.Signer}, nil
	}
	signer, err := attest.RecoverSigner(digest, f.Signature)
	if err != nil {
		return attest.SignatureCheck{}, err
	}
	if signer != f.Signer {
		return attest.SignatureCheck{}, fmt.Errorf("%w: the signature recovers to %s, not to the signer the file names", attest.ErrSignature, signer.Hex())
	}
	return attest.SignatureCheck{Signer: signer}, nil
}

// RevocationType is the EIP-712 type of a registry revocation.
const RevocationType = "Revocation(string dataset,uint64 version,string reason,uint256 nonce)"

// RevocationDigest returns the digest stewards sign to revoke a version, as
// the contract's revocationDigest computes it.
func RevocationDigest(d attest.Domain, dataset string, version uint64, reason string, nonce uint64) common.Hash {
	sep, err := d.Separator()
	if err != nil {
		panic(err) // fixed types
	}
	var w [4][32]byte
	copy(w[0][:], crypto.Keccak256([]byte(RevocationType)))
	copy(w[1][:], crypto.Keccak256([]byte(dataset)))
	new(big.Int).SetUint64(version).FillBytes(w[2][:])
	copy(w[3][:], crypto.Keccak256([]byte(reason)))
	var n [32]byte
	new(big.Int).SetUint64(nonce).FillBytes(n[:])
	structHash := crypto.Keccak256Hash(w[0][:], w[1][:], w[2][:], w[3][:], n[:])
	return attest.TypedDigest(sep, structHash)
}

// SignRevocation returns a steward's signature of a revocation with the
// registry's current nonce (read from the chain unless nonce is given).
func (b *Backend) SignRevocation(ctx context.Context, s attest.Signer, st attest.Statement, reason string, nonce *uint64) (*attest.SignatureFile, error) {
	n, err := b.nonce(ctx, nonce)
	if err != nil {
		return nil, err
	}
	digest := RevocationDigest(b.Domain(), st.Dataset, st.Version, reason, n)
	sig, err := s.SignHash(ctx, digest)
	if err != nil {
		return nil, err
	}
	f := attest.NewSignatureFile(attest.KindRegistry, st, s.Address(), b.cfg.ChainID, time.Time{})
	addr := b.cfg.Address
	f.Purpose, f.Registry, f.Digest, f.Signature = attest.PurposeRevoke, &addr, digest, sig
	f.Revocation = &attest.RevocationTerms{Reason: reason, Nonce: n}
	return f, nil
}

func (b *Backend) nonce(ctx context.Context, given *uint64) (uint64, error) {
	if given != nil {
		return *given, nil
	}
	if err := b.needClient(); err != nil {
		return 0, err
	}
	n, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx}, b.abi.PackNonce(), b.abi.UnpackNonce)
	if err != nil {
		return 0, fmt.Errorf("%w: reading the registry nonce: %v", attest.ErrChain, err)
	}
	return n.Uint64(), nil
}

func (b *Backend) needClient() error {
	if b.cfg.Client == nil {
		return fmt.Errorf("%w: the registry backend needs an RPC endpoint for this (--rpc)", attest.ErrConfig)
	}
	return nil
}

func (b *Backend) instance() *bind.BoundContract { return b.abi.Instance(b.cfg.Client, b.cfg.Address) }

func binding(st attest.Statement) datasetregistry.DatasetRegistryStatement {
	return datasetregistry.DatasetRegistryStatement{Dataset: st.Dataset, Version: st.Version, MerkleRoot: st.MerkleRoot,
		RowCount: st.RowCount, ManifestHash: st.ManifestHash, ReportHash: st.ReportHash, ParentRoot: st.ParentRoot}
}

// Submit implements attest.Backend: one attest transaction with every signature.
func (b *Backend) Submit(ctx context.Context, st attest.Statement, sigs []*attest.SignatureFile, from attest.Signer) (*attest.Receipt, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	raw := make([]stewardSignature, len(sigs))
	for i, f := range sigs {
		raw[i] = stewardSignature{signer: f.Signer, sig: f.Signature}
	}
	rcpt, err := attest.SendTxWith(ctx, b.cfg.Client, b.cfg.Wait, from, b.cfg.ChainID, b.cfg.Address, b.abi.PackAttest(binding(st), encodeSignatures(raw)), b.abi.UnpackError, b.cfg.Tx)
	if err != nil {
		return nil, fmt.Errorf("attesting %s on the registry: %w", st.Ref(), err)
	}
	b.log.Info("attested on the registry", "version", st.Ref(), "tx", rcpt.TxHash.Hex(), "block", rcpt.BlockNumber)
	return &attest.Receipt{Backend: attest.KindRegistry, TxHash: rcpt.TxHash, Block: rcpt.BlockNumber.Uint64()}, nil
}

// Revoke implements attest.Backend: the revokers sign the revocation with
// the current nonce, together with the matching revocation signatures in ev,
// and from sends revoke(dataset, version, reason, signatures).
func (b *Backend) Revoke(ctx context.Context, st attest.Statement, reason string, ev *attest.Evidence, revokers []attest.Signer, from attest.Signer) (*attest.Receipt, error) {
	n, err := b.nonce(ctx, nil)
	if err != nil {
		return nil, err
	}
	seen := map[common.Address]bool{}
	var raw []stewardSignature
	for _, s := range revokers {
		f, err := b.SignRevocation(ctx, s, st, reason, &n)
		if err != nil {
			return nil, err
		}
		if !seen[f.Signer] {
			seen[f.Signer] = true
			raw = append(raw, stewardSignature{signer: f.Signer, sig: f.Signature})
		}
	}
	if ev != nil {
		for _, f := range ev.Signatures {
			if f.Purpose == attest.PurposeRevoke && f.Revocation != nil && f.Revocation.Reason == reason && f.Revocation.Nonce == n && !seen[f.Signer] {
				if _, err := b.CheckSignature(ctx, f, st); err == nil {
					seen[f.Signer] = true
					raw = append(raw, stewardSignature{signer: f.Signer, sig: f.Signature})
				}
			}
		}
	}
	if from == nil && len(revokers) > 0 {
		from = revokers[0]
	}
	if rc, err := b.checkRevocation(ctx, st, seen); err != nil || rc != nil {
		return rc, err
	}
	rcpt, err := attest.SendTxWith(ctx, b.cfg.Client, b.cfg.Wait, from, b.cfg.ChainID, b.cfg.Address,
		b.abi.PackRevoke(st.Dataset, st.Version, reason, encodeSignatures(raw)), b.abi.UnpackError, b.cfg.Tx)
	if err != nil {
		return nil, fmt.Errorf("revoking %s on the registry: %w", st.Ref(), err)
	}
	return &attest.Receipt{Backend: attest.KindRegistry, TxHash: rcpt.TxHash, Block: rcpt.BlockNumber.Uint64()}, nil
}

// TrustFromChain implements attest.Backend: the registry's current stewards
// and threshold (two calls).
func (b *Backend) TrustFromChain(ctx context.Context) (attest.Trust, bool, error) {
	if err := b.needClient(); err != nil {
		return attest.Trust{}, false, err
	}
	opts := &bind.CallOpts{Context: ctx}
	stewards, err := bind.Call(b.instance(), opts, b.abi.PackStewards(), b.abi.UnpackStewards)
	if err != nil {
		return attest.Trust{}, false, fmt.Errorf("%w: reading the registry's stewards at %s: %v", attest.ErrChain, b.cfg.Address.Hex(), err)
	}
	k, err := bind.Call(b.instance(), opts, b.abi.PackThreshold(), b.abi.UnpackThreshold)
	if err != nil {
		return attest.Trust{}, false, fmt.Errorf("%w: reading the registry's threshold: %v", attest.ErrChain, err)
	}
	return attest.Trust{Stewards: stewards, Threshold: int(k.Int64()), ChainID: b.cfg.ChainID, Contract: b.cfg.Address,
		Source: fmt.Sprintf("steward set of DatasetRegistry %s on chain %d", b.cfg.Address.Hex(), b.cfg.ChainID)}, true, nil
}

// CheckChain implements attest.Backend: one statementOf call, and one log
// query for the reason of a revocation.
func (b *Backend) CheckChain(ctx context.Context, st attest.Statement, _ *attest.Evidence, _ attest.Trust, _ time.Time) (*attest.ChainResult, error) {
	if err := b.needClient(); err != nil {
		return nil, err
	}
	rec, err := bind.Call(b.instance(), &bind.CallOpts{Context: ctx}, b.abi.PackStatementOf(st.Dataset, st.Version), b.abi.UnpackStatementOf)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the registry record of %s: %v", attest.ErrChain, st.Ref(), err)
	}
	res := &attest.ChainResult{}
	add := func(check string, ok bool, format string, args ...any) {
		res.Checks = append(res.Checks, attest.Check{Check: check, OK: ok, Detail: fmt.Sprintf(format, args...)})
	}
	if rec.AttestedBlock == 0 {
		add("registry.record", false, "the registry %s has no attestation of %s", b.cfg.Address.Hex(), st.Ref())
		res.Absent = true
		return res, nil
	}
	add("registry.record", true, "attested in block %d at %s", rec.AttestedBlock, time.Unix(int64(rec.AttestedAt), 0).UTC().Format(time.RFC3339))
	want := st.StructHash()
	okStmt := rec.StatementHash == want
	add("registry.statement", okStmt, "the registry's statement hash is %s, the data's statement hashes to %s (root on-chain %s, %d rows)",
		common.Hash(rec.StatementHash).Hex(), want.Hex(), datasets.Hash(rec.MerkleRoot), rec.RowCount)
	if rec.Revoked {
		res.Revoked = true
		add("registry.revoked", false, "revoked on the registry: %s", b.revocationReason(ctx, st, rec.AttestedBlock))
		return res, nil
	}
	add("registry.revoked", true, "not revoked")
	res.Attested = okStmt
	return res, nil
}

// revocationReason finds the Revoked event of a version (one log query).
func (b *Backend) revocationReason(ctx context.Context, st attest.Statement, from uint64) string {
	ev := b.abi.GetABI().Events["Revoked"]
	var ver common.Hash
	new(big.Int).SetUint64(st.Version).FillBytes(ver[:])
	logs, err := b.cfg.Client.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), Addresses: []common.Address{b.cfg.Address},
		Topics: [][]common.Hash{{ev.ID}, {crypto.Keccak256Hash([]byte(st.Dataset))}, {ver}},
	})
	if err != nil || len(logs) == 0 {
		return "the reason could not be read"
	}
	r, err := b.abi.UnpackRevokedEvent(&logs[len(logs)-1])
	if err != nil {
		return "the reason could not be decoded"
	}
	return fmt.Sprintf("%q (block %d, by %d stewards)", r.Reason, logs[len(logs)-1].BlockNumber, len(r.Signers))
}
