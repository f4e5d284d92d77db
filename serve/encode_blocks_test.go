package serve_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// TestDownloadsFromRowBlocks: JSONL and CSV downloads read a segment from
// its row blocks once a row request has built them (256 rows at a time,
// nothing decoded) and from the segment's batches before; the bytes and
// the trailers are the same either way, whatever the range (block and
// segment boundaries, one row, the whole version) and whichever segments
// have their blocks.
func TestDownloadsFromRowBlocks(t *testing.T) {
	f := newFixture(t, serve.Config{})
	base := "/v1/datasets/votes/versions/1"
	queries := []string{
		"/data?format=jsonl",
		"/data?format=jsonl&rows=255-257",
		"/data?format=jsonl&rows=295-610&columns=voter,_row,weight",
		"/data?format=jsonl&rows=999-999",
		"/data?format=csv&rows=250-530&columns=_row,support",
		"/data?format=csv",
	}
	fetch := func(q string) (string, []byte) {
		resp, b := f.get(t, tokenAll, base+q)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, b)
		}
		return resp.Trailer.Get(api.TrailerRows) + " " + resp.Trailer.Get(api.TrailerSHA256), b
	}
	type answer struct {
		trailer string
		body    []byte
	}
	want := map[string]answer{}
	for _, q := range queries { // no row blocks yet: the segments' batches
		tr, b := fetch(q)
		want[q] = answer{tr, b}
	}
	for _, warm := range [][]int{{300}, {0, 600, 900}} { // blocks of some segments, then of all
		for _, row := range warm {
			if resp, b := f.get(t, tokenAll, fmt.Sprintf("%s/rows/%d", base, row)); resp.StatusCode != http.StatusOK {
				t.Fatalf("row %d: %d %s", row, resp.StatusCode, b)
			}
		}
		for _, q := range queries {
			t.Run(fmt.Sprintf("after rows %v: %s", warm, q), func(t *testing.T) {
				tr, b := fetch(q)
				if tr != want[q].trailer || !bytes.Equal(b, want[q].body) {
					t.Fatalf("trailer %q and %d bytes, want %q and %d bytes (the same as from the segments' batches)",
						tr, len(b), want[q].trailer, len(want[q].body))
				}
				if want[q].trailer == " " {
					t.Fatal("no trailer")
				}
			})
		}
	}
}
