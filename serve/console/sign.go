package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/qdecision"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// MaxDecisionAge is how old the decidedAt of a decision handed to the
// wallet may be when its signature comes back.
const MaxDecisionAge = 15 * time.Minute

// decisionRequest asks for the typed data of a decision, or records a
// signed one.
type decisionRequest struct {
	Decision  string `json:"decision"`
	Reason    string `json:"reason"`
	Steward   string `json:"steward"`
	DecidedAt uint64 `json:"decidedAt,omitempty"`
	Signature string `json:"signature,omitempty"`
}

// decision returns the decision the request describes on entry e
// (qdecision.For, as `quarantine approve|reject` makes it).
func (q *decisionRequest) decision(e *store.QuarantineEntry, dep attest.Deployment) (attest.Decision, error) {
	if !common.IsHexAddress(q.Steward) {
		return attest.Decision{}, fmt.Errorf("%w: steward %q is not an address", ErrBadRequest, q.Steward)
	}
	d, err := qdecision.For(e, dep, q.Decision, q.Reason, common.HexToAddress(q.Steward), q.DecidedAt)
	if err != nil {
		return attest.Decision{}, fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	return d, nil
}

// deployment is what decisions are bound to: the chain and contract of the
// collector's backend (zero without one).
func deployment(col *attest.Collector) attest.Deployment {
	if col == nil || col.Backend == nil {
		return attest.Deployment{}
	}
	return attest.DeploymentOf(col.Backend.Target())
}

// pendingEntry returns the entry of the {id} path value, which must be
// undecided and whose shown values must be its stored row (the row a
// decision signs): otherwise pipeline.ErrRowMismatch (409), and nothing
// is handed to a wallet or recorded.
func (c *Console) pendingEntry(ctx context.Context, id string) (*store.QuarantineEntry, error) {
	e, err := c.cfg.Store.QuarantineGet(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := inScope(ctx, e.Dataset, fmt.Sprintf("no quarantine entry %q", id)); err != nil {
		return nil, err
	}
	if e, err = qdecision.Pending(ctx, c.cfg.Store, id); err != nil {
		return nil, err
	}
	if _, _, err := pipeline.EntryRow(e, nil); err != nil {
		return nil, fmt.Errorf("%w; refusing to sign a row other than the one shown (groundtruth quarantine show %s)", err, e.ID)
	}
	return e, nil
}

// handleDecisionTypedData answers the EIP-712 typed data of a decision
// (attest.Decision.TypedData, as `quarantine approve` signs it) for the
// steward's wallet, with decidedAt set now.
func (c *Console) handleDecisionTypedData(w http.ResponseWriter, r *http.Request) error {
	if err := c.writable(); err != nil {
		return err
	}
	var q decisionRequest
	if err := readJSON(r, &q); err != nil {
		return err
	}
	e, err := c.pendingEntry(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	col, err := c.collector(r.Context())
	if err != nil {
		return err
	}
	q.DecidedAt = uint64(c.cfg.Now().Unix())
	d, err := q.decision(e, deployment(col))
	if err != nil {
		return err
	}
	if !isSteward(col, d.Steward.Hex()) {
		return fmt.Errorf("%w: %s is not one of the %d stewards: its decision would be refused", ErrNotSteward, d.Steward.Hex(), len(col.Policy.Stewards))
	}
	return writeTypedData(w, d.TypedData(), d.Digest(), map[string]any{"decidedAt": d.DecidedAt})
}

// handleDecision verifies a signed decision as `quarantine approve` does
// (the signature recovers to the named steward, a member of the steward
// set; the entry is still pending) and records it with the same store call.
func (c *Console) handleDecision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := c.writable(); err != nil {
		return err
	}
	var q decisionRequest
	if err := readJSON(r, &q); err != nil {
		return err
	}
	e, err := c.pendingEntry(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	col, err := c.collector(ctx)
	if err != nil {
		return err
	}
	d, err := q.decision(e, deployment(col))
	if err != nil {
		return err
	}
	at := time.Unix(int64(d.DecidedAt), 0).UTC()
	if now := c.cfg.Now(); at.After(now.Add(time.Minute)) || now.Sub(at) > MaxDecisionAge {
		return fmt.Errorf("%w: decidedAt %s is not within the last %s: ask for the typed data again", ErrBadRequest, at.Format(time.RFC3339), MaxDecisionAge)
	}
	sig, err := hexutil.Decode(q.Signature)
	if err != nil || len(sig) != 65 {
		return fmt.Errorf("%w: signature %q: want 0x and 65 bytes", ErrBadRequest, q.Signature)
	}
	if err := attest.VerifyDecision(d, sig); err != nil {
		return err
	}
	if !isSteward(col, d.Steward.Hex()) {
		return fmt.Errorf("%w: %s is not a steward: its decision is refused", ErrNotSteward, d.Steward.Hex())
	}
	out, err := qdecision.Record(ctx, c.cfg.Store, d, sig)
	if err != nil {
		return err
	}
	c.log.Info("console: signed quarantine decision recorded", "entry", out.ID, "dataset", out.Dataset, "decision", out.Status, "steward", out.Steward)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// statementOf returns the statement of the {dataset}/{version} path values
// and the registry backend that signs it.
func (c *Console) statementOf(r *http.Request) (attest.Statement, *attest.Collector, *registry.Backend, error) {
	if err := c.writable(); err != nil {
		return attest.Statement{}, nil, nil, err
	}
	ds := r.PathValue("dataset")
	ver, err := strconv.ParseUint(r.PathValue("version"), 10, 64)
	if err != nil || ver == 0 {
		return attest.Statement{}, nil, nil, fmt.Errorf("%w: version %q: want a number from 1", ErrBadRequest, r.PathValue("version"))
	}
	if err := inScope(r.Context(), ds, fmt.Sprintf("no dataset %q", ds)); err != nil {
		return attest.Statement{}, nil, nil, err
	}
	rec, err := c.cfg.Store.Version(r.Context(), ds, ver)
	if err != nil {
		return attest.Statement{}, nil, nil, err
	}
	status, err := c.cfg.Store.VersionStatus(r.Context(), ds, ver)
	if err != nil {
		return attest.Statement{}, nil, nil, err
	}
	if status != attest.StatusPending && status != "sealed" {
		return attest.Statement{}, nil, nil, fmt.Errorf("%w: %s@%d is %s, not pending: there is nothing to co-sign", store.ErrConflict, ds, ver, status)
	}
	col, err := c.collector(r.Context())
	if err != nil {
		return attest.Statement{}, nil, nil, err
	}
	rb, ok := col.Backend.(*registry.Backend)
	if !ok {
		return attest.Statement{}, nil, nil, fmt.Errorf("%w: co-signing in the browser works with the registry backend (an EAS request binds the attester's nonce and expiry)", ErrBadRequest)
	}
	return attest.StatementOf(rec.Manifest, rec.ManifestHash), col, rb, nil
}

// handleStatementTypedData answers a pending version's statement as the
// registry's EIP-712 typed data (`groundtruth sign --typed-data`).
func (c *Console) handleStatementTypedData(w http.ResponseWriter, r *http.Request) error {
	st, _, rb, err := c.statementOf(r)
	if err != nil {
		return err
	}
	return writeTypedData(w, st.TypedData(rb.Domain()), st.Digest(rb.Domain()), map[string]any{"ref": st.Ref()})
}

// handleCosign imports a wallet's signature of a pending version's
// statement as `groundtruth sign --signature` does (it recovers over the
// statement's digest in the registry's domain to a steward), records it
// and hands it to the collector, which submits once k stewards signed.
func (c *Console) handleCosign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var q struct {
		Signature string `json:"signature"`
	}
	if err := readJSON(r, &q); err != nil {
		return err
	}
	st, col, rb, err := c.statementOf(r)
	if err != nil {
		return err
	}
	sig, err := hexutil.Decode(q.Signature)
	if err != nil || len(sig) != 65 {
		return fmt.Errorf("%w: signature %q: want 0x and 65 bytes", ErrBadRequest, q.Signature)
	}
	signer, err := attest.NewExternalSigner(st.Digest(rb.Domain()), sig)
	if err != nil {
		return err
	}
	if !isSteward(col, signer.Address().Hex()) {
		return fmt.Errorf("%w: the signature of %s recovers to %s, which is not a steward", ErrNotSteward, st.Ref(), signer.Address().Hex())
	}
	sf, err := rb.Sign(ctx, signer, st, attest.SignOptions{})
	if err != nil {
		return err
	}
	doc, err := json.Marshal(sf)
	if err != nil {
		return err
	}
	if err := c.cfg.Store.PutSignature(ctx, st.Dataset, st.Version, rb.Target().Backend, signer.Address().Hex(), doc); err != nil {
		return err
	}
	c.log.Info("console: co-signature recorded", "version", st.Ref(), "steward", signer.Address().Hex())
	cc := *col
	cc.Catalog, cc.Log, cc.Policy.AutoSign = c.cfg.Store, c.log, nil
	res, err := cc.Collect(ctx, st, nil)
	if err != nil {
		// The signature is recorded; the daemon's next attestation counts it.
		writeJSON(w, http.StatusAccepted, map[string]any{"ref": st.Ref(), "signer": signer.Address(), "status": attest.StatusPending,
			"error": "recorded, but submitting failed: " + err.Error()})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"ref": st.Ref(), "signer": signer.Address(), "status": res.Status, "signers": res.Signers,
		"threshold": res.Threshold, "receipt": res.Receipt})
	return nil
}

// writeTypedData answers typed data as eth_signTypedData_v4 JSON (the
// bytes attest.TypedDataJSON gives the CLI), with its digest.
func writeTypedData(w http.ResponseWriter, td apitypes.TypedData, digest common.Hash, extra map[string]any) error {
	b, err := attest.TypedDataJSON(td)
	if err != nil {
		return err
	}
	out := map[string]any{"typedData": json.RawMessage(b), "digest": digest}
	for k, v := range extra {
		out[k] = v
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
