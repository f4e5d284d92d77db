package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
)

// partsFile writes a CSV of n votes, each with its own voter, and returns
// a file source reading it in records of 5 rows, and the file's path.
func partsFile(t *testing.T, n int) (sources.Source, string) {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("voter,proposal,votes\n")
	for i := range n {
		fmt.Fprintf(&b, "0x%040x,%d,%d\n", i+1, 1+i/30, 10+i)
	}
	path := filepath.Join(dir, "votes.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := file.DefaultConfig()
	cfg.Path, cfg.Header, cfg.BatchRows = "votes.csv", true, 5
	cfg.Columns = []file.Column{{Name: "voter", Type: "address"}, {Name: "proposal", Type: "uint64"}, {Name: "votes", Type: "uint64"}}
	src, err := file.New("votes", cfg, sources.Deps{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return src, path
}

// TestValidatedFileRunInParts runs a validated job over a CSV file in
// parts of 20 rows: unchanged, the file's 100 rows are sealed in 5
// versions; edited between parts 2 and 3 in the bytes already read, the
// run fails naming the file, and the two parts before stay sealed with
// the checkpoint after them.
func TestValidatedFileRunInParts(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		edit     bool
		versions int
		rows     uint64
	}{
		{"unchanged", false, 5, 100},
		{"edited between parts", true, 2, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := store.Open(ctx, t.TempDir(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			src, path := partsFile(t, 100)
			dups, _ := poisoning.NewDuplicates("", poisoning.DefaultDuplicatesConfig())
			suite, err := validators.NewSuite([]validators.Validator{dups}, nil, validators.SuiteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			job := Job{Name: "votes", Dataset: "votes", Source: src, Validation: suite, MaxRunRows: 20}
			hooks := runHooks{part: func(n int, _ *IngestResult, _ time.Duration) {
				if tt.edit && n == 2 {
					editFirstVote(t, path)
				}
			}}
			_, err = ingest(ctx, st, job, now, hooks)
			if tt.edit {
				if !errors.Is(err, sources.ErrChanged) || !strings.Contains(err.Error(), "votes.csv was edited") {
					t.Fatalf("err = %v, want ErrChanged naming votes.csv", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			vs, err := st.Versions(ctx, "votes")
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != tt.versions || vs[len(vs)-1].Rows != tt.rows {
				t.Fatalf("versions %+v, want %d with %d rows in the last", vs, tt.versions, tt.rows)
			}
		})
	}
}

// editFirstVote changes the first vote's weight in place (same size).
func editFirstVote(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), ",1,10\n")
	if i < 0 {
		t.Fatal("no first vote")
	}
	copy(data[i:], ",1,99\n")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
