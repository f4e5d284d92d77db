package pipeline

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// ErrRowChanged marks a decided quarantine entry whose held row is not the
// row its steward signed (its leaf hash differs): the row is not appended
// and nothing is sealed. It wraps attest.ErrSignature.
var ErrRowChanged = fmt.Errorf("%w: the row changed since its decision", attest.ErrSignature)

// ErrOtherDeployment marks a decision signed for another deployment (chain
// id or contract). It wraps attest.ErrSignature.
var ErrOtherDeployment = fmt.Errorf("%w: a decision of another deployment", attest.ErrSignature)

// EntryLeaf returns the leaf hash (docs/SPEC.md §2, SHA-256(0x00 ‖ the
// canonical bytes of §3)) of the one row an entry holds, encoded with
// schema sch (nil: the schema of the held row's Arrow IPC).
func EntryLeaf(e *store.QuarantineEntry, sch *datasets.Schema) (common.Hash, error) {
	recs, err := decodeRows(e.RowIPC)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if err != nil {
		return common.Hash{}, fmt.Errorf("quarantine entry %s: its row: %w", e.ID, err)
	}
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	if n != 1 {
		return common.Hash{}, fmt.Errorf("%w: quarantine entry %s holds %d rows, want 1", datasets.ErrIntegrity, e.ID, n)
	}
	rec := recs[0]
	for _, r := range recs {
		if r.NumRows() == 1 {
			rec = r
		}
	}
	if sch == nil {
		if sch, err = datasets.SchemaFromArrow(rec.Schema()); err != nil {
			return common.Hash{}, fmt.Errorf("quarantine entry %s: %w", e.ID, err)
		}
	}
	enc, err := datasets.NewRowEncoder(sch)
	if err != nil {
		return common.Hash{}, err
	}
	if err := enc.Bind(rec); err != nil {
		return common.Hash{}, fmt.Errorf("quarantine entry %s: %w", e.ID, err)
	}
	return common.Hash(datasets.HashRow(enc.AppendRow(nil, 0))), nil
}

// VerifyApproved checks an approved entry before the writer appends its
// row: its decision is signed (format 2) over the leaf of the row held now
// (encoded with the dataset's schema sch), by the steward it names, and,
// when the pipeline has a deployment (dep is not zero: it attests on a
// chain), for that deployment. A pipeline without one has nothing to
// compare a decision's domain with and accepts any. The error names the
// entry and, when the row changed, both leaf hashes.
func VerifyApproved(e *store.QuarantineEntry, sch *datasets.Schema, dep attest.Deployment) error {
	d, sig, ok, err := EntryDecision(e)
	if err != nil || !ok {
		return err
	}
	leaf, err := EntryLeaf(e, sch)
	if err != nil {
		return err
	}
	if leaf != d.Leaf {
		return fmt.Errorf("%w: quarantine entry %s: the held row's leaf is %s, the steward %s signed %s: the row was edited after the decision",
			ErrRowChanged, e.ID, leaf.Hex(), d.Steward.Hex(), d.Leaf.Hex())
	}
	if dep != (attest.Deployment{}) && d.Deployment != dep {
		return fmt.Errorf("%w: quarantine entry %s: the decision was signed for chain %d contract %s, this pipeline is chain %d contract %s",
			ErrOtherDeployment, e.ID, d.Deployment.ChainID, d.Deployment.Contract.Hex(), dep.ChainID, dep.Contract.Hex())
	}
	return attest.VerifyDecision(d, sig)
}

// ErrRowMismatch marks a quarantine entry whose displayed values (the
// catalog's row_json) are not the row its Arrow IPC holds (row_ipc, which a
// decision's leaf is computed over and the writer appends): a steward
// would sign what they did not see. It wraps datasets.ErrIntegrity.
var ErrRowMismatch = fmt.Errorf("%w: the quarantined row's values and its stored row disagree", datasets.ErrIntegrity)

// EntryRow decodes the row entry e holds from its Arrow IPC, the row a
// decision signs: its values as row_json renders them, and its leaf hash.
// It checks e's row_json against that row, and, given the dataset's
// schema sch (which names the key; nil: the row's own schema, which does
// not), e's row key too; a difference is ErrRowMismatch naming the entry
// and the differing columns (values and leaf are still returned, so the
// row can be shown as signed).
func EntryRow(e *store.QuarantineEntry, sch *datasets.Schema) (json.RawMessage, common.Hash, error) {
	leaf, err := EntryLeaf(e, sch)
	if err != nil {
		return nil, common.Hash{}, err
	}
	recs, err := decodeRows(e.RowIPC)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if err != nil {
		return nil, common.Hash{}, fmt.Errorf("quarantine entry %s: its row: %w", e.ID, err)
	}
	keyed := sch != nil
	if !keyed {
		if sch, err = datasets.SchemaFromArrow(recs[0].Schema()); err != nil {
			return nil, common.Hash{}, fmt.Errorf("quarantine entry %s: %w", e.ID, err)
		}
	}
	var nonEmpty []arrow.RecordBatch
	for _, r := range recs {
		if r.NumRows() > 0 {
			nonEmpty = append(nonEmpty, r)
		}
	}
	t := validators.NewTable(sch, nonEmpty)
	values := rowJSON(t, 0)
	var shown, held map[string]any
	if err := json.Unmarshal(e.RowJSON, &shown); err != nil {
		return values, leaf, fmt.Errorf("%w: quarantine entry %s: its values are not a JSON object: %v", ErrRowMismatch, e.ID, err)
	}
	_ = json.Unmarshal(values, &held)
	var diff []string
	for _, c := range sch.Columns {
		if !reflect.DeepEqual(shown[c.Name], held[c.Name]) {
			diff = append(diff, fmt.Sprintf("%s: shown %v, stored %v", c.Name, shown[c.Name], held[c.Name]))
		}
	}
	if len(shown) != len(held) {
		diff = append(diff, fmt.Sprintf("shown %d columns, stored %d", len(shown), len(held)))
	}
	if key := t.Key(0); keyed && key != e.RowKey {
		diff = append(diff, fmt.Sprintf("row key: recorded %s, stored row's %s", e.RowKey, key))
	}
	if len(diff) > 0 {
		return values, leaf, fmt.Errorf("%w: quarantine entry %s (leaf %s): %s", ErrRowMismatch, e.ID, leaf.Hex(), strings.Join(diff, "; "))
	}
	return values, leaf, nil
}
