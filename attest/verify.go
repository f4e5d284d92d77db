package attest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// VerifyRequest is what Verify checks.
type VerifyRequest struct {
	// Backend checks signatures and, with Chain, the chain. It is
	// constructed for the evidence's target.
	Backend Backend
	// Data is the statement recomputed from the version's files.
	Data Statement
	// Evidence is the claimed attestation.
	Evidence *Evidence
	// Trust is the authorised steward set and where signatures must be bound.
	Trust Trust
	// Chain also checks the evidence against the chain.
	Chain bool
	// Now is the time expiry is checked at (zero means time.Now).
	Now time.Time
}

// Report is the outcome of Verify: one check per line, in order.
type Report struct {
	// Checks are the attestation checks.
	Checks []Check `json:"checks"`
	// Signers are the stewards whose signatures or attestations counted.
	Signers []common.Address `json:"signers"`
	// Threshold is k.
	Threshold int `json:"threshold"`
	pending   bool
	absent    map[string]bool // failed checks that only say "not attested yet"
}

func (r *Report) add(check string, ok bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Check: check, OK: ok, Detail: fmt.Sprintf(format, args...)})
}

// OK reports whether every check passed.
func (r *Report) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Err returns nil when every check passed; ErrPending when the only failure
// is that fewer than k stewards signed; ErrInvalid otherwise. The message
// names the first failed check and its reason.
func (r *Report) Err() error {
	var failed []Check
	for _, c := range r.Checks {
		if !c.OK {
			failed = append(failed, c)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	if r.onlyPending(failed) {
		msgs := make([]string, len(failed))
		for i, c := range failed {
			msgs[i] = c.Detail
			if c.Check != "threshold" {
				msgs[i] = c.Check + ": " + c.Detail
			}
		}
		return fmt.Errorf("%w: %s", ErrPending, strings.Join(msgs, "; "))
	}
	return fmt.Errorf("%w: %d check(s) failed; first: %s: %s", ErrInvalid, len(failed), failed[0].Check, failed[0].Detail)
}

// Verify checks evidence against the statement recomputed from the data and
// the trusted steward set: the statement, every signature (binding to the
// chain and contract, the signed statement, the signature itself, the
// signer's authorisation, expiry, duplicates), revocations, on-chain records
// when req.Chain, and the threshold. Failed checks are in the report; the
// error is for chain access failures only.
func Verify(ctx context.Context, req VerifyRequest) (*Report, error) {
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &Report{Threshold: req.Trust.Threshold}
	ev, t := req.Evidence, req.Trust
	if ev == nil {
		r.add("attestation", false, "no attestation evidence: the version was never signed (run groundtruth sign / attest)")
		return r, nil
	}
	target := req.Backend.Target()
	r.add("stewards", len(t.Stewards) > 0 && t.Threshold > 0 && t.Threshold <= len(t.Stewards),
		"%d authorised steward(s), threshold k = %d (%s)", len(t.Stewards), t.Threshold, t.Source)
	checkTarget(r, ev.Target, t)
	if bad := ev.Statement.Mismatches(req.Data); len(bad) > 0 {
		for _, m := range bad {
			r.add("statement."+m[0], false, "%s", m[1])
		}
	} else {
		r.add("statement", true, "%s matches the data: root %s, %d rows, manifest %s", ev.Statement.Ref(), req.Data.MerkleRoot, req.Data.RowCount, req.Data.ManifestHash)
	}
	valid, contractFailed := checkSignatures(ctx, r, req.Backend, target, ev, req.Data, t, now)
	var chain *ChainResult
	if req.Chain {
		var err error
		chain, err = req.Backend.CheckChain(ctx, req.Data, ev, t, now)
		if err != nil {
			return nil, err
		}
		r.Checks = append(r.Checks, chain.Checks...)
		if chain.Absent {
			r.absent = map[string]bool{}
			for _, c := range chain.Checks {
				if !c.OK {
					r.absent[c.Check] = true
				}
			}
		}
	}
	if chain != nil && chain.Attested {
		excuseContractSignatures(r, contractFailed)
	}
	checkRevocations(r, ev, chain)
	counted := valid
	if chain != nil && chain.Confirmed != nil {
		counted = map[common.Address]bool{}
		for a := range chain.Confirmed {
			if t.IsSteward(a) {
				counted[a] = true
			}
		}
	}
	for _, s := range t.Stewards {
		if counted[s] {
			r.Signers = append(r.Signers, s)
		}
	}
	switch {
	case chain != nil && chain.Attested:
		r.add("threshold", true, "the registry records %s as attested: its contract checked k = %d distinct steward signatures", req.Data.Ref(), t.Threshold)
	case t.Threshold > 0 && len(r.Signers) >= t.Threshold:
		r.add("threshold", true, "%d of %d stewards attested (k = %d): %s", len(r.Signers), len(t.Stewards), t.Threshold, addrList(r.Signers))
	default:
		r.pending = true
		r.add("threshold", false, "%d valid steward signature(s) of the %d needed (k = %d of %d)%s; waiting for %d more",
			len(r.Signers), t.Threshold, t.Threshold, len(t.Stewards), signedBy(r.Signers), max(t.Threshold-len(r.Signers), 0))
	}
	return r, nil
}

// onlyPending reports whether the failed checks only say that fewer than k
// stewards signed and the chain has no attestation yet.
func (r *Report) onlyPending(failed []Check) bool {
	if !r.pending {
		return false
	}
	for _, c := range failed {
		if c.Check != "threshold" && !r.absent[c.Check] {
			return false
		}
	}
	return true
}

// checkTarget compares the evidence's chain and contract with the trusted ones.
func checkTarget(r *Report, got Target, t Trust) {
	switch {
	case t.ChainID != 0 && got.ChainID != t.ChainID:
		r.add("attestation.chain", false, "attested on chain %d, expected chain %d", got.ChainID, t.ChainID)
	case t.Contract != (common.Address{}) && got.Contract != t.Contract:
		r.add("attestation.contract", false, "attested on contract %s, expected %s", got.Contract.Hex(), t.Contract.Hex())
	default:
		r.add("attestation.target", true, "%s on chain %d, contract %s", got.Backend, got.ChainID, got.Contract.Hex())
	}
}

// checkSignatures checks every attest signature and returns the distinct
// authorised, valid, unexpired signers, and the positions in r.Checks of
// contract steward signatures the contract rejects now.
func checkSignatures(ctx context.Context, r *Report, b Backend, target Target, ev *Evidence, data Statement, t Trust, now time.Time) (map[common.Address]bool, []int) {
	valid := map[common.Address]bool{}
	var contractFailed []int
	for i, f := range ev.Signatures {
		if f.Purpose != PurposeAttest {
			continue
		}
		name := fmt.Sprintf("signatures[%d]", i)
		fail := func(what, format string, args ...any) {
			r.add(name+"."+what, false, "%s: "+format, append([]any{f.Signer.Hex()}, args...)...)
		}
		switch {
		case f.Backend != target.Backend:
			fail("backend", "a %s signature, this attestation is %s", f.Backend, target.Backend)
		case t.ChainID != 0 && f.ChainID != t.ChainID:
			fail("chain", "signed for chain %d, expected chain %d", f.ChainID, t.ChainID)
		case t.Contract != (common.Address{}) && f.Contract() != t.Contract:
			fail("contract", "signed for contract %s, expected %s", f.Contract().Hex(), t.Contract.Hex())
		case f.Statement != data:
			fail("statement", "signs %s (root %s, manifest %s), not %s (root %s, manifest %s)",
				f.Statement.Ref(), f.Statement.MerkleRoot, f.Statement.ManifestHash, data.Ref(), data.MerkleRoot, data.ManifestHash)
		default:
			sc, err := b.CheckSignature(ctx, f, data)
			switch {
			case err != nil:
				if f.Scheme == SchemeEIP1271 && !errors.Is(err, ErrUnverifiable) && errors.Is(err, ErrSignature) {
					contractFailed = append(contractFailed, len(r.Checks))
				}
				fail("signature", "%s", strings.TrimPrefix(err.Error(), ErrSignature.Error()+": "))
			case !t.IsSteward(sc.Signer):
				fail("steward", "not an authorised steward (%s)", t.Source)
			case sc.Expires != 0 && uint64(now.Unix()) >= sc.Expires:
				fail("expiry", "expired at %s", time.Unix(int64(sc.Expires), 0).UTC().Format(time.RFC3339))
			case valid[sc.Signer]:
				fail("duplicate", "a second signature by the same steward does not count twice")
			default:
				valid[sc.Signer] = true
				exp := "no expiry"
				if sc.Expires != 0 {
					exp = "expires " + time.Unix(int64(sc.Expires), 0).UTC().Format(time.RFC3339)
				}
				kind := f.Backend
				if f.Scheme == SchemeEIP1271 {
					kind += " contract (EIP-1271, accepted by the steward contract now)"
				}
				r.add(name, true, "%s: valid %s signature of an authorised steward, %s", f.Signer.Hex(), kind, exp)
			}
		}
	}
	return valid, contractFailed
}

// excuseContractSignatures turns the failed checks of contract steward
// signatures into passed ones when the registry records the attestation: a
// contract's answer can change (a Safe's owners or threshold changed), and
// the registry checked the signature when it recorded the statement.
func excuseContractSignatures(r *Report, idx []int) {
	for _, i := range idx {
		c := &r.Checks[i]
		c.OK = true
		c.Check = strings.TrimSuffix(c.Check, ".signature")
		c.Detail += "; not needed: the registry checked this contract steward's signature when it recorded the attestation (a contract's answer can change)"
	}
}

// checkRevocations reports known revocations (the chain's were reported by
// the backend's checks).
func checkRevocations(r *Report, ev *Evidence, chain *ChainResult) {
	if len(ev.Revocations) > 0 {
		v := ev.Revocations[len(ev.Revocations)-1]
		r.add("revocation", false, "revoked on %s at %s by %s: %s", v.Backend, v.At, addrList(v.By), v.Reason)
		return
	}
	if chain != nil && chain.Revoked {
		return
	}
	where := "in the evidence"
	if chain != nil {
		where = "in the evidence or on the chain"
	}
	r.add("revocation", true, "no revocation %s", where)
}

func addrList(as []common.Address) string {
	if len(as) == 0 {
		return "nobody"
	}
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.Hex()
	}
	return strings.Join(s, ", ")
}

func signedBy(as []common.Address) string {
	if len(as) == 0 {
		return ""
	}
	return " from " + addrList(as)
}
