package offchain

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"path"
	"reflect"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	easbind "github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eas"
	"github.com/groundtruth-dao/groundtruth/attest/eas"
	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Config configures the off-chain backend.
type Config struct {
	// Client reads the chain (revocations) and sends revocations; nil
	// allows signing and offline checks only.
	Client attest.Client
	// Wait waits for transactions (nil: bind.WaitMined).
	Wait attest.WaitFunc
	// ChainID is the chain of the EAS contract the attestations name.
	ChainID uint64
	// Address is the EAS contract.
	Address common.Address
	// Version is the EAS contract's version string; empty reads it.
	Version string
	// Root is the data directory Submit stores attestations in ("" stores nothing).
	Root string
	// Log receives progress messages (nil discards them).
	Log *slog.Logger
}

// Backend implements attest.Backend with EAS off-chain attestations.
type Backend struct {
	cfg Config
	abi *easbind.EAS
	log *slog.Logger
}

var _ attest.Backend = (*Backend)(nil)

// New returns an off-chain backend; without cfg.Version it reads the EAS
// contract's version (one call).
func New(ctx context.Context, cfg Config) (*Backend, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Version == "" {
		v, err := eas.ReadVersion(ctx, cfg.Client, cfg.Address)
		if err != nil {
			return nil, err
		}
		cfg.Version = v
	}
	return &Backend{cfg: cfg, abi: easbind.NewEAS(), log: cfg.Log}, nil
}

// Target implements attest.Backend.
func (b *Backend) Target() attest.Target {
	schema := attest.EASSchemaUID()
	return attest.Target{Backend: attest.KindOffchain, ChainID: b.cfg.ChainID, Contract: b.cfg.Address, Schema: &schema, EASVersion: b.cfg.Version}
}

// Path returns where an attestation of a version is stored, relative to
// the data directory.
func Path(manifestHash datasets.Hash, uid common.Hash) string {
	h := manifestHash.Hex()
	return path.Join("attestations", h[:2], h, uid.Hex()+".json")
}

// Sign implements attest.Backend: an off-chain attestation of st by s.
func (b *Backend) Sign(ctx context.Context, s attest.Signer, st attest.Statement, opts attest.SignOptions) (*attest.SignatureFile, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	salt := opts.Salt
	if salt == (common.Hash{}) {
		if _, err := rand.Read(salt[:]); err != nil {
			return nil, err
		}
	}
	msg := Message{Version: Version, Schema: attest.EASSchemaUID().Hex(), Recipient: common.Address{}.Hex(),
		Time: Uint(now.Unix()), Revocable: true, RefUID: opts.RefUID.Hex(),
		Data: hexutil.Encode(attest.EncodeSchemaData(st)), Salt: salt.Hex()}
	if opts.Validity > 0 {
		msg.ExpirationTime = Uint(now.Add(opts.Validity).Unix())
	}
	a := Attestation{Domain: Domain{Name: DomainName, Version: b.cfg.Version, ChainID: Uint(b.cfg.ChainID), VerifyingContract: b.cfg.Address.Hex()},
		PrimaryType: "Attest", Types: map[string][]Type{"Attest": AttestTypes}, Message: msg, Version: Version}
	uid, err := UID(msg)
	if err != nil {
		return nil, err
	}
	digest, err := a.Digest()
	if err != nil {
		return nil, err
	}
	sig, err := s.SignHash(ctx, digest)
	if err != nil {
		return nil, err
	}
	a.UID = uid.Hex()
	a.Signature = Signature{V: sig[64], R: hexutil.Encode(sig[:32]), S: hexutil.Encode(sig[32:64])}
	raw, err := json.Marshal(Package{Sig: a, Signer: s.Address().Hex()})
	if err != nil {
		return nil, err
	}
	f := attest.NewSignatureFile(attest.KindOffchain, st, s.Address(), b.cfg.ChainID, now)
	addr := b.cfg.Address
	f.EAS, f.Digest, f.Signature, f.Offchain = &addr, digest, sig, raw
	return f, nil
}

// Verify checks a package the way the SDK's verifyOffchainAttestationSignature
// does, plus the format: version 2, the Attest types, the domain name, the
// UID and the signature by the package's signer. It returns the UID.
func Verify(p *Package) (common.Hash, error) {
	a := &p.Sig
	switch {
	case a.Version != Version || a.Message.Version != Version:
		return common.Hash{}, fmt.Errorf("%w: off-chain attestation version %d/%d, want %d", attest.ErrSignature, a.Version, a.Message.Version, Version)
	case a.PrimaryType != "Attest" || !reflect.DeepEqual(a.Types, map[string][]Type{"Attest": AttestTypes}):
		return common.Hash{}, fmt.Errorf("%w: the attestation's types are not EAS's version 2 Attest", attest.ErrSignature)
	case a.Domain.Name != DomainName:
		return common.Hash{}, fmt.Errorf("%w: domain name %q, want %q", attest.ErrSignature, a.Domain.Name, DomainName)
	}
	uid, err := UID(a.Message)
	if err != nil {
		return common.Hash{}, err
	}
	if claimed, err := word(a.UID); err != nil || claimed != uid {
		return common.Hash{}, fmt.Errorf("%w: the attestation's uid %s is not the UID of its message (%s)", attest.ErrSignature, a.UID, uid.Hex())
	}
	digest, err := a.Digest()
	if err != nil {
		return common.Hash{}, err
	}
	r, err1 := word(a.Signature.R)
	s, err2 := word(a.Signature.S)
	if err1 != nil || err2 != nil {
		return common.Hash{}, fmt.Errorf("%w: malformed r or s", attest.ErrSignature)
	}
	signer, err := attest.RecoverSigner(digest, append(append(r.Bytes(), s.Bytes()...), a.Signature.V))
	if err != nil {
		return common.Hash{}, err
	}
	claimed, err := addr(p.Signer)
	if err != nil {
		return common.Hash{}, err
	}
	if signer != claimed {
		return common.Hash{}, fmt.Errorf("%w: the signature recovers to %s, not to the signer %s", attest.ErrSignature, signer.Hex(), claimed.Hex())
	}
	return uid, nil
}

// CheckSignature implements attest.Backend: the package must verify, carry
// the groundtruth schema and data equal to the statement, and be bound to
// the chain and EAS contract the file names.
func (b *Backend) CheckSignature(_ context.Context, f *attest.SignatureFile, st attest.Statement) (attest.SignatureCheck, error) {
	if f.Backend != attest.KindOffchain || f.EAS == nil || len(f.Offchain) == 0 {
		return attest.SignatureCheck{}, fmt.Errorf("%w: not an EAS off-chain attestation", attest.ErrSignature)
	}
	p, err := ParsePackage(f.Offchain)
	if err != nil {
		return attest.SignatureCheck{}, err
	}
	if _, err := Verify(p); err != nil {
		return attest.SignatureCheck{}, err
	}
	a := p.Sig
	signer := common.HexToAddress(p.Signer)
	contract, _ := addr(a.Domain.VerifyingContract)
	switch schema, _ := word(a.Message.Schema); {
	case signer != f.Signer:
		return attest.SignatureCheck{}, fmt.Errorf("%w: the attestation is by %s, the file names another signer", attest.ErrSignature, signer.Hex())
	case uint64(a.Domain.ChainID) != f.ChainID || contract != *f.EAS:
		return attest.SignatureCheck{}, fmt.Errorf("%w: the attestation is for chain %d and EAS %s, the file says chain %d and %s",
			attest.ErrSignature, a.Domain.ChainID, contract.Hex(), f.ChainID, f.EAS.Hex())
	case schema != attest.EASSchemaUID():
		return attest.SignatureCheck{}, fmt.Errorf("%w: schema %s is not the groundtruth schema %s", attest.ErrSignature, a.Message.Schema, attest.EASSchemaUID().Hex())
	}
	data, _ := hexutil.Decode(a.Message.Data)
	got, err := attest.DecodeSchemaData(data)
	if err != nil {
		return attest.SignatureCheck{}, fmt.Errorf("%w: %v", attest.ErrSignature, err)
	}
	want := f.Statement
	want.ParentRoot = datasets.Hash{}
	if got != want {
		return attest.SignatureCheck{}, fmt.Errorf("%w: the attestation's data attests %s (root %s), the file's statement is %s (root %s)",
			attest.ErrSignature, got.Ref(), got.MerkleRoot, want.Ref(), want.MerkleRoot)
	}
	return attest.SignatureCheck{Signer: signer, Expires: uint64(a.Message.ExpirationTime)}, nil
}

// FileFromPackage wraps a package made elsewhere (by the EAS SDK, say) in
// a signature file, with parentRoot completing the statement its data
// carries. The package is verified first.
func FileFromPackage(raw []byte, parentRoot datasets.Hash) (*attest.SignatureFile, error) {
	p, err := ParsePackage(raw)
	if err != nil {
		return nil, err
	}
	if _, err := Verify(p); err != nil {
		return nil, err
	}
	data, _ := hexutil.Decode(p.Sig.Message.Data)
	st, err := attest.DecodeSchemaData(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", attest.ErrSignature, err)
	}
	st.ParentRoot = parentRoot
	contract, _ := addr(p.Sig.Domain.VerifyingContract)
	r, _ := word(p.Sig.Signature.R)
	s, _ := word(p.Sig.Signature.S)
	f := attest.NewSignatureFile(attest.KindOffchain, st, common.HexToAddress(p.Signer), uint64(p.Sig.Domain.ChainID), time.Unix(int64(p.Sig.Message.Time), 0))
	f.EAS, f.Offchain = &contract, raw
	f.Signature = append(append(r.Bytes(), s.Bytes()...), p.Sig.Signature.V)
	f.Digest, _ = p.Sig.Digest()
	return f, nil
}

// uidOf returns the UID of a file's package.
func uidOf(f *attest.SignatureFile) (common.Hash, bool) {
	p, err := ParsePackage(f.Offchain)
	if err != nil {
		return common.Hash{}, false
	}
	uid, err := word(p.Sig.UID)
	return uid, err == nil
}

// Submit implements attest.Backend: off-chain attestations need no
// transaction; it stores each package beside the manifest.
func (b *Backend) Submit(_ context.Context, st attest.Statement, sigs []*attest.SignatureFile, _ attest.Signer) (*attest.Receipt, error) {
	rc := &attest.Receipt{Backend: attest.KindOffchain, UIDs: map[common.Address]common.Hash{}}
	for _, f := range sigs {
		uid, ok := uidOf(f)
		if !ok {
			return nil, fmt.Errorf("%w: %s's off-chain attestation has no UID", attest.ErrSignature, f.Signer.Hex())
		}
		rc.UIDs[f.Signer] = uid
		if b.cfg.Root == "" {
			continue
		}
		if err := datasets.WriteFileAtomic(b.cfg.Root, Path(st.ManifestHash, uid), append(append([]byte(nil), f.Offchain...), '\n')); err != nil {
			return nil, fmt.Errorf("storing off-chain attestation %s: %w", uid.Hex(), err)
		}
	}
	b.log.Info("off-chain attestations stored", "version", st.Ref(), "count", len(sigs))
	return rc, nil
}

// Revoke implements attest.Backend: each revoker calls EAS's
// revokeOffchain(uid) for their attestation from their own account (EAS
// records the revocation under the sender); from is not used.
func (b *Backend) Revoke(ctx context.Context, st attest.Statement, reason string, ev *attest.Evidence, revokers []attest.Signer, _ attest.Signer) (*attest.Receipt, error) {
	if b.cfg.Client == nil {
		return nil, fmt.Errorf("%w: revoking an off-chain attestation is a transaction: give --rpc", attest.ErrConfig)
	}
	var last *attest.Receipt
	for _, s := range revokers {
		var uid common.Hash
		found := false
		for _, f := range ev.Signatures {
			if f.Signer == s.Address() && f.Backend == attest.KindOffchain {
				uid, found = uidOf(f)
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: %s has no off-chain attestation of %s to revoke", attest.ErrConfig, s.Address().Hex(), st.Ref())
		}
		rcpt, err := attest.SendTx(ctx, b.cfg.Client, b.cfg.Wait, s, b.cfg.ChainID, b.cfg.Address, b.abi.PackRevokeOffchain(uid), b.abi.UnpackError)
		if err != nil {
			return nil, fmt.Errorf("revoking off-chain attestation %s of %s (%s): %w", uid.Hex(), st.Ref(), reason, err)
		}
		last = &attest.Receipt{Backend: attest.KindOffchain, TxHash: rcpt.TxHash, Block: rcpt.BlockNumber.Uint64()}
	}
	if last == nil {
		return nil, fmt.Errorf("%w: no steward key to revoke with", attest.ErrConfig)
	}
	return last, nil
}

// TrustFromChain implements attest.Backend: EAS has no steward set.
func (b *Backend) TrustFromChain(context.Context) (attest.Trust, bool, error) {
	return attest.Trust{}, false, nil
}

// CheckChain implements attest.Backend: one getRevokeOffchain call per
// attestation.
func (b *Backend) CheckChain(ctx context.Context, st attest.Statement, ev *attest.Evidence, _ attest.Trust, now time.Time) (*attest.ChainResult, error) {
	if b.cfg.Client == nil {
		return nil, fmt.Errorf("%w: checking off-chain revocations needs --rpc", attest.ErrConfig)
	}
	res := &attest.ChainResult{Confirmed: map[common.Address]bool{}}
	for i, f := range ev.Signatures {
		if f.Purpose != attest.PurposeAttest || f.Backend != attest.KindOffchain || f.Statement != st {
			continue
		}
		sc, err := b.CheckSignature(ctx, f, st)
		if err != nil || (sc.Expires != 0 && uint64(now.Unix()) >= sc.Expires) {
			continue // reported by the offline checks
		}
		uid, _ := uidOf(f)
		t, err := bind.Call(b.abi.Instance(b.cfg.Client, b.cfg.Address), &bind.CallOpts{Context: ctx},
			b.abi.PackGetRevokeOffchain(sc.Signer, uid), b.abi.UnpackGetRevokeOffchain)
		if err != nil {
			return nil, fmt.Errorf("%w: reading the off-chain revocation of %s: %v", attest.ErrChain, uid.Hex(), err)
		}
		name := fmt.Sprintf("offchain[%d]", i)
		if t != 0 {
			res.Revoked = true
			res.Checks = append(res.Checks, attest.Check{Check: name + ".revoked", Detail: fmt.Sprintf("off-chain attestation %s by %s was revoked on EAS %s at %s",
				uid.Hex(), sc.Signer.Hex(), b.cfg.Address.Hex(), time.Unix(int64(t), 0).UTC().Format(time.RFC3339))})
			continue
		}
		res.Confirmed[sc.Signer] = true
		res.Checks = append(res.Checks, attest.Check{Check: name, OK: true, Detail: fmt.Sprintf("off-chain attestation %s by %s is not revoked on EAS %s", uid.Hex(), sc.Signer.Hex(), b.cfg.Address.Hex())})
	}
	return res, nil
}
