package serve_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// TestHostileRowCacheTruncated is the black-box attack F107: the row-block
// cache file is truncated (to nothing, or to half its size) after the
// server built it. When the file was memory-mapped, the next row request
// faulted the process with SIGBUS (fatal, not recoverable: this test
// binary died). Now the unreadable block is an ErrCorrupt read error: the
// file is dropped and rebuilt from the verified segment, the row is served
// with its attested values, and downloads are not served complete from
// the truncated file.
func TestHostileRowCacheTruncated(t *testing.T) {
	for _, tc := range []struct {
		name string
		size func(int64) int64
	}{
		{"to-zero", func(int64) int64 { return 0 }},
		{"to-half", func(n int64) int64 { return n / 2 }},
		{"to-last-block", func(n int64) int64 { return n - 4096 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cache := t.TempDir()
			f := newFixture(t, serve.Config{CacheDir: cache})
			seg := f.m["votes@1"].Segments[0]
			file := filepath.Join(cache, seg.SHA256.Hex()[:2], seg.SHA256.Hex()+".rows.v2.arrow")
			last := int(seg.Rows) - 1
			row := func(i int) api.Row {
				t.Helper()
				resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/1/rows/"+strconv.Itoa(i))
				if resp.StatusCode != 200 {
					t.Fatalf("row %d: %d %s", i, resp.StatusCode, b)
				}
				var r api.Row
				if err := json.Unmarshal(b, &r); err != nil {
					t.Fatal(err)
				}
				return r
			}
			want := row(last) // builds and opens the blocks
			st, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(file, tc.size(st.Size())); err != nil {
				t.Fatal(err)
			}
			for _, i := range []int{last, 0, last} {
				got := row(i)
				if i == last && !sameValues(got, want) {
					t.Fatalf("row %d after the truncation: %+v, want %+v", i, got.Values, want.Values)
				}
			}
			if st2, err := os.Stat(file); err != nil || st2.Size() != st.Size() {
				t.Fatalf("the cache file was not rebuilt: %v", err)
			}
			if status, complete, _ := rawGet(t, f, "/v1/datasets/votes/versions/1/data?format=jsonl", true); status != 200 || !complete {
				t.Fatalf("download after the rebuild: %d complete=%v", status, complete)
			}
			if err := os.Truncate(file, tc.size(st.Size())); err != nil {
				t.Fatal(err)
			}
			if status, complete := tryGet(t, f, "/v1/datasets/votes/versions/1/data?format=jsonl"); status == 200 && complete {
				t.Fatalf("download of a truncated row-block file served complete")
			}
			if got := row(last); !sameValues(got, want) {
				t.Fatalf("row %d after the second truncation: %+v", last, got.Values)
			}
		})
	}
}

func sameValues(a, b api.Row) bool {
	x, _ := json.Marshal(a.Values)
	y, _ := json.Marshal(b.Values)
	return string(x) == string(y)
}

// tryGet is rawGet for a request whose connection may be cut before the
// status line (status 0 then).
func tryGet(t *testing.T, f *fixture, path string) (int, bool) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.http.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tokenAll)
	resp, err := f.http.Client().Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	_, rerr := io.ReadAll(resp.Body)
	return resp.StatusCode, rerr == nil && resp.Trailer.Get(api.TrailerSHA256) != ""
}
