package sqlview_test

import (
	"context"
	"database/sql"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// buildSegments writes rows [start, start+n) of the votes table as segments
// of segRows rows and their Parquet copies under root.
func buildSegments(t testing.TB, root string, start, n, segRows int) []datasets.SegmentRef {
	t.Helper()
	s := datasetstest.VotesSchema()
	b, err := datasets.NewBuilder(root, s, uint64(start), datasets.BuilderOptions{SegmentRows: segRows, BatchRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	for off := start; off < start+n; off += 41 {
		rec := datasetstest.VotesBatch(nil, off, min(41, start+n-off))
		if err := b.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	segs, _, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range segs {
		if _, err := sqlview.WriteSegment(context.Background(), root, ref, s); err != nil {
			t.Fatal(err)
		}
	}
	return segs
}

// version describes a version made of segs for the engine.
func version(root, dataset string, n uint64, status sqlview.Status, segs []datasets.SegmentRef) sqlview.Version {
	v := sqlview.Version{Dataset: dataset, Version: n, Status: status, Schema: *datasetstest.VotesSchema()}
	for _, ref := range segs {
		v.Segments = append(v.Segments, sqlview.Segment{SHA256: ref.SHA256, FirstRow: v.Rows, Rows: ref.Rows,
			Parquet: filepath.Join(root, sqlview.ParquetPath(ref.SHA256))})
		v.Rows += ref.Rows
		v.Root[0], v.ManifestHash[0] = byte(n), byte(n+100)
	}
	return v
}

func open(t testing.TB, root string, vs ...sqlview.Version) *sqlview.Engine {
	t.Helper()
	e, err := sqlview.Open(context.Background(), vs, sqlview.Options{Dir: filepath.Join(root, sqlview.Dir), MemoryLimit: "256MB", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// queryRows runs text and returns every row as strings.
func queryRows(t testing.TB, e *sqlview.Engine, text string) ([][]string, error) {
	t.Helper()
	var out [][]string
	err := e.Query(context.Background(), text, func(rows *sql.Rows) error {
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = v.String
				if !v.Valid {
					row[i] = "NULL"
				}
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

func one(t testing.TB, e *sqlview.Engine, text string) string {
	t.Helper()
	rows, err := queryRows(t, e, text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	if len(rows) != 1 || len(rows[0]) != 1 {
		t.Fatalf("%s: %v, want one value", text, rows)
	}
	return rows[0][0]
}

// weightSum is the sum of the weights of rows [0, n).
func weightSum(n int) string {
	sum := new(big.Int)
	for i := 0; i < n; i++ {
		w, _ := new(big.Int).SetString(datasetstest.WeightString(uint64(i)), 10)
		sum.Add(sum, w)
	}
	return sum.String()
}

func weightOf(row uint64) string { return datasetstest.WeightString(row) }
