package file_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
)

// smallBatches builds the only source of examples/<name>.yaml with
// batch_rows set to n, so that the file yields many records.
func smallBatches(t *testing.T, root, name string, n int) sources.Source {
	t.Helper()
	dir := filepath.Join(root, "examples")
	data, err := os.ReadFile(filepath.Join(dir, name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := regexp.MustCompile(`(?m)^( +)path: .*$`)
	if !path.Match(data) {
		t.Fatalf("examples/%s.yaml has no path line", name)
	}
	data = path.ReplaceAll(data, []byte(fmt.Sprintf("$0\n${1}batch_rows: %d", n)))
	reg, err := sources.NewRegistry(file.Factory())
	if err != nil {
		t.Fatal(err)
	}
	_, srcs, err := config.ParseWithSources(name+".yaml", data, nil, reg, sources.Deps{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		return s
	}
	t.Fatalf("no source in examples/%s.yaml", name)
	return nil
}

// TestRealDataInParts reads the real governance exports (CSV and JSONL)
// in parts, each fetch told sources.ErrEnough after `after` records, and
// compares the rows (every column) with one fetch: nothing skipped,
// nothing repeated, the same line numbers and file digests.
func TestRealDataInParts(t *testing.T) {
	root := sharedData(t)
	for _, name := range []string{"compound-bravo", "compound-alpha", "aave-governance-v2"} {
		src := smallBatches(t, root, name, 500)
		want, _ := readParts(t, src, 0)
		for _, after := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/after=%d", name, after), func(t *testing.T) {
				got, parts := readParts(t, src, after)
				if !slices.Equal(got, want) {
					t.Fatalf("%d rows in %d parts, want the %d rows of one fetch", len(got), parts, len(want))
				}
				if parts < 2 {
					t.Fatalf("%d parts: the file has too few records to test stopping", parts)
				}
			})
		}
	}
}

// readParts fetches until a fetch yields nothing; after > 0 tells each
// fetch enough after that many records. It returns every row rendered
// and the number of fetches that yielded rows.
func readParts(t *testing.T, src sources.Source, after int) ([]string, int) {
	t.Helper()
	var rows []string
	var cur sources.Cursor
	for parts := 0; ; parts++ {
		n, records := len(rows), 0
		res, err := src.Fetch(context.Background(), cur, func(rec arrow.RecordBatch) error {
			records++
			for r := range int(rec.NumRows()) {
				var b strings.Builder
				for c := range int(rec.NumCols()) {
					b.WriteString(rec.Column(c).ValueStr(r) + "|")
				}
				rows = append(rows, b.String())
			}
			if after > 0 && records >= after {
				return sources.ErrEnough
			}
			return nil
		})
		if err != nil {
			t.Fatalf("part %d: %v", parts+1, err)
		}
		if res.Cursor == nil {
			t.Fatalf("part %d: no cursor", parts+1)
		}
		if len(rows) == n {
			return rows, parts
		}
		cur = res.Cursor
	}
}
