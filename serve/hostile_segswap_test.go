package serve_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// TestHostileSegmentSwappedByRename swaps a served segment of votes@1 for
// another valid segment of the same schema and row count by rename, inside the window in
// which the server trusts its stat of the path (the clock stands still, so
// the window never closes), and then reads the version every way it is
// served: JSONL, CSV, an Arrow selection, the Arrow stream, the segment,
// SQL. None may hand out the swapped bytes as a complete response: the
// reader compares its open descriptor with the file that was hashed and
// refuses (503 before the status line, or an aborted body without
// trailers). A later request is refused as corrupt, and the version is
// served again once the attested bytes are back.
func TestHostileSegmentSwappedByRename(t *testing.T) {
	clock := time.Now()
	f := newFixture(t, serve.Config{Now: func() time.Time { return clock }})
	ctx := context.Background()
	v1 := f.m["votes@1"].Segments[0]
	// Another valid segment of the same schema and row count, other values.
	forged := seal(t, f.st, "forged", 5000, 5000+int(v1.Rows))
	foreign := forged.Segments[0]
	if len(forged.Segments) != 1 || foreign.Rows != v1.Rows || foreign.SHA256 == v1.SHA256 {
		t.Fatalf("the fixture changed: votes@1 %+v, forged %+v", v1, forged.Segments)
	}
	file := filepath.Join(f.st.Root(), filepath.FromSlash(v1.Path))
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile(filepath.Join(f.st.Root(), filepath.FromSlash(foreign.Path)))
	if err != nil {
		t.Fatal(err)
	}
	swap := func(b []byte) {
		t.Helper()
		time.Sleep(5 * time.Millisecond) // another modification time
		if err := os.WriteFile(file+".tmp", b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(file+".tmp", file); err != nil {
			t.Fatal(err)
		}
	}
	base := "/v1/datasets/votes/versions/1"
	if resp, b := f.get(t, tokenAll, base+"/data?format=jsonl"); resp.StatusCode != 200 {
		t.Fatalf("before: %d %s", resp.StatusCode, b)
	}
	cases := []struct {
		name, path string
		trailer    bool
	}{
		{"jsonl", base + "/data?format=jsonl", true},
		{"csv", base + "/data?format=csv", true},
		{"arrow selection", base + "/data?format=arrow&columns=voter", true},
		{"arrow stream", base + "/data", false},
		{"segment", base + "/segments/" + v1.SHA256.Hex(), false},
		{"sql", "", false},
	}
	for _, c := range cases {
		swap(good)
		f.srv.Poll(ctx) // the attested bytes, hashed: trusted for the (frozen) stat window
		swap(bad)
		if c.path == "" {
			if _, err := f.srv.Query(ctx, serve.LocalPrincipal(), `SELECT count(*), min(voter) FROM "votes@1"`); !errors.Is(err, serve.ErrCorrupt) {
				t.Fatalf("%s over the swapped segment: %v", c.name, err)
			}
			continue
		}
		status, complete, n := rawGet(t, f, c.path, c.trailer)
		if status == 200 && complete {
			t.Fatalf("%s: the swapped segment was served as a complete response (%d bytes)", c.name, n)
		}
		if status != 200 && status != 503 {
			t.Fatalf("%s: status %d", c.name, status)
		}
		// The path now holds other bytes: refused before the status line.
		f.srv.Poll(ctx)
		if resp, b := f.get(t, tokenAll, c.path); resp.StatusCode != 503 || apiErr(t, b).ErrorType != "corrupt" {
			t.Fatalf("%s after the swap: %d %s", c.name, resp.StatusCode, b)
		}
	}
	swap(good)
	f.srv.Poll(ctx)
	for _, c := range cases[:5] {
		if status, complete, _ := rawGet(t, f, c.path, c.trailer); status != 200 || !complete {
			t.Fatalf("%s after the restore: %d complete %v", c.name, status, complete)
		}
	}
}

// rawGet reads a response to its end and reports its status and whether it
// ended as a complete response (no read error and, for selections, the
// completion trailer).
func rawGet(t *testing.T, f *fixture, path string, trailer bool) (int, bool, int) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.http.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tokenAll)
	resp, err := f.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, rerr := io.ReadAll(resp.Body)
	complete := rerr == nil && (!trailer || resp.Trailer.Get(api.TrailerSHA256) != "")
	return resp.StatusCode, complete, len(b)
}
