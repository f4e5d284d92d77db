package pipeline

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
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
			s := quarantineSpike(t, nil)
			e := s.entry
			if tc.editJSON {
				var m map[string]any
				if err := json.Unmarshal(e.RowJSON, &m); err != nil {
					t.Fatal(err)
				}
				m["price"] = "12345"
				e.RowJSON, _ = json.Marshal(m)
			}
			if tc.editIPC {
				e.RowIPC = s.forgedRow(t, 9999.99)
			}
			values, leaf, err := EntryRow(&e, nil)
			if err == nil {
				_, _, err = EntryRow(&e, s.job.Source.Schema()) // with the key
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
