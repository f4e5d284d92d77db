package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestHostileEntryRow is the console half of F13: what a steward is shown
// (row_json) must be the row a decision signs (row_ipc). EntryRow renders
// the row from row_ipc and reports an entry whose row_json or row_ipc was
// edited apart as ErrRowMismatch, naming the entry and the column.
func TestHostileEntryRow(t *testing.T) {
	tests := []struct {
		name string
		// editJSON and editIPC change the shown values or the stored row.
		editJSON, editIPC bool
		want              error
		says              []string
	}{
		{name: "untouched"},
		{name: "row_json edited", editJSON: true, want: ErrRowMismatch, says: []string{"shown 12345", "price"}},
		{name: "row_ipc edited", editIPC: true, want: ErrRowMismatch, says: []string{"stored 9999.99", "price"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, t.TempDir(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
			first := hourly(start, 100, 300)
			first[60].V *= 1.5 // a spike: quarantined
			job := testJob(t, &batchSource{batches: [][]validatorstest.Point{first}}, nil)
			if _, err := Ingest(ctx, st, job, start.Add(100*time.Hour)); err != nil {
				t.Fatal(err)
			}
			q, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"})
			if err != nil || len(q) != 1 {
				t.Fatalf("quarantine: %+v %v", q, err)
			}
			e := q[0]
			if tc.editJSON {
				var m map[string]any
				if err := json.Unmarshal(e.RowJSON, &m); err != nil {
					t.Fatal(err)
				}
				m["price"] = "12345"
				e.RowJSON, _ = json.Marshal(m)
			}
			if tc.editIPC {
				forged := first[60]
				forged.V = 9999.99
				rec := validatorstest.PriceRecord("prices-test", []validatorstest.Point{forged})
				if e.RowIPC, err = encodeRow(rec); err != nil {
					t.Fatal(err)
				}
				rec.Release()
			}
			values, leaf, err := EntryRow(&e, nil)
			if err == nil {
				_, _, err = EntryRow(&e, job.Source.Schema()) // with the key
			}
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("EntryRow: %v, want %v", err, tc.want)
			}
			for _, s := range append(tc.says, e.ID) {
				if err != nil && !strings.Contains(err.Error(), s) {
					t.Errorf("the error does not say %q: %v", s, err)
				}
			}
			want, lerr := EntryLeaf(&e, nil)
			if lerr != nil || leaf != want {
				t.Errorf("leaf %s, want the decision's leaf %s (%v)", leaf.Hex(), want.Hex(), lerr)
			}
			if tc.want == nil && string(values) != string(e.RowJSON) {
				t.Errorf("values %s, want the stored %s", values, e.RowJSON)
			}
		})
	}
}
