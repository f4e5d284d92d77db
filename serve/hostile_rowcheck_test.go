package serve_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// counterValue reads a counter without labels from reg.
func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestHostileRowCacheEditedInPlace is the black-box attack F3: the
// row-block cache file is edited in place after it was built (4 bytes of a
// row's tx_hash, the modification time set back). No surface — /v1 rows by
// index, by key, MCP get_rows — may serve the edited value with the
// genuine proof: the row is hashed against its leaf, the cache file is
// dropped and rebuilt from the verified segment, the mismatch is counted,
// and the attested value is served.
func TestHostileRowCacheEditedInPlace(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := serve.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	f := newFixture(t, serve.Config{Metrics: m, CacheDir: cache})
	seg := f.m["votes@1"].Segments[0]
	resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/1/rows/3")
	if resp.StatusCode != 200 {
		t.Fatalf("row 3: %d %s", resp.StatusCode, b)
	}
	var want api.Row
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	txv, _ := want.Values.Get("tx_hash")
	txHash := fmt.Sprint(txv)
	raw, err := hex.DecodeString(strings.TrimPrefix(txHash, "0x"))
	if err != nil || len(raw) != 32 {
		t.Fatalf("tx_hash %q", txHash)
	}
	file := filepath.Join(cache, seg.SHA256.Hex()[:2], seg.SHA256.Hex()+".rows.v2.arrow")
	key := url.Values{}
	for _, k := range []string{"chain_id", "tx_hash", "log_index"} {
		v, _ := want.Values.Get(k)
		key.Set(k, fmt.Sprint(v))
	}
	mcp := mcpSession(t, f.srv, tokenAll)
	surfaces := []struct {
		name string
		get  func(t *testing.T) string
	}{
		{"/v1 row by index", func(t *testing.T) string {
			resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/1/rows/3")
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			return string(b)
		}},
		{"/v1 row by key", func(t *testing.T) string {
			resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/1/rows?"+key.Encode())
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			return string(b)
		}},
		{"MCP get_rows", func(t *testing.T) string {
			text, failed := toolText(t, mcp, "get_rows", map[string]any{"dataset": "votes", "version": 1, "indexes": []int{3}})
			if failed {
				t.Fatalf("get_rows failed: %s", text)
			}
			return text
		}},
	}
	for i, s := range surfaces {
		t.Run(s.name, func(t *testing.T) {
			s.get(t) // the cache file exists (rebuilt after the previous case)
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			at := bytes.Index(data, raw)
			if at < 0 {
				t.Fatalf("row 3's tx_hash is not in %s", file)
			}
			writeAt(t, file, int64(at), []byte{0xde, 0xad, 0xbe, 0xef})
			got := s.get(t)
			if strings.Contains(got, "deadbeef") || !strings.Contains(got, txHash) {
				t.Fatalf("served after the in-place edit: %s", got)
			}
			if n := counterValue(t, reg, "groundtruth_serve_row_cache_mismatches_total"); n != float64(i+1) {
				t.Fatalf("groundtruth_serve_row_cache_mismatches_total = %v, want %d", n, i+1)
			}
			if rebuilt, err := os.ReadFile(file); err != nil || !bytes.Contains(rebuilt, raw) {
				t.Fatalf("the cache file was not rebuilt from the segment: %v", err)
			}
		})
	}
}

// writeAt writes b at off of path in place and sets the modification time
// back.
func writeAt(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fh.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
}

// TestHostileRowCacheEditedDownload is F3 for downloads: JSONL and CSV
// are read from the row blocks once a row request has built them (a
// speed-up of the hostile-mix work), and those rows are not hashed one by
// one. A block file edited in place (the modification time set back) must
// not be streamed as a complete response: the download reads blocks only
// while the file keeps the identity it had when this server built it, and
// otherwise fails (503 before the status line, or no trailers after it).
func TestHostileRowCacheEditedDownload(t *testing.T) {
	cache := t.TempDir()
	f := newFixture(t, serve.Config{CacheDir: cache})
	seg := f.m["votes@1"].Segments[0]
	if resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/1/rows/3"); resp.StatusCode != 200 { // builds the blocks
		t.Fatalf("row 3: %d %s", resp.StatusCode, b)
	}
	file := filepath.Join(cache, seg.SHA256.Hex()[:2], seg.SHA256.Hex()+".rows.v2.arrow")
	for _, format := range []string{"jsonl", "csv"} {
		path := "/v1/datasets/votes/versions/1/data?format=" + format
		if status, complete, _ := rawGet(t, f, path, true); status != 200 || !complete {
			t.Fatalf("%s before the edit: %d complete=%v", format, status, complete)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	writeAt(t, file, int64(len(data)/2), []byte{0xde, 0xad, 0xbe, 0xef})
	for _, format := range []string{"jsonl", "csv"} {
		req, err := http.NewRequest(http.MethodGet, f.http.URL+"/v1/datasets/votes/versions/1/data?format="+format, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tokenAll)
		resp, err := f.http.Client().Do(req)
		if err != nil {
			continue // the connection was cut before a status line: visibly failed
		}
		_, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 && rerr == nil && resp.Trailer.Get(api.TrailerSHA256) != "" {
			t.Errorf("%s after an in-place edit of the row blocks: served as a complete response", format)
		}
	}
}
