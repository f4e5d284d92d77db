package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// TestHostileConsoleRowShown is the console half of F13: the console shows
// the row a decision signs (decoded from row_ipc, with its leaf), and when
// the catalog's rendering (row_json) was edited apart from the stored row
// it says so and refuses the typed data and the decision (409), so a
// steward never signs a row other than the one shown.
func TestHostileConsoleRowShown(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	held, err := f.st.QuarantineGet(ctx, "q10001")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := pipeline.EntryLeaf(held, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, doc := f.call(t, http.MethodGet, "/console/api/quarantine/q10001", stewardToken, nil)
	if code != http.StatusOK || doc["leaf"] != leaf.Hex() || doc["rowCheck"] != "ok" {
		t.Fatalf("entry: %d leaf %v rowCheck %v, want the decision's leaf %s and ok", code, doc["leaf"], doc["rowCheck"], leaf.Hex())
	}

	// The catalog's rendering is edited: the shown price is not the stored one.
	if _, err := f.st.DB().ExecContext(ctx, `UPDATE gt.quarantine SET row_json = replace(row_json, '"70"', '"51.47"') WHERE id = 'q10001'`); err != nil {
		t.Fatal(err)
	}
	code, doc = f.call(t, http.MethodGet, "/console/api/quarantine/q10001", stewardToken, nil)
	values, _ := doc["values"].(map[string]any)
	if code != http.StatusOK || values["price"] != "70" || doc["leaf"] != leaf.Hex() || !strings.Contains(toString(doc["rowCheck"]), "price: shown 51.47, stored 70") {
		t.Fatalf("edited entry: %d values %v leaf %v rowCheck %v, want the stored price 70, its leaf and the mismatch", code, values, doc["leaf"], doc["rowCheck"])
	}
	_, queue := f.call(t, http.MethodGet, "/console/api/quarantine", stewardToken, nil)
	for _, e := range queue["entries"].([]any) {
		if m := e.(map[string]any); m["id"] == "q10001" && !strings.Contains(toString(m["rowCheck"]), "disagree") {
			t.Errorf("queue: q10001 rowCheck %v, want the mismatch", m["rowCheck"])
		}
	}
	steward := crypto.PubkeyToAddress(f.steward.PublicKey).Hex()
	for _, path := range []string{"/console/api/quarantine/q10001/typed-data", "/console/api/quarantine/q10001/decision"} {
		code, doc := f.call(t, http.MethodPost, path, stewardToken, map[string]any{"decision": "approved", "reason": "r", "steward": steward,
			"decidedAt": f.now.Unix(), "signature": "0x" + strings.Repeat("11", 65)})
		if code != http.StatusConflict || !strings.Contains(toString(doc["error"]), "refusing to sign a row other than the one shown") {
			t.Errorf("%s on an edited entry: %d %v, want 409", path, code, doc)
		}
	}
	if e, _ := f.st.QuarantineGet(ctx, "q10001"); e.DecidedAt != nil {
		t.Errorf("a decision was recorded on the edited entry: %+v", e)
	}
}
