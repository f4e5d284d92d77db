package client

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// ReceiptFormat identifies the receipt document format.
const ReceiptFormat = "groundtruth-receipt/1"

// Receipt records which attested data a decision used: for each version
// read, its manifest and attestation evidence, and the rows read with their
// inclusion proofs, and when. It is self-contained: VerifyReceipt checks it
// later against the chain without the server.
type Receipt struct {
	Format string `json:"format"`
	// Note says what the data was used for (e.g. the decision's id).
	Note      string    `json:"note"`
	Server    string    `json:"server"`
	CreatedAt time.Time `json:"createdAt"`
	Reads     []Read    `json:"reads"`
}

// Read is what was read of one version.
type Read struct {
	Dataset   string           `json:"dataset"`
	Version   uint64           `json:"version"`
	Statement attest.Statement `json:"statement"`
	// Manifest is the canonical manifest text (it fixes the schema the
	// rows' values are read with).
	Manifest    string          `json:"manifest"`
	Evidence    json.RawMessage `json:"evidence"`
	Attestation api.Attestation `json:"attestation"`
	// Whole is set when the whole version was read (Fetch).
	Whole bool      `json:"whole"`
	At    time.Time `json:"at"`
	Rows  []ReadRow `json:"rows"`
}

// ReadRow is one row read, with its proof.
type ReadRow struct {
	Index  uint64             `json:"index"`
	Values api.Values         `json:"values"`
	Proof  api.InclusionProof `json:"proof"`
	At     time.Time          `json:"at"`
}

// NewReceipt starts a receipt for a decision.
func (c *Client) NewReceipt(note string) *Receipt {
	return &Receipt{Format: ReceiptFormat, Note: note, Server: c.cfg.BaseURL, CreatedAt: time.Now().UTC(), Reads: []Read{}}
}

func (r *Receipt) read(v *Version) *Read {
	for i := range r.Reads {
		if r.Reads[i].Dataset == v.Dataset && r.Reads[i].Version == v.Version {
			return &r.Reads[i]
		}
	}
	r.Reads = append(r.Reads, Read{Dataset: v.Dataset, Version: v.Version, Statement: v.Statement, Manifest: string(v.ManifestJSON),
		Evidence: json.RawMessage(v.EvidenceJSON), Attestation: v.Attestation, At: time.Now().UTC(), Rows: []ReadRow{}})
	return &r.Reads[len(r.Reads)-1]
}

// AddRow records a verified row.
func (r *Receipt) AddRow(row *Row) {
	rd := r.read(row.Of)
	rd.Rows = append(rd.Rows, ReadRow{Index: row.Index, Values: row.Values, Proof: row.Proof, At: time.Now().UTC()})
}

// AddVersion records that a whole verified version was read.
func (r *Receipt) AddVersion(v *Version) { r.read(v).Whole = true }

// Marshal encodes the receipt as indented JSON.
func (r *Receipt) Marshal() ([]byte, error) { return json.MarshalIndent(r, "", "  ") }

// ParseReceipt decodes a receipt.
func ParseReceipt(b []byte) (*Receipt, error) {
	var r Receipt
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("receipt: %v", err)
	}
	if r.Format != ReceiptFormat {
		return nil, fmt.Errorf("receipt: format %q, want %q", r.Format, ReceiptFormat)
	}
	return &r, nil
}

// ReceiptReport is the outcome of VerifyReceipt, one check per line.
type ReceiptReport struct {
	Checks []datasets.CheckResult `json:"checks"`
}

func (rr *ReceiptReport) add(check string, ok bool, format string, args ...any) {
	rr.Checks = append(rr.Checks, datasets.CheckResult{Check: check, OK: ok, Detail: fmt.Sprintf(format, args...)})
}

// Err returns nil when every check passed, else the first failure.
func (rr *ReceiptReport) Err() error {
	for _, c := range rr.Checks {
		if !c.OK {
			return fmt.Errorf("%w: receipt: %s: %s", datasets.ErrIntegrity, c.Check, c.Detail)
		}
	}
	return nil
}

// VerifyReceipt checks a receipt without the server: each version's
// manifest against its statement, the statement's attestation on the chain
// with the caller's Verifier, and every row's values and proof against the
// attested root.
func VerifyReceipt(ctx context.Context, r *Receipt, ver Verifier) (*ReceiptReport, error) {
	rr := &ReceiptReport{}
	for i, rd := range r.Reads {
		name := fmt.Sprintf("reads[%d] %s@%d", i, rd.Dataset, rd.Version)
		mh := datasets.Hash(sha256.Sum256([]byte(rd.Manifest)))
		m, err := datasets.ParseManifest([]byte(rd.Manifest))
		if err != nil {
			rr.add(name+".manifest", false, "%v", err)
			continue
		}
		st := attest.StatementOf(m, mh)
		rr.add(name+".statement", st == rd.Statement && m.Dataset == rd.Dataset && m.Version == rd.Version,
			"the manifest gives root %s, %d rows, manifest %s", st.MerkleRoot, st.RowCount, st.ManifestHash)
		ev, err := attest.ParseEvidence(rd.Evidence)
		if err != nil {
			rr.add(name+".attestation", false, "%v", err)
			continue
		}
		rep, err := ver.Verify(ctx, st, ev)
		if err != nil {
			return nil, err
		}
		if err := rep.Err(); err != nil {
			rr.add(name+".attestation", false, "%v", err)
		} else {
			rr.add(name+".attestation", true, "attested on-chain by %d stewards (k = %d)", len(rep.Signers), rep.Threshold)
		}
		v := &Version{Dataset: rd.Dataset, Version: rd.Version, Manifest: m, ManifestHash: mh}
		for j, row := range rd.Rows {
			_, err := checkRow(v, api.Row{Dataset: rd.Dataset, Version: rd.Version, Index: row.Index, Values: row.Values, Proof: row.Proof})
			rr.add(fmt.Sprintf("%s.rows[%d]", name, j), err == nil, "row %d: %s", row.Index, okOr(err, "its values and proof lead to the attested root"))
		}
	}
	return rr, nil
}

func okOr(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
}
