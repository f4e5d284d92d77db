package serve_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// TestValueFormsOverHTTP asks rows and JSONL in both value forms: every
// form's values hash to the leaf the proof is for, the default is
// readable, and the key lookup takes either form.
func TestValueFormsOverHTTP(t *testing.T) {
	f := newFixture(t, serve.Config{})
	sch := datasetstest.VotesSchema()
	iso := regexp.MustCompile(`"block_time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"`)
	for _, tc := range []struct {
		name, param string
		want        *regexp.Regexp // in the row document
	}{
		{"default", "", iso},
		{"readable", "?values=readable", iso},
		{"canonical", "?values=canonical", regexp.MustCompile(`"log_index":"\d+".*"block_time":"\d+"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/rows/1234"+tc.param)
			if resp.StatusCode != http.StatusOK || !tc.want.Match(b) {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			var row api.Row
			if err := json.Unmarshal(b, &row); err != nil {
				t.Fatal(err)
			}
			leaves, err := api.Leaves(sch, []api.Values{row.Values})
			if err != nil || leaves[0] != row.Proof.Leaf {
				t.Fatalf("leaf %v (%v), proof for %s", leaves, err, row.Proof.Leaf)
			}
			// The key lookup takes the values as this form wrote them.
			sep := "?"
			if tc.param != "" {
				sep = tc.param + "&"
			}
			q := ""
			for _, k := range sch.Key {
				v, _ := row.Values.Get(k)
				q += fmt.Sprintf("%s=%v&", k, v)
			}
			resp, kb := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/rows"+sep+strings.TrimSuffix(q, "&"))
			if resp.StatusCode != http.StatusOK || !bytes.Equal(kb, b) {
				t.Fatalf("by key: %d %s", resp.StatusCode, kb)
			}
			// JSONL lines hash to the same leaves as the rows' proofs.
			sep = "&"
			if tc.param != "" {
				sep = "&" + tc.param[1:] + "&"
			}
			resp, body := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/data?format=jsonl"+sep+"rows=1230-1234")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("jsonl: %d %s", resp.StatusCode, body)
			}
			var lines []api.Values
			sc := bufio.NewScanner(bytes.NewReader(body))
			for sc.Scan() {
				var v api.Values
				if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
					t.Fatal(err)
				}
				lines = append(lines, v)
			}
			jl, err := api.Leaves(sch, lines)
			if err != nil || len(jl) != 5 || jl[4] != row.Proof.Leaf {
				t.Fatalf("jsonl leaves %v (%v), row 1234's leaf %s", jl, err, row.Proof.Leaf)
			}
		})
	}
	resp, b := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/rows/1?values=pretty")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "readable or canonical") {
		t.Fatalf("values=pretty: %d %s", resp.StatusCode, b)
	}
	// The forms have different ETags.
	r1, _ := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/data?format=csv&rows=0-9")
	r2, _ := f.get(t, tokenAll, "/v1/datasets/votes/versions/2/data?format=csv&rows=0-9&values=canonical")
	if r1.Header.Get("ETag") == r2.Header.Get("ETag") {
		t.Fatalf("same ETag %s for both forms", r1.Header.Get("ETag"))
	}
}
