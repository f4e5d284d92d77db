package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestHostileHeldRowForgedCLI is F101's repro through the CLI: the held
// outlier's price is rewritten to 1.5 in the catalog (the float in
// row_ipc and the value in row_json, as the black-box tester's
// tamper_q.py does) before any decision. `quarantine show` prints the row
// with a TAMPERED line naming the journal file and exits 3, `quarantine
// approve` refuses with exit 3 and records nothing (the entry stays
// pending).
func TestHostileHeldRowForgedCLI(t *testing.T) {
	dir := t.TempDir()
	csvPath := poisonedPrices(t, dir)
	data := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "groundtruth.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(pricesConfig, data, csvPath)), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "ingest", "--config", cfg, "--job", "comp")
	ctx := context.Background()
	st, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := st.QuarantineList(ctx, store.QuarantineFilter{})
	if err != nil || len(q) != 1 {
		t.Fatalf("quarantine: %+v %v", q, err)
	}
	e := q[0]
	forgeHeldPrice(t, st, &e, 1.5)
	st.Close()

	out, errOut, code := runCLI(t, nil, "--data-dir", data, "quarantine", "show", e.ID)
	if code != exitIntegrity || !strings.Contains(out, "check:    TAMPERED") || !strings.Contains(out, "journal/") || !strings.Contains(errOut, e.ID) {
		t.Fatalf("quarantine show of the forged row: exit %d\n%s\n%s", code, out, errOut)
	}
	alice, _, attCfg := decisionKeys(t, dir)
	_, errOut, code = runCLI(t, nil, "--data-dir", data, "quarantine", "approve", e.ID, "--key", alice, "-c", attCfg, "--password-file", filepath.Join(dir, "pw"))
	if code != exitIntegrity || !strings.Contains(errOut, "not the row its journal entry recorded") {
		t.Fatalf("approving the forged row: exit %d: %s", code, errOut)
	}
	out = mustRun(t, "--data-dir", data, "quarantine", "list")
	if !strings.Contains(out, "pending") {
		t.Fatalf("after the refused approval:\n%s", out)
	}
}

// forgeHeldPrice rewrites the held row's price in the catalog: the
// float's bytes in row_ipc and its value in row_json.
func forgeHeldPrice(t *testing.T, st *store.Store, e *store.QuarantineEntry, to float64) {
	t.Helper()
	var values map[string]any
	if err := json.Unmarshal(e.RowJSON, &values); err != nil {
		t.Fatal(err)
	}
	old, err := strconv.ParseFloat(fmt.Sprint(values["price"]), 64)
	if err != nil {
		t.Fatalf("price %v: %v", values["price"], err)
	}
	var from, with [8]byte
	binary.LittleEndian.PutUint64(from[:], math.Float64bits(old))
	binary.LittleEndian.PutUint64(with[:], math.Float64bits(to))
	if bytes.Count(e.RowIPC, from[:]) != 1 {
		t.Fatalf("the price %v is not once in the row's bytes", old)
	}
	ipc := bytes.Replace(e.RowIPC, from[:], with[:], 1)
	if _, isNum := values["price"].(float64); isNum {
		values["price"] = to
	} else {
		values["price"] = strconv.FormatFloat(to, 'g', -1, 64)
	}
	rowJSON, _ := json.Marshal(values)
	if _, err := st.DB().ExecContext(context.Background(), `UPDATE gt.quarantine SET row_ipc = ?, row_json = ? WHERE id = ?`, ipc, string(rowJSON), e.ID); err != nil {
		t.Fatal(err)
	}
}
