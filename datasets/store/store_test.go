package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func openStore(t *testing.T, root string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), root, store.Options{Builder: datasets.BuilderOptions{SegmentRows: 300, BatchRows: 64}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seal writes votes rows [from, to) as a new version.
func seal(t *testing.T, s *store.Store, from, to int, opts store.WriteOptions) *datasets.Manifest {
	t.Helper()
	ctx := context.Background()
	w, err := s.Begin(ctx, "votes", datasetstest.VotesSchema(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for off := from; off < to; off += 100 {
		rec := datasetstest.VotesBatch(nil, off, min(100, to-off))
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	m, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func count(t *testing.T, s *store.Store, q string) int64 {
	t.Helper()
	var n int64
	ctx := context.Background()
	if strings.Contains(q, "gt.") {
		if err := s.DB().QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	e, err := s.SQLEngine(ctx, sqlview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Query(ctx, q, func(r *sql.Rows) error {
		if !r.Next() {
			return sql.ErrNoRows
		}
		return r.Scan(&n)
	}); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSealAppendQueryVerify(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	m1 := seal(t, s, 0, 1000, store.WriteOptions{Job: "j", Checkpoint: []byte(`{"n":1000}`)})
	m2 := seal(t, s, 1000, 1750, store.WriteOptions{Job: "j", Checkpoint: []byte(`{"n":1750}`)})
	if m1.Version != 1 || m2.Version != 2 || m2.RowCount != 1750 || !m2.AppendOnly || m2.Parent.MerkleRoot != m1.MerkleRoot {
		t.Fatalf("unexpected versions: v1 %+v v2 %+v", m1, m2.Parent)
	}
	if got := count(t, s, `SELECT count(*) FROM "votes@1"`); got != 1000 {
		t.Errorf("votes@1 has %d rows", got)
	}
	if got := count(t, s, `SELECT count(*) FROM "votes@2"`); got != 1750 {
		t.Errorf("votes has %d rows", got)
	}
	if got := count(t, s, `SELECT count(DISTINCT _row) FROM "votes@2" WHERE _row < 1750`); got != 1750 {
		t.Errorf("row positions: %d distinct", got)
	}
	var w string
	e, err := s.SQLEngine(ctx, sqlview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = e.Query(ctx, `SELECT weight::VARCHAR FROM "votes@2" WHERE _row = 1234`, func(r *sql.Rows) error {
		r.Next()
		return r.Scan(&w)
	})
	e.Close()
	if err != nil || w != datasetstest.WeightString(1234) {
		t.Errorf("weight of row 1234 = %q (%v), want %s", w, err, datasetstest.WeightString(1234))
	}
	for _, v := range []uint64{1, 2} {
		ver, err := s.Verify(ctx, "votes", v)
		if err != nil || ver.Err() != nil {
			t.Fatalf("verify v%d: %v %v", v, err, ver.Err())
		}
	}
	rec, _ := s.Version(ctx, "votes", 2)
	p, err := datasets.ConsistencyProof(datasets.NewVersionLeaves(s.Root(), rec.Manifest), 1000, 1750)
	if err != nil {
		t.Fatal(err)
	}
	if err := datasets.VerifyConsistency(1000, 1750, p, m1.MerkleRoot, m2.MerkleRoot); err != nil {
		t.Fatal(err)
	}
	if cp, _ := s.Checkpoint(ctx, "j"); string(cp) != `{"n":1750}` {
		t.Errorf("checkpoint %s", cp)
	}
}

func TestNonAppendVersion(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	seal(t, s, 0, 1000, store.WriteOptions{})
	keep := uint64(450) // cuts the second 300-row segment
	m := seal(t, s, 5000, 5100, store.WriteOptions{KeepRows: &keep, Note: "reorg at block 12000022"})
	if m.AppendOnly || m.RowCount != 550 || m.Version != 2 {
		t.Fatalf("non-append version: appendOnly=%v rows=%d", m.AppendOnly, m.RowCount)
	}
	if v, err := s.Verify(ctx, "votes", 2); err != nil || v.Err() != nil {
		t.Fatalf("verify: %v %v", err, v.Err())
	}
	vs, _ := s.Versions(ctx, "votes")
	if vs[1].AppendOnly || vs[1].Note == "" {
		t.Errorf("catalog does not flag the non-append version: %+v", vs[1])
	}
	// The kept prefix has the same leaves as the parent's prefix.
	if got := count(t, s, `SELECT count(*) FROM "votes@2" a JOIN "votes@1" b USING (_row, tx_hash) WHERE _row < 450`); got != 450 {
		t.Errorf("kept prefix differs: %d matching rows", got)
	}
}

func TestSchemaChangeLeavesStoreAsItWas(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	seal(t, s, 0, 10, store.WriteOptions{})
	other := datasetstest.VotesSchema()
	other.Columns[5].Type = datasets.TypeUint16
	_, err := s.Begin(ctx, "votes", other, store.WriteOptions{})
	if !errors.Is(err, store.ErrSchemaChange) || !strings.Contains(err.Error(), `column "support" changed from uint8 to uint16`) {
		t.Fatalf("got %v", err)
	}
	if vs, _ := s.Versions(ctx, "votes"); len(vs) != 1 {
		t.Fatalf("%d versions after a refused write", len(vs))
	}
}

func TestAbortKeepsOrphansUntilPrune(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	s := openStore(t, root)
	seal(t, s, 0, 100, store.WriteOptions{})
	w, err := s.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := datasetstest.VotesBatch(nil, 100, 700)
	w.Write(rec)
	rec.Release()
	w.Abort()
	if got := count(t, s, `SELECT count(*) FROM "votes@1"`); got != 100 {
		t.Fatalf("aborted rows visible: %d", got)
	}
	s.Close()
	// An orphan segment (written, never committed) is kept at open and
	// listed by Check; Prune deletes it and nothing else.
	orphan := filepath.Join(root, "segments", "ff", strings.Repeat("f", 64)+".arrow")
	os.MkdirAll(filepath.Dir(orphan), 0o755)
	os.WriteFile(orphan, []byte("x"), 0o644)
	s2 := openStore(t, root)
	if _, err := os.Stat(orphan); err != nil {
		t.Fatalf("orphan deleted at open: %v", err)
	}
	rep, err := s2.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := "segments/ff/" + strings.Repeat("f", 64) + ".arrow"; len(rep.UnreferencedFiles) != 1 || rep.UnreferencedFiles[0] != want {
		t.Fatalf("unreferenced: %v", rep.UnreferencedFiles)
	}
	if err := s2.Prune(ctx, rep); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan not pruned: %v", err)
	}
	if rep, _ := s2.Check(ctx); !rep.Clean() {
		t.Fatalf("not clean after prune: %+v", rep)
	}
	if v, err := s2.Verify(ctx, "votes", 1); err != nil || v.Err() != nil {
		t.Fatalf("verify after prune: %v %v", err, v.Err())
	}
}

func TestRawStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	raw := s.Raw()
	body := []byte(`{"data":{"votes":[{"id":"0xabc","vp":12.5}]}}`)
	h, err := raw.Put(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	if h2, _ := raw.Put(ctx, body); h2 != h {
		t.Fatal("digest changed on second put")
	}
	got, err := raw.Get(ctx, h)
	if err != nil || string(got) != string(body) {
		t.Fatalf("get: %q %v", got, err)
	}
	os.WriteFile(filepath.Join(s.Root(), store.RawPath(h)), []byte("garbage"), 0o644)
	if _, err := raw.Get(ctx, h); !errors.Is(err, datasets.ErrIntegrity) {
		t.Fatalf("corrupted raw body: %v", err)
	}
}
