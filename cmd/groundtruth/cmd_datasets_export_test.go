package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestExportCSVInjection exports cells a spreadsheet would run as formulas
// with datasets export --format csv: they get a leading ' (the API's
// escaping), numbers (negative ones too), empty strings and nulls stay.
func TestExportCSVInjection(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	notes := []string{"=cmd|' /C calc'!A0", `=HYPERLINK("http://evil.example","click")`, "+1+1", "-2+3", "@SUM(A1)", "\tx", "'quoted", "-5", "plain", ""}
	sealNotesVersion(t, data, notes)
	p := filepath.Join(t.TempDir(), "notes.csv")
	if out := mustRun(t, "--data-dir", data, "datasets", "export", "notes@1", "--format", "csv", "-o", p, "--allow-unattested"); out == "" {
		t.Fatal("no output")
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != len(notes)+2 {
		t.Fatalf("%d records: %v", len(recs), err)
	}
	if fmt.Sprint(recs[0]) != "[_row id note amount]" {
		t.Fatalf("header %v", recs[0])
	}
	want := []string{"'=cmd|' /C calc'!A0", `'=HYPERLINK("http://evil.example","click")`, "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "''quoted", "-5", "plain", "", ""}
	for i, rec := range recs[1:] {
		if rec[2] != want[i] {
			t.Errorf("row %d: note %q, want %q", i, rec[2], want[i])
		}
		if amount := fmt.Sprint(-i - 1); rec[3] != amount {
			t.Errorf("row %d: amount %q, want %s", i, rec[3], amount)
		}
	}
}

// sealNotesVersion seals notes@1 in dir: (id, note, amount) rows with the
// notes, then a null note, and amounts -1, -2, ….
func sealNotesVersion(t *testing.T, dir string, notes []string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sch := &datasets.Schema{Columns: []datasets.Column{{Name: "id", Type: datasets.TypeInt64}, {Name: "note", Type: datasets.TypeString, Nullable: true},
		{Name: "amount", Type: datasets.TypeInt64}}, Key: []string{"id"}}
	as, err := sch.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer b.Release()
	for i := 0; i <= len(notes); i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		if i < len(notes) {
			b.Field(1).(*array.StringBuilder).Append(notes[i])
		} else {
			b.Field(1).AppendNull()
		}
		b.Field(2).(*array.Int64Builder).Append(-int64(i) - 1)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	w, err := st.Begin(ctx, "notes", sch, store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}
