package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileSegmentSwappedByRename is the black-box attack F16: within
// the second a segment's check is trusted, its file is replaced by rename
// with another valid segment of the same schema and more rows (votes@1's,
// so a reader stopping at the manifest's row count finds no shortfall). No
// reader may serve the foreign file under votes@2's attested root: JSONL, the Arrow
// download, the segment endpoint and SQL refuse (503 corrupt, or a
// download cut before its end) or serve the attested bytes from a file
// opened before the swap, on a clock that does not move.
func TestHostileSegmentSwappedByRename(t *testing.T) {
	for _, tc := range []struct {
		name string
		get  func(t *testing.T, f *fixture, seg string) (int, string, error)
	}{
		{"jsonl", func(t *testing.T, f *fixture, _ string) (int, string, error) {
			return rawGet(t, f, "/v1/datasets/votes/versions/2/data?format=jsonl")
		}},
		{"arrow", func(t *testing.T, f *fixture, _ string) (int, string, error) {
			return rawGet(t, f, "/v1/datasets/votes/versions/2/data")
		}},
		{"segment", func(t *testing.T, f *fixture, seg string) (int, string, error) {
			return rawGet(t, f, "/v1/datasets/votes/versions/2/segments/"+seg)
		}},
		{"sql", func(t *testing.T, f *fixture, _ string) (int, string, error) {
			res, err := f.srv.Query(context.Background(), serve.LocalPrincipal(), `SELECT count(*) AS n, sum(log_index) AS s FROM "votes@2"`)
			if err != nil {
				return 503, err.Error(), nil
			}
			return 200, fmt.Sprint(res.Rows), nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFrozenClock()
			f := newFixture(t, serve.Config{Now: clock.now})
			segs := f.m["votes@2"].Segments
			seg := segs[len(segs)-1]
			if seg.SHA256 == f.m["votes@1"].Segments[0].SHA256 {
				t.Fatal("votes@2 has no segment of its own")
			}
			code, before, err := tc.get(t, f, seg.SHA256.Hex())
			if code != 200 || err != nil {
				t.Fatalf("before: %d %v %.200s", code, err, before)
			}
			path := filepath.Join(f.st.Root(), filepath.FromSlash(seg.Path))
			foreign, err := os.ReadFile(filepath.Join(f.st.Root(), filepath.FromSlash(f.m["votes@1"].Segments[0].Path)))
			if err != nil {
				t.Fatal(err)
			}
			tmp := path + ".swap"
			if err := os.WriteFile(tmp, foreign, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
			code, body, err := tc.get(t, f, seg.SHA256.Hex())
			// Refused, cut, or the attested bytes (a file opened before
			// the swap still reads them): never the foreign file.
			if code == 200 && err == nil && body != before {
				t.Fatalf("the swapped file was served: %d %.300q", code, body)
			}
		})
	}
}

// rawGet reads a response completely and says whether the body ended
// cleanly (a cut download is an error).
func rawGet(t *testing.T, f *fixture, path string) (int, string, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.http.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tokenAll)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}
