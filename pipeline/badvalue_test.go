package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/file"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
)

// votesFile writes a CSV of votes whose third line has a malformed voter.
func votesFile(t *testing.T, onBad string) (sources.Source, string) {
	dir := t.TempDir()
	csv := "voter,proposal,votes\n" +
		"0xc0Da02939E1441F497fd74F78cE7Decb17B66529,1,10.5\n" +
		"0x5b9xyz,1,3\n" +
		"0x6B175474E89094C44Da98b954EedeAC495271d0F,1,7\n"
	if err := os.WriteFile(filepath.Join(dir, "votes.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := file.DefaultConfig()
	cfg.Path, cfg.Header, cfg.OnBadValue = "votes.csv", true, onBad
	cfg.Columns = []file.Column{{Name: "voter", Type: "address"}, {Name: "proposal", Type: "uint64"}, {Name: "votes", Type: "float64"}}
	src, err := file.New("votes", cfg, sources.Deps{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return src, dir
}

// TestBadValueQuarantined ingests a file with one malformed address: the
// row is quarantined with poisoning.bad_value naming the column, the raw
// value and the line, the other rows are sealed; with on_bad_value: fail
// the import stops as before, and a job without validation refuses it.
func TestBadValueQuarantined(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dups, _ := poisoning.NewDuplicates("", poisoning.DefaultDuplicatesConfig())
	suite, err := validators.NewSuite([]validators.Validator{dups}, map[string]validators.Action{"*": validators.Keep}, validators.SuiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, onBad string
		validate    bool
		jobFail     bool
		wantErr     string
	}{
		{"quarantined", "", true, false, ""},
		{"source fail", file.BadValueFail, true, false, `votes.csv:3: column "voter": "0x5b9xyz"`},
		{"job fail", "", true, true, `votes.csv:3: column "voter": "0x5b9xyz": `},
		{"no validation", "", false, false, `votes.csv:3: column "voter": "0x5b9xyz"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := store.Open(ctx, t.TempDir(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			src, _ := votesFile(t, tt.onBad)
			job := Job{Name: "votes", Dataset: "votes", Source: src, FailOnBadValue: tt.jobFail}
			if tt.validate {
				job.Validation = suite
			}
			res, err := Ingest(ctx, st, job, now)
			if tt.wantErr != "" {
				if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrBadInput with %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Manifest == nil || res.Manifest.RowCount != 2 {
				t.Fatalf("sealed %+v, want 2 rows", res.Manifest)
			}
			for _, f := range res.Validation.Report.Findings {
				if f.Code == validators.CodeBadValue && (len(f.Locators) != 1 || f.Locators[0] != "votes line 3") {
					t.Errorf("bad value finding locators %v, want [votes line 3]", f.Locators)
				}
			}
			es, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "votes"})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 1 || !slices.Contains(es[0].Codes, string(validators.CodeBadValue)) ||
				!strings.Contains(strings.Join(es[0].Reasons, " "), `votes.csv:3: column voter: "0x5b9xyz"`) {
				t.Fatalf("quarantine %+v, want one poisoning.bad_value entry naming votes.csv:3", es)
			}
		})
	}
}
