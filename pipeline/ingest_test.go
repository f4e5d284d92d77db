package pipeline_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// scripted is a source whose origin is a row count that tests move; its
// cursor is the number of rows emitted. A rewind to keep rows is returned
// once when rewindTo is set.
type scripted struct {
	rows     int
	rewindTo *int
	failAt   int // emit an error after this many rows (0: never)
}

func (s *scripted) ID() string               { return "scripted" }
func (s *scripted) Schema() *datasets.Schema { return datasetstest.VotesSchema() }

func (s *scripted) Fetch(ctx context.Context, cursor sources.Cursor, emit sources.Emit) (sources.Result, error) {
	from := 0
	if cursor != nil {
		from, _ = strconv.Atoi(string(cursor))
	}
	if s.rewindTo != nil {
		keep := *s.rewindTo
		s.rewindTo = nil
		return sources.Result{Cursor: sources.Cursor(strconv.Itoa(keep)), Rewind: &sources.Rewind{KeepRows: uint64(keep), Reason: "reorg at block 42"}}, nil
	}
	for off := from; off < s.rows; off += 50 {
		if s.failAt > 0 && off >= s.failAt {
			return sources.Result{}, errors.New("connection reset")
		}
		rec := datasetstest.VotesBatch(nil, off, min(50, s.rows-off))
		err := emit(rec)
		rec.Release()
		if errors.Is(err, sources.ErrEnough) {
			return sources.Result{Cursor: sources.Cursor(strconv.Itoa(off + min(50, s.rows-off)))}, nil
		}
		if err != nil {
			return sources.Result{}, err
		}
	}
	return sources.Result{Cursor: sources.Cursor(strconv.Itoa(s.rows))}, nil
}

func TestIngestExactlyOnceWithRewind(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := &scripted{rows: 300}
	job := pipeline.Job{Name: "j", Dataset: "votes", Source: src}
	ingest := func() *pipeline.IngestResult {
		t.Helper()
		res, err := pipeline.Ingest(ctx, st, job, time.Unix(1700000000, 0))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if m := ingest().Manifest; m.Version != 1 || m.RowCount != 300 {
		t.Fatalf("first ingest: %+v", m)
	}
	if res := ingest(); res.Manifest != nil {
		t.Fatalf("nothing new, yet version %d", res.Manifest.Version)
	}
	// A failing fetch leaves the version and the checkpoint as they were.
	src.rows, src.failAt = 500, 400
	if _, err := pipeline.Ingest(ctx, st, job, time.Now()); err == nil {
		t.Fatal("failed fetch reported success")
	}
	if cp, _ := st.Checkpoint(ctx, "j"); string(cp) != "300" {
		t.Fatalf("checkpoint moved to %s", cp)
	}
	src.failAt = 0
	if m := ingest().Manifest; m.Version != 2 || m.RowCount != 500 || !m.AppendOnly {
		t.Fatalf("resumed ingest: %+v", m)
	}
	// A rewind commits a shortened non-append version, then re-reads.
	keep := 420
	src.rewindTo, src.rows = &keep, 510
	m := ingest().Manifest
	vs, _ := st.Versions(ctx, "votes")
	if len(vs) != 4 || vs[2].AppendOnly || vs[2].Rows != 420 || vs[2].Note != "reorg at block 42" {
		t.Fatalf("versions after rewind: %+v", vs)
	}
	if m.Version != 4 || m.RowCount != 510 || !m.AppendOnly {
		t.Fatalf("after rewind: %+v", m)
	}
	for _, v := range vs {
		if ver, err := st.Verify(ctx, "votes", v.Version); err != nil || ver.Err() != nil {
			t.Fatalf("v%d: %v %v", v.Version, err, ver.Err())
		}
	}
}
