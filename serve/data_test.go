package serve_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// rootOfStream decodes an Arrow IPC stream of a whole version and
// recomputes its Merkle root from the rows.
func rootOfStream(t *testing.T, b []byte) (datasets.Hash, uint64) {
	t.Helper()
	r, err := ipc.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	enc, err := datasets.NewRowEncoder(datasetstest.VotesSchema())
	if err != nil {
		t.Fatal(err)
	}
	acc := datasets.NewAccumulator(0)
	buf := make([]byte, 1, 1024)
	for r.Next() {
		rec := r.RecordBatch()
		if err := enc.Bind(rec); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			buf = enc.AppendRow(buf[:1], i)
			acc.Add(datasets.LeafHash(buf))
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return acc.Root(), acc.End()
}

// TestArrowStreamAndRanges downloads the full stream, checks its rows hash
// to the manifest's root, and reassembles it from byte ranges.
func TestArrowStreamAndRanges(t *testing.T) {
	f := newFixture(t, serve.Config{})
	const path = "/v1/datasets/votes/versions/2/data"
	resp, full := f.get(t, tokenAll, path)
	m := f.m["votes@2"]
	mh, _ := m.Hash()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != api.MediaArrow || resp.Header.Get("Accept-Ranges") != "bytes" ||
		resp.Header.Get("ETag") != `"`+mh.Hex()+`"` || resp.Header.Get("Content-Length") != strconv.Itoa(len(full)) {
		t.Fatalf("full stream: %d %v", resp.StatusCode, resp.Header)
	}
	if root, n := rootOfStream(t, full); root != m.MerkleRoot || n != m.RowCount {
		t.Fatalf("stream rows hash to %s (%d rows), manifest %s", root, n, m.MerkleRoot)
	}
	// The stream is deterministic.
	if _, again := f.get(t, tokenAll, path); !bytes.Equal(again, full) {
		t.Fatal("two downloads differ")
	}
	size := len(full)
	var parts []byte
	for start := 0; start < size; start += 7777 {
		end := min(start+7777, size) - 1
		resp, b := f.get(t, tokenAll, path, "Range", fmt.Sprintf("bytes=%d-%d", start, end))
		if resp.StatusCode != 206 || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", start, end, size) {
			t.Fatalf("range %d-%d: %d %v", start, end, resp.StatusCode, resp.Header)
		}
		parts = append(parts, b...)
	}
	if !bytes.Equal(parts, full) {
		t.Fatal("the ranges do not reassemble the stream")
	}
	for _, tc := range []struct {
		rng, ifRange string
		status       int
		want         []byte
	}{
		{"bytes=-100", "", 206, full[size-100:]},
		{"bytes=10-", "", 206, full[10:]},
		{"bytes=0-0", "", 206, full[:1]},
		{"bytes=5-999999999", "", 206, full[5:]},
		{"bytes=0-9", `"` + mh.Hex() + `"`, 206, full[:10]},
		{"bytes=0-9", `"stale"`, 200, full},
	} {
		resp, b := f.get(t, tokenAll, path, "Range", tc.rng, "If-Range", tc.ifRange)
		if resp.StatusCode != tc.status || !bytes.Equal(b, tc.want) {
			t.Errorf("%s If-Range %s: %d, %d bytes", tc.rng, tc.ifRange, resp.StatusCode, len(b))
		}
	}
	resp, b := f.get(t, tokenAll, path, "Range", "bytes=99999999-")
	if resp.StatusCode != 416 || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes */%d", size) {
		t.Fatalf("unsatisfiable: %d %v %s", resp.StatusCode, resp.Header, b)
	}
	if resp, b := f.get(t, tokenAll, path, "If-None-Match", `"`+mh.Hex()+`"`); resp.StatusCode != 304 || len(b) != 0 {
		t.Fatalf("If-None-Match: %d", resp.StatusCode)
	}
}

// TestSelections checks JSONL, CSV and Arrow selections of columns and rows.
func TestSelections(t *testing.T) {
	f := newFixture(t, serve.Config{})
	base := "/v1/datasets/votes/versions/2/data?"
	resp, b := f.get(t, tokenAll, base+"format=jsonl&rows=995-1004&columns=voter,_row,weight")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != api.MediaJSONL || resp.Header.Get("Accept-Ranges") != "none" {
		t.Fatalf("jsonl: %d %v", resp.StatusCode, resp.Header)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for ; sc.Scan(); n++ {
		var row api.Values
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		if len(row) != 3 || row[0].Name != "voter" || row[1].Name != serve.RowColumn || row[2].Name != "weight" {
			t.Fatalf("line %d: %s", n, sc.Bytes())
		}
		if row[1].Value != strconv.Itoa(995+n) || row[2].Value != datasetstest.WeightString(uint64(995+n)) {
			t.Fatalf("line %d: %s", n, sc.Bytes())
		}
	}
	if n != 10 {
		t.Fatalf("%d lines", n)
	}
	// Accept negotiates CSV.
	resp, b = f.get(t, tokenAll, base+"rows=0-4&columns=_row,support", "Accept", "text/csv")
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || resp.Header.Get("Content-Type") != api.MediaCSV || len(recs) != 6 || strings.Join(recs[0], ",") != "_row,support" || recs[5][0] != "4" {
		t.Fatalf("csv: %v %q", err, b)
	}
	// An Arrow selection of every column over every row equals the full
	// stream's rows, and is a selection: trailers, no Content-Length (attack H).
	for _, q := range []string{"format=arrow&rows=0-", "rows=0-1749", "columns=" + allColumns(f.m["votes@2"])} {
		resp, sel := f.get(t, tokenAll, base+q)
		if root, n := rootOfStream(t, sel); root != f.m["votes@2"].MerkleRoot || n != 1750 {
			t.Fatalf("%s: selection root %s (%d rows)", q, root, n)
		}
		if resp.ContentLength != -1 || resp.Trailer.Get(api.TrailerRows) != "1750" || resp.Trailer.Get(api.TrailerSHA256) == "" {
			t.Fatalf("%s: Content-Length %d, trailers %v", q, resp.ContentLength, resp.Trailer)
		}
	}
	_, sel := f.get(t, tokenAll, base+"columns=weight,_row&rows=1700-")
	r, err := ipc.NewReader(bytes.NewReader(sel))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	rows := 0
	for r.Next() {
		rec := r.RecordBatch()
		if rec.NumCols() != 2 || rec.ColumnName(1) != serve.RowColumn {
			t.Fatalf("schema %v", rec.Schema())
		}
		rows += int(rec.NumRows())
	}
	if rows != 50 {
		t.Fatalf("%d rows", rows)
	}
}

// TestRowsWithProofs checks rows by index and by key against the root.
func TestRowsWithProofs(t *testing.T) {
	f := newFixture(t, serve.Config{})
	m := f.m["votes@2"]
	for _, i := range []uint64{0, 1, 255, 256, 299, 300, 999, 1000, 1234, 1749} {
		resp, b := f.get(t, tokenAll, fmt.Sprintf("/v1/datasets/votes/versions/2/rows/%d", i))
		var row api.Row
		if err := json.Unmarshal(b, &row); err != nil || resp.StatusCode != 200 {
			t.Fatalf("row %d: %d %s", i, resp.StatusCode, b)
		}
		leaves, err := api.Leaves(datasetstest.VotesSchema(), []api.Values{row.Values})
		if err != nil {
			t.Fatal(err)
		}
		if leaves[0] != row.Proof.Leaf || row.Proof.Root != m.MerkleRoot || row.Proof.Size != m.RowCount || row.Index != i {
			t.Fatalf("row %d: leaf %s, proof %+v", i, leaves[0], row.Proof)
		}
		if err := datasets.VerifyInclusion(leaves[0], i, m.RowCount, row.Proof.Path, m.MerkleRoot); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if w, _ := row.Values.Get("weight"); w != datasetstest.WeightString(i) {
			t.Fatalf("row %d weight %v", i, w)
		}
		// The same row by its key.
		q := url.Values{}
		for _, k := range []string{"chain_id", "tx_hash", "log_index"} {
			v, _ := row.Values.Get(k)
			q.Set(k, fmt.Sprint(v)) // a JSON number (log_index) or a string
		}
		_, kb := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/rows?"+q.Encode())
		var byKey api.Row
		if err := json.Unmarshal(kb, &byKey); err != nil || byKey.Index != i {
			t.Fatalf("row %d by key: %s", i, kb)
		}
	}
	q := url.Values{"chain_id": {"1"}, "tx_hash": {"0x" + strings.Repeat("00", 32)}, "log_index": {"1"}}
	if resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/rows?"+q.Encode()); resp.StatusCode != 404 {
		t.Fatalf("unknown key: %d %s", resp.StatusCode, b)
	}
}

// TestConsistencyAndSegments checks a consistency proof and every segment.
func TestConsistencyAndSegments(t *testing.T) {
	f := newFixture(t, serve.Config{})
	_, b := f.get(t, tokenAll, "/v1/datasets/votes/consistency?from=1&to=latest")
	var p api.ConsistencyProof
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.From != 1 || p.To != 2 || datasets.VerifyConsistency(p.Size1, p.Size2, p.Path, f.m["votes@1"].MerkleRoot, f.m["votes@2"].MerkleRoot) != nil {
		t.Fatalf("consistency: %s", b)
	}
	for _, seg := range f.m["votes@2"].Segments {
		resp, b := f.get(t, tokenVotes, "/v1/datasets/votes/versions/2/segments/"+seg.SHA256.Hex())
		if resp.StatusCode != 200 || datasets.Hash(sha256.Sum256(b)) != seg.SHA256 || uint64(len(b)) != seg.Bytes {
			t.Fatalf("segment %s: %d, %d bytes", seg.SHA256, resp.StatusCode, len(b))
		}
	}
	_, mb := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/manifest")
	if mh, _ := f.m["votes@2"].Hash(); datasets.Hash(sha256.Sum256(mb)) != mh {
		t.Fatal("manifest bytes do not hash to the manifest hash")
	}
}

// allColumns lists m's columns for columns=.
func allColumns(m *datasets.Manifest) string {
	var cols []string
	for _, c := range m.Schema.Columns {
		cols = append(cols, c.Name)
	}
	return strings.Join(cols, ",")
}
