package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// TestHostileConsoleHeldRowForged is the console half of F101: a held row
// rewritten in the catalog before any decision, row_ipc and row_json alike
// (so F13's comparison of the two sees nothing), is flagged by the entry
// API (rowCheck names the entry and the journal file that recorded the row
// at quarantine time), and its typed data and decision are refused (409);
// nothing is recorded.
func TestHostileConsoleHeldRowForged(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	if _, err := f.st.DB().ExecContext(ctx, `UPDATE gt.quarantine SET row_ipc = ?, row_json = ? WHERE id = 'q10001'`, rowIPC(t, 1.5), string(rowJSON(t, 1.5))); err != nil {
		t.Fatal(err)
	}
	code, doc := f.call(t, http.MethodGet, "/console/api/quarantine/q10001", stewardToken, nil)
	check := toString(doc["rowCheck"])
	if code != http.StatusOK || !strings.Contains(check, "q10001") || !strings.Contains(check, "journal/") || !strings.Contains(check, "recorded a different row") {
		t.Fatalf("forged entry: %d rowCheck %q, want the journal mismatch naming q10001 and its journal file", code, check)
	}
	steward := crypto.PubkeyToAddress(f.steward.PublicKey).Hex()
	for _, path := range []string{"/console/api/quarantine/q10001/typed-data", "/console/api/quarantine/q10001/decision"} {
		code, doc := f.call(t, http.MethodPost, path, stewardToken, map[string]any{"decision": "approved", "reason": "r", "steward": steward,
			"decidedAt": f.now.Unix(), "signature": "0x" + strings.Repeat("11", 65)})
		if code != http.StatusConflict || !strings.Contains(toString(doc["error"]), "not the row its journal entry recorded") {
			t.Errorf("%s on a forged entry: %d %v, want 409 naming the journal mismatch", path, code, doc)
		}
	}
	if e, _ := f.st.QuarantineGet(ctx, "q10001"); e.DecidedAt != nil {
		t.Errorf("a decision was recorded on the forged entry: %+v", e)
	}
	if code, doc := f.call(t, http.MethodGet, "/console/api/quarantine/q20002", stewardToken, nil); code != http.StatusOK || doc["rowCheck"] != "ok" {
		t.Errorf("an untouched entry: %d rowCheck %v, want ok", code, doc["rowCheck"])
	}
}
