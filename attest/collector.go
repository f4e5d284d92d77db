package attest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Version statuses in the catalog (gt.versions.status).
const (
	StatusSealed   = "sealed"
	StatusPending  = "pending"
	StatusAttested = "attested"
	StatusRevoked  = "revoked"
)

// Catalog is where the Collector keeps signatures and evidence between
// runs; *store.Store implements it. Documents are JSON.
type Catalog interface {
	// Signatures returns the signature files recorded for a version and backend.
	Signatures(ctx context.Context, dataset string, version uint64, backend string) ([][]byte, error)
	// PutSignature records (or replaces) a signer's signature file.
	PutSignature(ctx context.Context, dataset string, version uint64, backend, signer string, doc []byte) error
	// PutAttestation records the evidence of an anchored version.
	PutAttestation(ctx context.Context, dataset string, version uint64, backend, ref string, doc []byte) error
	// SetVersionStatus sets the version's status.
	SetVersionStatus(ctx context.Context, dataset string, version uint64, status string) error
}

// Policy says who may attest and how many must.
type Policy struct {
	// Stewards are the authorised stewards.
	Stewards []common.Address
	// Threshold is k.
	Threshold int
	// AutoSign, when set, is the pipeline's own key: it signs every
	// statement the Collector handles and counts as one of the k when it
	// is a steward.
	AutoSign Signer
	// Sign are the options of the automatic signature.
	Sign SignOptions
}

// Collector gathers steward signatures of a statement and submits them to
// the backend once k distinct authorised stewards signed. The pipeline calls
// it after sealing; `groundtruth attest` calls it with signature files.
type Collector struct {
	// Backend anchors the statement.
	Backend Backend
	// Policy is the steward set, the threshold and the automatic signer.
	Policy Policy
	// Catalog keeps signatures between runs (nil keeps nothing).
	Catalog Catalog
	// Submitter pays for the transaction (nil: the automatic signer).
	Submitter Signer
	// Log receives progress messages (nil discards them).
	Log *slog.Logger
}

// Rejection is a signature the Collector did not count, and why.
type Rejection struct {
	// Signer is the file's signer.
	Signer common.Address `json:"signer"`
	// Reason says why it was not counted.
	Reason string `json:"reason"`
}

// Result is what Collect found and did.
type Result struct {
	// Status is StatusPending, StatusAttested, or StatusRevoked when the
	// anchor found on the chain has been revoked since.
	Status string `json:"status"`
	// Accepted are the counted signatures, one per steward.
	Accepted []*SignatureFile `json:"-"`
	// Signers are the accepted signers.
	Signers []common.Address `json:"signers"`
	// Rejected are the signatures that did not count.
	Rejected []Rejection `json:"rejected"`
	// Threshold is k.
	Threshold int `json:"threshold"`
	// Receipt is the anchoring transaction, when submitted.
	Receipt *Receipt `json:"receipt,omitempty"`
	// Adopted is true when the anchor was found on the chain (sent by an
	// earlier, interrupted run or by someone else) rather than sent now.
	Adopted bool `json:"adopted,omitempty"`
	// Evidence is the evidence recorded.
	Evidence *Evidence `json:"-"`
}

// Collect gathers the signatures of st (the catalog's, extra, and the
// automatic signer's), records the new ones, and submits when k distinct
// authorised stewards signed. With fewer it records the version as pending
// and returns a Result with StatusPending and no error.
func (c *Collector) Collect(ctx context.Context, st Statement, extra []*SignatureFile) (*Result, error) {
	log := c.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	target := c.Backend.Target()
	trust := Trust{Stewards: c.Policy.Stewards, Threshold: c.Policy.Threshold, ChainID: target.ChainID, Contract: target.Contract, Source: "attestation policy"}
	if trust.Threshold <= 0 || trust.Threshold > len(trust.Stewards) {
		return nil, fmt.Errorf("%w: threshold k = %d with %d stewards", ErrConfig, trust.Threshold, len(trust.Stewards))
	}
	files, err := c.catalogSignatures(ctx, st, target.Backend)
	if err != nil {
		return nil, err
	}
	files = append(files, extra...)
	if c.Policy.AutoSign != nil && !hasSigner(files, c.Policy.AutoSign.Address()) {
		f, err := c.Backend.Sign(ctx, c.Policy.AutoSign, st, c.Policy.Sign)
		if err != nil {
			return nil, fmt.Errorf("automatic signature by %s: %w", c.Policy.AutoSign.Address().Hex(), err)
		}
		files = append(files, f)
	}
	ev := NewEvidence(target, st)
	ev.Signatures = append(ev.Signatures, files...)
	rep, err := Verify(ctx, VerifyRequest{Backend: c.Backend, Data: st, Evidence: ev, Trust: trust})
	if err != nil {
		return nil, err
	}
	res := &Result{Threshold: trust.Threshold, Evidence: NewEvidence(target, st)}
	res.Evidence.DeclaredTrust = &trust
	for _, chk := range rep.Checks {
		if !strings.HasPrefix(chk.Check, "signatures[") || chk.OK {
			continue
		}
		var i int
		fmt.Sscanf(chk.Check, "signatures[%d]", &i)
		res.Rejected = append(res.Rejected, Rejection{Signer: files[i].Signer, Reason: chk.Check + ": " + chk.Detail})
	}
	accepted := map[common.Address]bool{}
	for _, s := range rep.Signers {
		accepted[s] = true
	}
	for _, f := range files {
		if accepted[f.Signer] && f.Purpose == PurposeAttest && res.Evidence.AddSignature(f) {
			res.Accepted = append(res.Accepted, f)
			res.Signers = append(res.Signers, f.Signer)
			if err := c.record(ctx, st, f); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range res.Rejected {
		log.Warn("signature not counted", "version", st.Ref(), "signer", r.Signer.Hex(), "reason", r.Reason)
	}
	if len(res.Accepted) < trust.Threshold {
		// Below k nothing is sent; an anchor made elsewhere (a crashed run's,
		// another process's) is adopted when the chain can be read. Without
		// an RPC endpoint (signatures gathered offline) the version is pending.
		if rc, err := c.findAnchor(ctx, st, res.Accepted); err != nil && !errors.Is(err, ErrConfig) {
			return nil, err
		} else if rc != nil {
			return res, c.anchored(ctx, st, res, rc, true)
		}
		res.Status = StatusPending
		log.Info("version pending", "version", st.Ref(), "signatures", len(res.Accepted), "threshold", trust.Threshold)
		if err := c.putEvidence(ctx, st, res.Evidence, "pending"); err != nil {
			return nil, err
		}
		return res, c.setStatus(ctx, st, StatusPending)
	}
	from := c.Submitter
	if from == nil {
		from = c.Policy.AutoSign
	}
	rcpt, adopted, err := c.submit(ctx, st, res.Accepted, from)
	if err != nil {
		return nil, err
	}
	return res, c.anchored(ctx, st, res, rcpt, adopted)
}

// anchored records an anchor (sent now, or adopted from the chain) in the
// result and the catalog, and sets the version attested.
func (c *Collector) anchored(ctx context.Context, st Statement, res *Result, rcpt *Receipt, adopted bool) error {
	log := c.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	res.Status, res.Receipt, res.Adopted = StatusAttested, rcpt, adopted
	res.Evidence.Receipts = append(res.Evidence.Receipts, rcpt)
	if adopted {
		log.Info("adopted the attestation found on the chain", "version", st.Ref(), "backend", rcpt.Backend, "tx", rcpt.TxHash.Hex(), "block", rcpt.Block)
	} else {
		log.Info("version attested", "version", st.Ref(), "backend", rcpt.Backend, "tx", rcpt.TxHash.Hex(), "signers", len(res.Accepted))
	}
	if c.Catalog != nil {
		for _, f := range res.Accepted { // EAS submission filled in the UIDs
			if err := c.record(ctx, st, f); err != nil {
				return err
			}
		}
		if err := c.putEvidence(ctx, st, res.Evidence, rcpt.TxHash.Hex()); err != nil {
			return err
		}
	}
	if rcpt.Revoked {
		res.Status = StatusRevoked
		log.Warn("the attestation found on the chain has been revoked", "version", st.Ref(), "tx", rcpt.TxHash.Hex())
		return c.setStatus(ctx, st, StatusRevoked)
	}
	return c.setStatus(ctx, st, StatusAttested)
}

// putEvidence records the evidence (ref "pending" for a version that waits
// for signatures: it keeps the policy the signatures were checked against).
func (c *Collector) putEvidence(ctx context.Context, st Statement, ev *Evidence, ref string) error {
	if c.Catalog == nil {
		return nil
	}
	doc, err := ev.Marshal()
	if err != nil {
		return err
	}
	return c.Catalog.PutAttestation(ctx, st.Dataset, st.Version, ev.Target.Backend, ref, doc)
}

func (c *Collector) catalogSignatures(ctx context.Context, st Statement, backend string) ([]*SignatureFile, error) {
	if c.Catalog == nil {
		return nil, nil
	}
	docs, err := c.Catalog.Signatures(ctx, st.Dataset, st.Version, backend)
	if err != nil {
		return nil, err
	}
	var out []*SignatureFile
	for _, d := range docs {
		f, err := ParseSignatureFile(d)
		if err != nil {
			return nil, fmt.Errorf("catalog signature of %s: %w", st.Ref(), err)
		}
		out = append(out, f)
	}
	return out, nil
}

func (c *Collector) record(ctx context.Context, st Statement, f *SignatureFile) error {
	if c.Catalog == nil {
		return nil
	}
	doc, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return c.Catalog.PutSignature(ctx, st.Dataset, st.Version, f.Backend, f.Signer.Hex(), doc)
}

func (c *Collector) setStatus(ctx context.Context, st Statement, status string) error {
	if c.Catalog == nil {
		return nil
	}
	return c.Catalog.SetVersionStatus(ctx, st.Dataset, st.Version, status)
}

func hasSigner(files []*SignatureFile, a common.Address) bool {
	for _, f := range files {
		if f.Signer == a && f.Purpose == PurposeAttest {
			return true
		}
	}
	return false
}
